# Market-1501 at 256 x 128, P x K = 16 x 4 identity batches.
dataset_type = 'Market1501'
data_root = 'data/market1501'

train_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(128, 256)),
    dict(type='ReIDRandomFlip', prob=0.5),
    dict(type='ReIDPad', padding=10),
    dict(type='ReIDRandomCrop', crop_size=(128, 256)),
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
    dict(type='ReIDResize', scale=(128, 256)),
    dict(type='PackReIDInputs'),
]

train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='IdentitySampler', num_instances=4),
    dataset=dict(
        type=dataset_type, data_root=data_root, pipeline=train_pipeline),
)
val_dataloader = dict(
    batch_size=128,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        test_mode=True,
        pipeline=test_pipeline),
)
test_dataloader = val_dataloader
val_evaluator = dict(type='ReIDMetric', metric='euclidean', protocol='market')
test_evaluator = val_evaluator
