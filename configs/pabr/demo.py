# PABR on the generated demo dataset, sized for a 2-core CPU (about 10 min):
# the demo's native 128 x 64 images (160 x 80 costs 1.6x; the bilinear maps
# are then 16 x 8 instead of 20 x 10), both streams trained from scratch (no
# downloads), and a light part stream: MMPose's ResNet SimpleBaseline
# (td-hm_res50 ... coco-256x192) shrunk to ResNet-18, 128-channel deconvs
# and a 64 x 128 estimator input (HRNet-W32 at 256 x 192 is too slow here).
# Batches of 32 = 8 identities x 4 images (identity-contiguous), Adam 1e-3
# as the baseline demo. The paper's normalisation (BGR, mean (104, 117,
# 123), std 1), which the estimator is told about.
_base_ = [
    '../_base_/models/pabr_inception_v1_hrnet.py',
    '../_base_/datasets/demo_contiguous.py',
    '../_base_/schedules/demo_adam_iters.py',
]

codec = dict(
    type='MSRAHeatmap', input_size=(64, 128), heatmap_size=(16, 32), sigma=2)
light_estimator = dict(
    codec=codec,
    model=dict(
        type='TopdownPoseEstimator',
        data_preprocessor=dict(
            type='PoseDataPreprocessor',
            mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375],
            bgr_to_rgb=True),
        backbone=dict(type='ResNet', depth=18),
        head=dict(
            type='HeatmapHead',
            in_channels=512,
            out_channels=17,
            deconv_out_channels=(128, 128, 128),
            deconv_kernel_sizes=(4, 4, 4),
            loss=dict(type='KeypointMSELoss', use_target_weight=True),
            decoder=codec)))

model = dict(
    data_preprocessor=dict(
        mean=[104., 117., 123.], std=[1., 1., 1.], to_rgb=False),
    backbone=dict(init_cfg=None),
    part_stream=dict(
        estimator=dict(
            config=dict(_delete_=True, **light_estimator),
            checkpoint=None,
            input_mean=[104., 117., 123.],
            input_std=[1., 1., 1.],
            input_bgr=True),
        # the deconv head's last 128-channel map (stride 4) is not in
        # `feats`; the stride-32 ResNet-18 map (512) is
        in_channels=512))

# 60 iterations (the bilinear pooling and the pose stream are costly on CPU)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[45], gamma=0.1)
]
train_cfg = dict(max_iters=60, val_interval=60)
default_hooks = dict(checkpoint=dict(interval=60))
