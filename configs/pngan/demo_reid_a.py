# PN-GAN's ResNet-50-A on the demo dataset: the re-ID network trained on
# real images, i.e. the baseline demo recipe (configs/baseline/demo.py:
# ResNet-18 trunk from scratch, BNNeck, label-smoothed CE + batch-hard
# triplet, P=8 x K=4) made smaller for the shared CPU: 64 x 32 input (the
# demo GAN's size; pad 3) and 3 epochs (warm-up 1, x0.1 for the last).
# configs/pngan/demo_reid_fused.py loads its last checkpoint.
_base_ = '../baseline/demo.py'
work_dir = 'work_dirs/demo_reid_a'
train_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(32, 64)),
    dict(type='ReIDRandomFlip', prob=0.5),
    dict(type='ReIDPad', padding=3),
    dict(type='ReIDRandomCrop', crop_size=(32, 64)),
    dict(type='mmpretrain.RandomErasing',
         erase_prob=0.5,
         mode='const',
         fill_color=(104, 116, 124)),
    dict(type='PackReIDInputs'),
]
test_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(32, 64)),
    dict(type='PackReIDInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
param_scheduler = [
    dict(type='LinearLR',
         start_factor=0.1,
         by_epoch=True,
         begin=0,
         end=1,
         convert_to_iter_based=True),
    dict(type='MultiStepLR',
         by_epoch=True,
         milestones=[1],
         gamma=0.1,
         begin=1,
         end=3),
]
train_cfg = dict(
    type='ResumableEpochBasedTrainLoop', max_epochs=3, val_interval=3)
default_hooks = dict(checkpoint=dict(interval=3, max_keep_ckpts=1))
