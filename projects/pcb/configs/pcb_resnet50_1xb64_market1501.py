# PCB on Market-1501 as the paper and its official code train it:
# ResNet-50 (ImageNet) with last stride 1, 384 x 128 inputs resized
# without keeping the aspect ratio, random flip only, shuffled batches of
# 64 (no identity sampler), SGD (nesterov, momentum 0.9, weight decay
# 5e-4), lr 0.1 for the new layers and 0.01 for the backbone, x0.1 after
# 40 epochs, 60 epochs; test feature: the six 2048-d stripe vectors, each
# L2-normalised, ranked by Euclidean distance. One GPU x 64 images (the
# official script ran DataParallel over 2 GPUs with the same global 64).
_base_ = [
    './pcb_resnet50.py',
    '../../../configs/_base_/datasets/market1501.py',
    '../../../configs/_base_/default_runtime.py',
]

train_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(128, 384)),
    dict(type='ReIDRandomFlip', prob=0.5),
    dict(type='PackReIDInputs'),
]
test_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(128, 384)),
    dict(type='PackReIDInputs'),
]
train_dataloader = dict(
    batch_size=64,
    drop_last=True,
    sampler=dict(_delete_=True, type='DefaultSampler', shuffle=True),
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True),
    paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=0.1)}))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[40], gamma=0.1)
]
train_cfg = dict(
    type='ResumableEpochBasedTrainLoop', max_epochs=60, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=2))
