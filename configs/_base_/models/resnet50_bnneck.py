# The ResNet-50 baseline: mmpretrain ResNet-50 (ImageNet) with last stride 1,
# global average pooling, BNNeck head with label-smoothed identity CE and
# batch-hard triplet loss. num_classes=None is filled by ReIDRunner from the
# training set.
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
    head=dict(
        type='BNNeckHead',
        in_channels=2048,
        num_classes=None,
        loss_cls=dict(
            type='mmpretrain.LabelSmoothLoss',
            label_smooth_val=0.1,
            mode='original',
            loss_weight=1.0),
        loss_triplet=dict(type='TripletLoss', margin=0.3, loss_weight=1.0),
        test_feature='after_bn'),
    test_cfg=dict(flip=False),
)
