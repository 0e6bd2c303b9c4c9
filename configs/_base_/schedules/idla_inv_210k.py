# The paper's schedule (docs/en/method_specs.md, IDLA): SGD, momentum 0.9,
# weight decay 5e-4, base lr 0.01 with Caffe's "inv" policy
# lr_t = 0.01 (1 + 1e-4 t)^-0.75, about 210k iterations of 128 pairs.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(type='InvLR', gamma=1e-4, power=0.75, by_epoch=False),
]
train_cfg = dict(type='ResumableIterBasedTrainLoop', max_iters=210000,
                 val_interval=10000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
