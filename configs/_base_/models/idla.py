# IDLA (Ahmed et al., CVPR 2015): tied-conv trunk + neighbourhood-difference
# pair head on 160 x 60 RGB images. Evaluated through ReIDMetric with
# metric='model': the trunk runs once per image (pred_feature = the
# flattened 25 x 37 x 12 trunk output) and PairwiseDistanceHook hands
# model.pairwise_distance (1 - P(same), head over every query x gallery
# pair in batches) to the metric: a leaf config adds
# dict(type='PairwiseDistanceHook') to custom_hooks.
model = dict(
    type='IDLA',
    data_preprocessor=dict(type='PairDataPreprocessor'),
    backbone=dict(type='IDLATrunk'),
    head=dict(
        type='IDLAHead',
        feat_size=(37, 12),
        loss=dict(type='mmpretrain.CrossEntropyLoss')),
    test_cfg=dict(pair_batch_size=128))
