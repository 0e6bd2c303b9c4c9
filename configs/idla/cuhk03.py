# IDLA on CUHK03, classic protocol (labeled boxes, split 0 of the 20
# released splits; 100 test identities, 1,367 training identities).
# Convert the release first:
#   python tools/dataset_converters/cuhk03_classic.py \
#       data/cuhk03_release/cuhk-03.mat data/cuhk03_classic
# Other splits / the detected boxes (the paper reports the mean over the
# 20 splits; see the README for the loop):
#   --cfg-options train_dataloader.dataset.dataset.split_id=7 \
#       val_dataloader.dataset.split_id=7 \
#       test_dataloader.dataset.split_id=7
#   (and .subset=detected likewise)
_base_ = [
    '../_base_/models/idla.py',
    '../_base_/schedules/idla_inv_210k.py',
    '../_base_/default_runtime.py',
]

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

log_processor = dict(by_epoch=False)
default_hooks = dict(
    logger=dict(interval=100),
    checkpoint=dict(
        by_epoch=False,
        interval=10000,
        max_keep_ckpts=2,
        save_best='reid/rank1',
        rule='greater'))
