# The AACN PPA schedule [D] (step 1; the paper's is not stated): Adam 1e-4,
# weight decay 5e-4 (none on biases), x0.1 after epoch 20, 30 epochs, no
# re-ID evaluation (method configs set the val/test loaders to None), one
# checkpoint at the end. Includes the default runtime.
_base_ = '../default_runtime.py'

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-4, weight_decay=5e-4),
    paramwise_cfg=dict(bias_decay_mult=0.))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[20], gamma=0.1)
]
train_cfg = dict(
    type='ResumableEpochBasedTrainLoop', max_epochs=30, val_interval=31)
val_cfg = None
test_cfg = None
default_hooks = dict(checkpoint=dict(interval=30, max_keep_ckpts=1))
