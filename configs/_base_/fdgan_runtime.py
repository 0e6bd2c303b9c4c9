# The mmreid runtime plus PairwiseDistanceHook, which hands the model's
# cascade distance (E's top-k re-scored by V) to the cascade/* metric.
_base_ = './default_runtime.py'
custom_hooks = [
    dict(type='SyncBuffersHook'),
    dict(type='PairwiseDistanceHook'),
]
