# CUHK03, classic protocol (labeled boxes, split 0 of the 20 released
# splits: 100 test identities, the other 1,367 train), for IDLA's pairwise
# verification at 160 x 60. Training pairs: PairDataset (every
# cross-camera positive pair + 2 random negatives per positive, re-drawn
# each epoch by PairSampler), each image translated by up to +-5%.
# Evaluation: single-shot CMC (one random gallery image per identity, 10
# draws) with the model's pairwise distances (metric='model').
# Convert the release first:
#   python tools/dataset_converters/cuhk03_classic.py \
#       data/cuhk03_release/cuhk-03.mat data/cuhk03_classic
dataset_type = 'CUHK03Classic'
data_root = 'data/cuhk03_classic'
subset = 'labeled'
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
            subset=subset,
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
        subset=subset,
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
