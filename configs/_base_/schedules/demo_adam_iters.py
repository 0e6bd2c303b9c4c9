# Short CPU demo schedule for networks trained from scratch: Adam 1e-3
# (no decay on biases), iteration-based, x0.1 near the end, one evaluation
# and one checkpoint at the end. Leaves set the length:
#   param_scheduler milestones, train_cfg.max_iters / val_interval and
#   default_hooks.checkpoint.interval. Includes the default runtime (its
#   logging and checkpoint hooks are set here).
_base_ = '../default_runtime.py'

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3, weight_decay=5e-4),
    paramwise_cfg=dict(bias_decay_mult=0.),
)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[120], gamma=0.1)
]
train_cfg = dict(
    type='ResumableIterBasedTrainLoop', max_iters=150, val_interval=150)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(by_epoch=False, interval=150, max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
