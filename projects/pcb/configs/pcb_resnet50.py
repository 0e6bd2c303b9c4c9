# PCB's model: the core baseline's ImageNet ResNet-50 with last stride 1
# (a 24 x 8 map for 384 x 128 inputs) and data preprocessor, without a
# pooling neck, and PCBHead (6 stripes, dropout 0.5, 1 x 1 conv to 256 +
# BN + ReLU and a classifier per stripe, the sum of the six
# cross-entropies). Importing the plugin package registers PCBHead;
# ReIDRunner fills num_classes from the training set.
_base_ = ['../../../configs/_base_/models/resnet50_bnneck.py']

custom_imports = dict(
    imports=['projects.pcb.pcb'], allow_failed_imports=False)

model = dict(
    # the head pools the backbone map into stripes itself
    neck=None,
    head=dict(
        _delete_=True,
        type='PCBHead',
        in_channels=2048,
        num_classes='train_set.num_classes',
        num_stripes=6,
        reduced_channels=256,
        dropout=0.5,
        test_feature='pooled'),
    # the head L2-normalises each stripe; no global normalisation on top
    test_cfg=dict(normalize=False),
)
