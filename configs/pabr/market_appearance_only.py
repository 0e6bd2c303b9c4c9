# PABR's appearance-only ablation (the official code's `inception_v1`
# arch): Inception-v1 without dilation (832 x 10 x 5) -> 1x1 conv 512 + BN
# -> global average pooling -> L2, same loss, data, schedule and multi-GPU
# setting (global batches, SyncBN) as configs/pabr/market.py.
_base_ = ['./market.py']

model = dict(
    backbone=dict(dilation=1),
    part_stream=None,
    pooling=dict(_delete_=True, type='mmpretrain.GlobalAveragePooling'))
