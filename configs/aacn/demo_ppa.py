# AACN step 1 on the generated demo dataset (2-core CPU, a few minutes):
# the PPA trained on the demo's exact COCO-17 keypoints at its native
# 128 x 64, from scratch, with a light trunk (mmpretrain ResNet-18 cut to
# two stages of 32 / 64 channels, stride 8) and light branches (64
# channels; two 3 x 3 convs in stage 1, three 5 x 5 convs in stage 2) in
# place of VGG-19 and OpenPose's widths. Maps are 16 x 8: Gaussian
# keypoint targets of sigma 1 map pixel, limb bands of half-width (sigma)
# 4 image pixels, tight rigid boxes. Adam 1e-3, batches of 16, 500
# iterations, no re-ID evaluation (the maps are drawn by
# tools/misc/draw_part_attention.py).
_base_ = [
    '../_base_/models/aacn_ppa_vgg19.py',
    '../_base_/datasets/demo.py',
    '../_base_/schedules/demo_adam_iters.py',
]
keypoint_file = 'keypoints_coco17.json'

# the light PPA (configs/aacn/demo.py uses the same one)
model = dict(
    trunk=dict(
        _delete_=True,
        type='mmpretrain.ResNet',
        depth=18,
        stem_channels=32,
        base_channels=32,
        num_stages=2,
        strides=(1, 2),
        dilations=(1, 1),
        out_indices=(1, ),
        init_cfg=None),
    head=dict(
        in_channels=64,
        feat_channels=(64, ),
        stage1=dict(num_convs=2, kernel_size=3, channels=64, hidden=128),
        refine=dict(num_convs=3, kernel_size=5, channels=64, hidden=64)))

pose_targets = [
    dict(type='KeypointsToHeatmaps', sigma=1.0, stride=8),
    dict(
        type='PartMaps',
        stride=8,
        rigid_parts='aacn',
        limb_sigma=4.0,
        min_rigid_margin=1.0),
    dict(type='PackReIDInputs', pose_keys=['heatmaps', 'part_maps']),
]
train_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(64, 128)),
    dict(type='ReIDRandomFlip', prob=0.5),
] + pose_targets
test_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(64, 128)),
] + pose_targets
train_dataloader = dict(
    batch_size=16,
    dataset=dict(keypoint_file=keypoint_file, pipeline=train_pipeline))
# no re-ID evaluation of the PPA; held-out images (the test identities)
# with their targets for tools/misc/draw_part_attention.py
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
held_out_dataset = dict(
    type='DemoReID',
    data_root='data/demo',
    test_mode=True,
    keypoint_file=keypoint_file,
    pipeline=test_pipeline)

param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[400], gamma=0.1)
]
train_cfg = dict(max_iters=500, val_interval=500)
default_hooks = dict(checkpoint=dict(interval=500))
