# PABR's appearance-only ablation, as the official code's `inception_v1`
# model: the whole Inception-v1 trunk without dilation (inception_4e ->
# pool4 -> inception_5a -> inception_5b, 1024 x 5 x 3 for 160 x 80) ->
# global average pooling -> linear 1x1 conv 1024 -> 512 -> L2. Here the 1x1
# conv (no norm, with bias) comes before the pooling, which is the same map
# (a linear layer commutes with averaging). Same loss, data, schedule and
# multi-GPU setting (global batches, SyncBN) as configs/pabr/market.py.
_base_ = ['./market.py']

model = dict(
    backbone=dict(dilation=1, out_indices=(3, )),
    in_channels=1024,
    app_norm_cfg=None,
    part_stream=None,
    pooling=dict(_delete_=True, type='mmpretrain.GlobalAveragePooling'))
