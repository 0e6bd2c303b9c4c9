# PABR's schedule (yuminsuh/part_bilinear_reid configs/market1501.sh,
# train.py): SGD, momentum 0.9, lr 0.01, x0.2 at 20k/40k/60k iterations
# (epochs 200/400/600 of 100 iterations), 75k iterations, weight decay
# 2e-4, no decay on biases; biases at 1x lr as the PyTorch code in effect
# does (the Caffe original presumably used 2x: bias_lr_mult=2.).
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=2e-4),
    paramwise_cfg=dict(bias_lr_mult=1., bias_decay_mult=0.),
)
param_scheduler = [
    dict(
        type='MultiStepLR',
        by_epoch=False,
        milestones=[20000, 40000, 60000],
        gamma=0.2)
]
train_cfg = dict(type='ResumableIterBasedTrainLoop', max_iters=75000,
                 val_interval=5000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# iteration-based: set default_hooks.checkpoint.by_epoch=False and
# log_processor.by_epoch=False in the leaf config (default_runtime.py
# defines both keys, and _base_ files may not repeat a key).
auto_scale_lr = dict(base_batch_size=250, enable=False)
