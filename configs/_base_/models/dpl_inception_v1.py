# DPL (Zhao et al., ICCV 2017): Inception-v1 up to inception_4e (832 x 10 x 5
# for 160 x 80) -> PartMapHead: 1x1 conv 832 -> 512 (linear), K=8 sigmoid
# part maps, part-weighted average pooling, FC 512 -> 64 per part,
# concatenated and L2-normalised (512-d); all-triplets loss, margin 0.2,
# squared distances (mined over the batch of all GPUs: the head's
# TripletLoss has gather_across_ranks=True). PartMapHead's defaults are the
# paper's (832 -> 512, K=8, 64-d parts, the loss above).
# The images are normalised as torchvision's GoogLeNet weights expect (RGB,
# [-1, 1]); the demo config, trained from scratch, uses the paper's BGR
# mean (104, 117, 123), std 1.
model = dict(
    type='DPL',
    data_preprocessor=dict(
        type='ReIDDataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[127.5, 127.5, 127.5],
        to_rgb=True),
    backbone=dict(
        type='InceptionV1',
        arch='torchvision',
        dilation=1,
        init_cfg=dict(
            type='Pretrained',
            checkpoint='https://download.pytorch.org/models/'
            'googlenet-1378be20.pth')),
    head=dict(type='PartMapHead'),
)
