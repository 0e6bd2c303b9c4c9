# A small generated demo dataset for IDLA, sized for a 2-core CPU: pair
# scoring is expensive (one head evaluation per query x gallery pair), so
# the data are generated with 2 cameras (as CUHK03 / CUHK01 / VIPeR), 4
# images per identity and 20 test identities, at the paper's 160 x 60
# input size, into data/demo_idla. Training pairs: PairDataset (every
# positive pair + 2 random negatives per positive, re-drawn each epoch by
# PairSampler); evaluation: single-shot CMC with the model's pairwise
# distances (metric='model').
dataset_type = 'DemoReID'
data_root = 'data/demo_idla'
demo = dict(
    num_train_ids=100,
    num_test_ids=20,
    num_cameras=2,
    images_per_id=4,
    img_size=(160, 60),
    num_distractors=5,
    num_junk=0)

# The paper adds 5 translated copies (+-5%) of every image: here each image
# of a pair is translated on the fly with probability 5/6.
train_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(60, 160)),
    dict(type='RandomTranslate', max_shift=0.05, prob=5 / 6),
    dict(type='PackReIDInputs'),
]
test_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(60, 160)),
    dict(type='PackReIDInputs'),
]

train_dataloader = dict(
    batch_size=32,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='PairSampler', shuffle=True),
    dataset=dict(
        type='PairDataset',
        neg_per_pos=2,
        dataset=dict(
            type=dataset_type,
            data_root=data_root,
            pipeline=train_pipeline,
            **demo)))
val_dataloader = dict(
    batch_size=64,
    num_workers=1,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        test_mode=True,
        pipeline=test_pipeline,
        **demo))
test_dataloader = val_dataloader
# The paper's protocol: single-shot CMC (one random gallery image per
# identity, 10 draws); the same pass gives the Market-style mAP over the
# whole gallery (see mmreid.evaluation.functional.ranking).
val_evaluator = dict(
    type='ReIDMetric',
    metric='model',
    protocol='cuhk03_single_shot',
    repeat=10,
    topk=(1, 5, 10))
test_evaluator = val_evaluator
