# The generated demo dataset for PN-GAN's GAN, at 64 x 32 (half its native
# 128 x 64, for the shared 2-core CPU): the Market-1501 PN-GAN loaders
# (market1501_pngan.py) with the demo's exact keypoint cache, skeleton
# sticks scaled to the image (1 px) and batches sized for the CPU.
_base_ = './market1501_pngan.py'
dataset_type = 'DemoReID'
data_root = 'data/demo'
keypoint_file = 'keypoints_coco17.json'
gan_input_size = (32, 64)  # (w, h)
skeleton_cfg = dict(stick_width=1, joint_radius=1)

source_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=gan_input_size, interpolation='bicubic'),
    dict(type='PackReIDInputs'),
]
target_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=gan_input_size, interpolation='bicubic'),
    dict(type='RenderSkeleton', out_key='pose_maps', **skeleton_cfg),
    dict(type='PackReIDInputs', pose_keys=['pose_maps']),
]
train_dataloader = dict(batch_size=8,
                        num_workers=2,
                        dataset=dict(target_pipeline=target_pipeline,
                                     dataset=dict(type=dataset_type,
                                                  data_root=data_root,
                                                  keypoint_file=keypoint_file,
                                                  pipeline=source_pipeline)))
held_out_transfers = dict(target_pipeline=target_pipeline,
                          dataset=dict(type=dataset_type,
                                       data_root=data_root,
                                       keypoint_file=keypoint_file,
                                       pipeline=source_pipeline))
synth_pipeline = source_pipeline
synth_datasets = dict(train=dict(type=dataset_type, data_root=data_root),
                      test=dict(type=dataset_type, data_root=data_root))
