# The demo dataset for the part-aligned methods (DPL, PABR): flip-only
# augmentation and identity-contiguous batches of 32 = 8 identities x 4
# images, as their papers' samplers on a 2-core CPU budget.
_base_ = './demo.py'

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
