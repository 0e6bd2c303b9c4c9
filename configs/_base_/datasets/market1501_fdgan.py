# Market-1501 for FD-GAN at 256 x 128 (docs/en/method_specs.md), on top of the
# Market-1501 test loaders. Train batches count PAIRS (32 pairs = 64 images
# per GPU; the paper's 256 pairs = 8 GPUs x 32). Every training image is an
# anchor once per epoch with 1 positive and 3 negative partners.
#
# Stages II/III need pose keypoints of the training images, extracted once:
#   python tools/misc/extract_keypoints.py configs/fdgan/market_stage2.py
# which writes data/market1501/<keypoint_file> (COCO-17 from MMPose's
# COCO-pretrained HRNet-W32; rendered as OpenPose-18 maps, sigma 5 px with
# the "gauss" augmentation sigma in {4, 5, 6}). The target image is
# flipped jointly with its pose maps without swapping left/right channels,
# as the official code (set swap_left_right=True to swap).
_base_ = './market1501.py'
keypoint_file = 'keypoints_td-hm_hrnet-w32_8xb64-210e_coco-256x192.json'

# Anchor images: resize, random erasing (p = 0.75, 2-20 % of the area,
# aspect 0.3-3.3; mmpretrain fills with random pixels where the official
# code pastes one random colour), flip.
random_erasing = dict(type='mmpretrain.RandomErasing',
                      erase_prob=0.75,
                      min_area_ratio=0.02,
                      max_area_ratio=0.2,
                      aspect_range=(0.3, 1 / 0.3),
                      mode='rand')
origin_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(128, 256)),
    random_erasing,
    dict(type='ReIDRandomFlip', prob=0.5),
    dict(type='PackReIDInputs'),
]
target_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(128, 256)),
    dict(type='ReIDRandomFlip', prob=0.5, swap_left_right=False),
    dict(type='KeypointsToHeatmaps',
         sigma=(4, 5, 6),
         target_format='openpose18',
         out_key='pose_maps'),
    dict(type='PackReIDInputs', pose_keys=['pose_maps']),
]
# Stage I (the Siamese baseline): RandomSizedRectCrop (64-100 % of the
# area, height/width 2-3, resized to 256 x 128), random erasing, flip.
# (mmpretrain's RandomResizedCrop takes scale=(h, w), unlike mmreid's
# transforms, which take (w, h).)
pair_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='mmpretrain.RandomResizedCrop',
         scale=(256, 128),
         crop_ratio_range=(0.64, 1.0),
         aspect_ratio_range=(1 / 3, 1 / 2)),
    random_erasing,
    dict(type='ReIDRandomFlip', prob=0.5),
    dict(type='PackReIDInputs'),
]

# stages II and III (stage I replaces the dataset by a PairDataset over
# pair_pipeline images: configs/fdgan/market_stage1.py)
train_dataloader = dict(batch_size=32,
                        num_workers=4,
                        persistent_workers=True,
                        drop_last=True,
                        sampler=dict(_delete_=True,
                                     type='PairSampler',
                                     shuffle=True),
                        dataset=dict(_delete_=True,
                                     type='PoseTransferPairDataset',
                                     pairing='per_anchor',
                                     neg_per_pos=3,
                                     target_pipeline=target_pipeline,
                                     dataset=dict(
                                         type={{_base_.dataset_type}},
                                         data_root={{_base_.data_root}},
                                         keypoint_file=keypoint_file,
                                         pipeline=origin_pipeline)))
# Both test stages: Euclidean ranking of E's features (reid/*) and the
# cascade re-scoring of each query's top-100 by V (cascade/*: metric='model',
# the model's distance_matrix, connected by ReIDRunner).
val_evaluator = [
    dict(type='ReIDMetric', metric='euclidean', protocol='market'),
    dict(type='ReIDMetric',
         metric='model',
         protocol='market',
         prefix='cascade'),
]
test_evaluator = val_evaluator

# Fixed pose transfers of test identities with deterministic pipelines, for
# PoseTransferVisHook and tools/generation/generate.py (input | target pose
# | generated | real target, and SSIM / identity preservation).
held_out_transfers = dict(type='PoseTransferPairDataset',
                          dataset=dict(type={{_base_.dataset_type}},
                                       data_root={{_base_.data_root}},
                                       test_mode=True,
                                       keypoint_file=keypoint_file,
                                       pipeline={{_base_.test_pipeline}}),
                          target_pipeline=[
                              dict(type='LoadReIDImage'),
                              dict(type='ReIDResize', scale=(128, 256)),
                              dict(type='KeypointsToHeatmaps',
                                   sigma=5,
                                   target_format='openpose18',
                                   out_key='pose_maps'),
                              dict(type='PackReIDInputs',
                                   pose_keys=['pose_maps']),
                          ])
