# AACN step 1 on Market-1501: the PPA (VGG-19 trunk, T = 2 stages) trained
# on the keypoints of the Market-1501 training images, at 256 x 128 (maps
# 32 x 16), one GPU x 32 images:
#   python tools/misc/extract_keypoints.py configs/aacn/market_gcn.py
#   python tools/train.py configs/aacn/market_ppa.py
# The first command writes the keypoint cache (COCO-17 of MMPose's
# COCO-trained HRNet-W32) that the pipeline reads. Targets: Gaussian
# keypoint maps (sigma 1.5 map pixels), limb bands of half-width (sigma) 8
# image pixels, tight rigid boxes (grown by 2 image pixels). The DukeMTMC
# and CUHK03 models reuse this PPA.
_base_ = [
    '../_base_/models/aacn_ppa_vgg19.py',
    '../_base_/datasets/market1501.py',
    '../_base_/schedules/aacn_ppa_adam_30e.py',
]
keypoint_file = 'keypoints_td-hm_hrnet-w32_8xb64-210e_coco-256x192.json'

train_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(128, 256)),
    dict(type='ReIDRandomFlip', prob=0.5),
    dict(type='KeypointsToHeatmaps', sigma=1.5, stride=8),
    dict(
        type='PartMaps',
        stride=8,
        rigid_parts='aacn',
        limb_sigma=8.0,
        min_rigid_margin=2.0),
    dict(type='PackReIDInputs', pose_keys=['heatmaps', 'part_maps']),
]
train_dataloader = dict(
    batch_size=32,
    sampler=dict(_delete_=True, type='DefaultSampler', shuffle=True),
    dataset=dict(keypoint_file=keypoint_file, pipeline=train_pipeline))
# no re-ID evaluation of the PPA; held-out images (the test identities)
# with their targets for tools/misc/draw_part_attention.py
val_dataloader = None
val_evaluator = None
test_dataloader = None
test_evaluator = None
held_out_dataset = dict(
    type='Market1501',
    data_root='data/market1501',
    test_mode=True,
    keypoint_file=keypoint_file,
    pipeline=train_pipeline[:2] + train_pipeline[3:])
