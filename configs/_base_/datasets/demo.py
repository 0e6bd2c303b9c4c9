# The procedurally generated demo dataset (generated into data_root on first
# use: 100 train + 100 test identities, 6 cameras, 128 x 64 images), loaded
# at 128 x 64: the Market-1501 loaders and evaluator with smaller images,
# pad 5 instead of 10, and batches sized for a 2-core CPU.
_base_ = './market1501.py'
dataset_type = 'DemoReID'
data_root = 'data/demo'

train_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(64, 128)),
    dict(type='ReIDRandomFlip', prob=0.5),
    dict(type='ReIDPad', padding=5),
    dict(type='ReIDRandomCrop', crop_size=(64, 128)),
    dict(
        type='mmpretrain.RandomErasing',
        erase_prob=0.5,
        mode='const',
        # the ImageNet mean in the pipeline's BGR order (images are BGR
        # until the data preprocessor)
        fill_color=(104, 116, 124)),
    dict(type='PackReIDInputs'),
]
test_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(64, 128)),
    dict(type='PackReIDInputs'),
]

train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(
        type=dataset_type, data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=2,
    dataset=dict(
        type=dataset_type, data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
