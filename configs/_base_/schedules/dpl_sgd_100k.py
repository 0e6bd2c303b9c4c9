# DPL's solver (zlmzju/part_reid solver.prototxt): SGD, momentum 0.9, lr
# 0.01, x0.2 every 20k iterations, 100k iterations, weight decay 2e-4;
# biases lr x2 and no decay. The official log reports the 50k model, so we
# evaluate every 10k (both 50k and 100k are logged).
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=2e-4),
    paramwise_cfg=dict(bias_lr_mult=2., bias_decay_mult=0.),
)
param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=False,
        milestones=[20000, 40000, 60000, 80000],
        gamma=0.2)
]
train_cfg = dict(type='ResumableIterBasedTrainLoop', max_iters=100000,
                 val_interval=10000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# iteration-based: set default_hooks.checkpoint.by_epoch=False and
# log_processor.by_epoch=False in the leaf config (default_runtime.py
# defines both keys, and _base_ files may not repeat a key).
auto_scale_lr = dict(base_batch_size=300, enable=False)
