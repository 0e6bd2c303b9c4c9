# FD-GAN's image encoder E with its verification classifier V, on its own the
# stage-I re-ID baseline: ResNet-50 (ImageNet, standard last stride 2) cut
# after global average pooling (2048-d), squared feature difference -> BN ->
# FC(2) (class 1 = same identity), 2-class cross-entropy on image pairs.
# Test: Euclidean ranking of the pooled features, and the cascade that
# re-scores each query's top-100 gallery images by V (test_cfg.rerank_topk).
model = dict(
    type='VerificationReID',
    data_preprocessor=dict(type='PairDataPreprocessor',
                           mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375],
                           to_rgb=True),
    backbone=dict(
        type='mmpretrain.ResNet',
        depth=50,
        num_stages=4,
        out_indices=(3, ),
        style='pytorch',
        init_cfg=dict(
            type='Pretrained',
            checkpoint='https://download.openmmlab.com/mmclassification/v0/'
            'resnet/resnet50_8xb32_in1k_20210831-ea4938fc.pth',
            prefix='backbone')),
    neck=dict(type='mmpretrain.GlobalAveragePooling'),
    # 2-class cross-entropy (the head's default loss_verif)
    head=dict(type='SquaredDiffVerificationHead', in_channels=2048),
    test_cfg=dict(rerank_topk=100),
)
