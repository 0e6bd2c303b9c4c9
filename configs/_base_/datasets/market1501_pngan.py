# Market-1501 for PN-GAN's GAN at 256 x 128 (official dataset.py): every
# ordered pair (source, target) of two training images of one identity,
# once per epoch; the target's OpenPose-18 skeleton image (RenderSkeleton,
# the same size as the photo) is the pose condition and the target image
# the ground truth. Bicubic resize, no flip, no erasing. Batches of 32.
#
# Keypoints of the training images are extracted once (COCO-17 from MMPose's
# COCO-pretrained HRNet-W32, converted to OpenPose-18 for rendering):
#   python tools/misc/extract_keypoints.py configs/pngan/market_gan.py
# and the 8 canonical poses are clustered once over the training set into
# the GAN config's work dir:
#   python tools/misc/cluster_poses.py configs/pngan/market_gan.py
_base_ = './market1501.py'
keypoint_file = 'keypoints_td-hm_hrnet-w32_8xb64-210e_coco-256x192.json'
gan_input_size = (128, 256)  # (w, h)
skeleton_cfg = dict(stick_width=4, joint_radius=4)

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
train_dataloader = dict(_delete_=True,
                        batch_size=32,
                        num_workers=4,
                        persistent_workers=True,
                        drop_last=True,
                        sampler=dict(type='PairSampler', shuffle=True),
                        dataset=dict(type='PoseTransferPairDataset',
                                     pairing='ordered_positives',
                                     targets='partner',
                                     target_pipeline=target_pipeline,
                                     dataset=dict(
                                         type={{_base_.dataset_type}},
                                         data_root={{_base_.data_root}},
                                         keypoint_file=keypoint_file,
                                         pipeline=source_pipeline)))
# The GAN stage has no re-ID evaluation (PN-GAN's re-ID test is
# configs/pngan/*_reid_fused.py).
val_dataloader = None
val_evaluator = None
test_dataloader = None
test_evaluator = None

# Fixed same-identity transfers of test identities (unseen in training),
# deterministic pipelines: input | target pose | generated | real target
# and their SSIM (PoseTransferVisHook, tools/generation/generate.py).
held_out_transfers = dict(type='PoseTransferPairDataset',
                          pairing='ordered_positives',
                          targets='partner',
                          target_pipeline=target_pipeline,
                          dataset=dict(type={{_base_.dataset_type}},
                                       data_root={{_base_.data_root}},
                                       test_mode=True,
                                       keypoint_file=keypoint_file,
                                       pipeline=source_pipeline))

# The synthesis step (tools/generation/synthesize_poses.py): the images it
# draws in the canonical poses, and the pipeline it reads them with.
synth_pipeline = source_pipeline
synth_datasets = dict(
    train=dict(type={{_base_.dataset_type}}, data_root={{_base_.data_root}}),
    test=dict(type={{_base_.dataset_type}},
              data_root={{_base_.data_root}},
              test_mode=True))
