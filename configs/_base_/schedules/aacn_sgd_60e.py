# The AACN re-ID schedule [D] (steps 2 and 3-4; the paper's solver is not
# stated): SGD, momentum 0.9, weight decay 5e-4, lr 0.01, x0.1 after epoch
# 40, 60 epochs, one evaluation and one checkpoint at the end. Includes the
# default runtime.
_base_ = '../default_runtime.py'

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[40], gamma=0.1)
]
train_cfg = dict(
    type='ResumableEpochBasedTrainLoop', max_epochs=60, val_interval=60)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(checkpoint=dict(interval=60, max_keep_ckpts=1))
