# AACN step 2, the global context network (GCN) alone: Inception-v1 to
# inception_4e (torchvision's ImageNet weights), global average pooling and
# a BNNeck head with the identity cross-entropy (the paper's softmax loss).
# The images are normalised as in the other AACN steps.
_base_ = './aacn_ppa_vgg19.py'

model = dict(
    _delete_=True,
    type='Baseline',
    data_preprocessor={{_base_.aacn_data_preprocessor}},
    backbone=dict(
        type='InceptionV1',
        arch='torchvision',
        init_cfg=dict(
            type='Pretrained',
            checkpoint='https://download.pytorch.org/models/'
            'googlenet-1378be20.pth')),
    neck=dict(type='mmpretrain.GlobalAveragePooling'),
    head=dict(
        type='BNNeckHead',
        in_channels=832,
        num_classes='train_set.num_classes',
        loss_cls=dict(type='mmpretrain.CrossEntropyLoss'),
        loss_triplet=None),
    # ranked by Euclidean distance of L2-normalised features [D]
    test_cfg=dict(normalize=True),
)
