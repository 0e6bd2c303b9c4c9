# IDLA (Ahmed et al., CVPR 2015): tied-conv trunk + neighbourhood-difference
# pair head on 160 x 60 RGB images. Evaluated through ReIDMetric with
# metric='model': the trunk runs once per image (pred_feature = the
# flattened 25 x 37 x 12 trunk output) and ReIDRunner gives the metric
# model.distance_matrix (1 - P(same), the head over every query x gallery
# pair in batches). The classes' defaults are the paper's network.
model = dict(
    type='IDLA',
    data_preprocessor=dict(type='PairDataPreprocessor'),
    backbone=dict(type='IDLATrunk'),
    head=dict(type='IDLAHead'))
