# PABR (Suh et al., ECCV 2018): appearance stream = Inception-v1 with
# dilation 2 (832 x 20 x 10 for 160 x 80) -> 1x1 conv 512 + BN(affine=False);
# part stream = a COCO-trained pose network's features (here MMPose's
# HRNet-W32 top-down model instead of OpenPose: its 32-channel stride-4 map
# and 17 heatmaps, cut to the crop and resized to 20 x 10) -> 3x3 conv 128 +
# BN(affine=False); compact bilinear pooling (Tensor Sketch) to 512-d, sum
# over locations; EmbeddingHead: L2, all-triplets loss, margin 0.2, squared
# distances, mined over the batch of all GPUs (its defaults).
# Both streams are fine-tuned. The images are normalised as torchvision's
# GoogLeNet weights expect (RGB, [-1, 1]); the pose estimator re-normalises
# them for itself (input_mean/input_std below must match).
model = dict(
    type='PABR',
    data_preprocessor=dict(
        type='ReIDDataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[127.5, 127.5, 127.5],
        to_rgb=True),
    backbone=dict(
        type='InceptionV1',
        arch='torchvision',
        dilation=2,
        init_cfg=dict(
            type='Pretrained',
            checkpoint='https://download.pytorch.org/models/'
            'googlenet-1378be20.pth')),
    part_stream=dict(
        type='PosePartStream',
        estimator=dict(
            type='MMPoseEstimator',
            config='mmpose::body_2d_keypoint/topdown_heatmap/coco/'
            'td-hm_hrnet-w32_8xb64-210e_coco-256x192.py',
            checkpoint='https://download.openmmlab.com/mmpose/v1/'
            'body_2d_keypoint/topdown_heatmap/coco/'
            'td-hm_hrnet-w32_8xb64-210e_coco-256x192-81c58e40_20220909.pth',
            freeze=False,
            input_mean=[127.5, 127.5, 127.5],
            input_std=[127.5, 127.5, 127.5],
            input_bgr=False),
        in_channels=32,
        out_channels=128,
        use_heatmaps=True),
    pooling=dict(
        type='CompactBilinearPooling',
        input_dim1=512,
        input_dim2=128,
        output_dim=512),
    head=dict(type='EmbeddingHead'),
)
