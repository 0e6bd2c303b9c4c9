# The ResNet-50 baseline on the generated demo dataset, sized for a 2-core
# CPU: 128 x 64 input, P=8 x K=4 batches, 12 epochs, trained from scratch
# (no ImageNet download needed; a user with internet can restore the
# backbone's init_cfg from _base_/models/resnet50_bnneck.py).
_base_ = [
    '../_base_/models/resnet50_bnneck.py',
    '../_base_/datasets/demo.py',
    '../_base_/default_runtime.py',
]

model = dict(backbone=dict(init_cfg=None))

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3, weight_decay=5e-4),
    paramwise_cfg=dict(bias_decay_mult=0.),
)
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.1,
        by_epoch=True,
        begin=0,
        end=2,
        convert_to_iter_based=True),
    dict(
        type='MultiStepLR',
        by_epoch=True,
        milestones=[8],
        gamma=0.1,
        begin=2,
        end=12),
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=12, val_interval=6)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

default_hooks = dict(
    logger=dict(interval=10), checkpoint=dict(interval=6, max_keep_ckpts=1))
