# The ResNet-50 baseline: mmpretrain ResNet-50 (ImageNet) with last stride 1,
# global average pooling, BNNeck head with label-smoothed identity CE and
# batch-hard triplet loss. ReIDRunner replaces the marker
# 'train_set.num_classes' by the training set's number of identities.
model = dict(
    type='Baseline',
    data_preprocessor=dict(
        type='ReIDDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True),
    backbone=dict(
        type='mmpretrain.ResNet',
        depth=50,
        num_stages=4,
        strides=(1, 2, 2, 1),
        out_indices=(3, ),
        style='pytorch',
        init_cfg=dict(
            type='Pretrained',
            checkpoint='https://download.openmmlab.com/mmclassification/v0/'
            'resnet/resnet50_8xb32_in1k_20210831-ea4938fc.pth',
            prefix='backbone')),
    neck=dict(type='mmpretrain.GlobalAveragePooling'),
    # BNNeckHead's defaults: label-smoothed (0.1) identity CE, batch-hard
    # triplet (margin 0.3), the feature after the BN neck at test time.
    head=dict(
        type='BNNeckHead',
        in_channels=2048,
        num_classes='train_set.num_classes'),
    # Test on L2-normalised BNNeck features (cosine ranking), as the strong
    # baseline tests (TEST.FEAT_NORM 'yes', TEST.NECK_FEAT 'after'); pass
    # --cfg-options model.test_cfg.normalize=False for raw Euclidean ones.
    test_cfg=dict(normalize=True),
)
