# AACN step 1, the pose-guided part attention network (PPA): a VGG-19 trunk
# to conv4_4 (ImageNet, mmpretrain; stride 8, 512 channels), then
# PartAttentionHead: two 3x3 convs (256, 128) to the stage feature F and
# T = 2 stages of three OpenPose-style branches predicting the keypoint
# maps K (COCO-17: 17), the non-rigid part maps N (8 limbs) and the rigid
# part maps R (3 tight boxes: 'aacn'), R^ = max(R, its limbs' N), each
# stage supervised with L^k + mu1 L^n + mu2 L^r (mu1 = mu2 = 1). Maps are
# 1/8 of the input: 32 x 16 for 256 x 128.
# All three AACN steps normalise the images the same way (torchvision
# GoogLeNet's RGB [-1, 1]), since the full model feeds one image to both
# networks.
aacn_data_preprocessor = dict(
    type='ReIDDataPreprocessor',
    mean=[127.5, 127.5, 127.5],
    std=[127.5, 127.5, 127.5],
    to_rgb=True)
aacn_ppa = dict(
    type='PoseGuidedPartAttention',
    trunk=dict(
        type='mmpretrain.VGG',
        depth=19,
        num_stages=4,
        dilations=(1, 1, 1, 1),
        out_indices=(3, ),
        with_last_pool=False,
        init_cfg=dict(
            type='Pretrained',
            checkpoint='https://download.openmmlab.com/mmclassification/v0/'
            'vgg/vgg19_batch256_imagenet_20210208-e6920e4a.pth',
            prefix='backbone')),
    head=dict(
        type='PartAttentionHead',
        in_channels=512,
        num_stages=2,
        keypoint_format='coco17',
        rigid_parts='aacn',
        rigid_refine='max',
        visibility='map_sum',
        loss_keypoint=dict(type='MapL2Loss', loss_weight=1.),
        loss_nonrigid=dict(type='MapL2Loss', loss_weight=1.),  # mu1
        loss_rigid=dict(type='MapL2Loss', loss_weight=1.)))  # mu2
model = dict(data_preprocessor=aacn_data_preprocessor, **aacn_ppa)
