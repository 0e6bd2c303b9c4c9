# The generated demo dataset for FD-GAN, at its native 128 x 64: the
# Market-1501 FD-GAN loaders (market1501_fdgan.py) with half-size
# pipelines (pose maps sigma 2.5 px, "gauss" augmentation {2, 2.5, 3}),
# the demo's exact keypoint cache, batches sized for a 2-core CPU, and a
# held-out set of pose transfers on the test identities for
# PoseTransferVisHook.
_base_ = './market1501_fdgan.py'
dataset_type = 'DemoReID'
data_root = 'data/demo'
keypoint_file = 'keypoints_coco17.json'

origin_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(64, 128)),
    {{_base_.random_erasing}},
    dict(type='ReIDRandomFlip', prob=0.5),
    dict(type='PackReIDInputs'),
]
target_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(64, 128)),
    dict(type='ReIDRandomFlip', prob=0.5, swap_left_right=False),
    dict(type='KeypointsToHeatmaps',
         sigma=(2, 2.5, 3),
         target_format='openpose18',
         out_key='pose_maps'),
    dict(type='PackReIDInputs', pose_keys=['pose_maps']),
]
pair_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='mmpretrain.RandomResizedCrop',
         scale=(128, 64),  # mmpretrain's order: (h, w)
         crop_ratio_range=(0.64, 1.0),
         aspect_ratio_range=(1 / 3, 1 / 2)),
    {{_base_.random_erasing}},
    dict(type='ReIDRandomFlip', prob=0.5),
    dict(type='PackReIDInputs'),
]
test_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(64, 128)),
    dict(type='PackReIDInputs'),
]

train_dataloader = dict(batch_size=16,
                        num_workers=2,
                        dataset=dict(target_pipeline=target_pipeline,
                                     dataset=dict(type=dataset_type,
                                                  data_root=data_root,
                                                  keypoint_file=keypoint_file,
                                                  pipeline=origin_pipeline)))
val_dataloader = dict(batch_size=64,
                      num_workers=2,
                      dataset=dict(type=dataset_type,
                                   data_root=data_root,
                                   pipeline=test_pipeline))
test_dataloader = val_dataloader

# fixed transfers of test identities (unseen in training), deterministic
# pipelines: input | target pose | generated | real target, and their SSIM
held_out_transfers = dict(type='PoseTransferPairDataset',
                          dataset=dict(type=dataset_type,
                                       data_root=data_root,
                                       test_mode=True,
                                       keypoint_file=keypoint_file,
                                       pipeline=test_pipeline),
                          target_pipeline=[
                              dict(type='LoadReIDImage'),
                              dict(type='ReIDResize', scale=(64, 128)),
                              dict(type='KeypointsToHeatmaps',
                                   sigma=2.5,
                                   target_format='openpose18',
                                   out_key='pose_maps'),
                              dict(type='PackReIDInputs',
                                   pose_keys=['pose_maps']),
                          ])
