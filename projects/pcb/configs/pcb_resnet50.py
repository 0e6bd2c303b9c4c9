# PCB's model: an ImageNet ResNet-50 with last stride 1 (a 24 x 8 map for
# 384 x 128 inputs), no pooling neck, and PCBHead (6 stripes, dropout 0.5,
# 1 x 1 conv to 256 + BN + ReLU and a classifier per stripe, the sum of
# the six cross-entropies). Importing the plugin package registers
# PCBHead; ReIDRunner fills num_classes from the training set.
custom_imports = dict(
    imports=['projects.pcb.pcb'], allow_failed_imports=False)

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
    # the head pools the backbone map into stripes itself
    neck=None,
    head=dict(
        type='PCBHead',
        in_channels=2048,
        num_classes='train_set.num_classes',
        num_stripes=6,
        reduced_channels=256,
        dropout=0.5,
        test_feature='pooled'),
)
