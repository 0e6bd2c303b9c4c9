# VIPeR (cam_a/, cam_b/, plain images: no converter needed) with 316 test
# identities, split 0 of the 10 seeded random 316/316 splits
# (split_id=0..9), for IDLA's pairwise verification at 160 x 60: the
# pipelines, pair loaders and single-shot evaluation of
# cuhk03_classic_idla.py on VIPeR (query: cam_a, gallery: cam_b).
dataset_type = 'VIPeR'
data_root = 'data/viper'
split_id = 0

train_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(60, 160)),
    # The paper adds 5 copies translated by up to +-5% of each image.
    dict(type='RandomTranslate', max_shift=0.05, prob=5 / 6),
    dict(type='PackReIDInputs'),
]
test_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(60, 160)),
    dict(type='PackReIDInputs'),
]

train_dataloader = dict(
    batch_size=128,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='PairSampler', shuffle=True),
    dataset=dict(
        type='PairDataset',
        neg_per_pos=2,
        cross_camera_only=True,
        dataset=dict(
            type=dataset_type,
            data_root=data_root,
            num_test_ids=316,
            split_id=split_id,
            pipeline=train_pipeline)))
val_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        num_test_ids=316,
        split_id=split_id,
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
# Single-shot CMC: one random gallery image per identity, 10 draws.
val_evaluator = dict(
    type='ReIDMetric',
    metric='model',
    protocol='cuhk03_single_shot',
    repeat=10,
    topk=(1, 5, 10, 20))
test_evaluator = val_evaluator
