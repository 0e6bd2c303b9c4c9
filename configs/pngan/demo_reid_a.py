# PN-GAN's ResNet-50-A on the demo dataset: the re-ID network trained on
# real images, i.e. the baseline demo recipe (configs/baseline/demo.py:
# ResNet-18 trunk from scratch, BNNeck, label-smoothed CE + batch-hard
# triplet, P=8 x K=4, its 16-epoch schedule) at the demo GAN's 64 x 32
# input (pad 3). configs/pngan/demo_reid_fused.py loads its last
# checkpoint (epoch_16.pth).
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
