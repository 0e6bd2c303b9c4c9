# DPL on the generated demo dataset, sized for a 2-core CPU (about 8 min):
# the demo's native 128 x 64 images (the paper's 160 x 80 costs 1.6x the
# time; the part maps are then 8 x 4 instead of 10 x 5), trained from
# scratch (no ImageNet download), batches of 32 = 8 identities x 4 images
# (identity-contiguous), and Adam 1e-3 as the baseline demo, because the
# paper's SGD 0.01 schedule is for an ImageNet-initialised net over 100k
# iterations. The paper's normalisation (BGR, mean (104, 117, 123), std 1).
_base_ = [
    '../_base_/models/dpl_inception_v1.py',
    '../_base_/datasets/demo.py',
    '../_base_/default_runtime.py',
]

model = dict(
    data_preprocessor=dict(
        mean=[104., 117., 123.], std=[1., 1., 1.], to_rgb=False),
    backbone=dict(init_cfg=None))

train_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(64, 128)),
    dict(type='ReIDRandomFlip', prob=0.5),
    dict(type='PackReIDInputs'),
]
train_dataloader = dict(
    batch_size=32,
    drop_last=True,
    sampler=dict(
        _delete_=True, type='IdentityContiguousSampler', max_per_id=4),
    dataset=dict(pipeline=train_pipeline))

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3, weight_decay=5e-4),
    paramwise_cfg=dict(bias_decay_mult=0.),
)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[120], gamma=0.1)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=150, val_interval=150)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(by_epoch=False, interval=150, max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
