# CUHK01 (campus/NNNNCCC.png, plain images: no converter needed) with 100
# test identities (871 training ids), split 0 of the seeded random splits
# (split_id=0..9), for IDLA's pairwise verification at 160 x 60: the
# pipelines, pair loaders and single-shot evaluation of
# cuhk03_classic_idla.py on CUHK01 (query: camera A, gallery: camera B).
_base_ = './cuhk03_classic_idla.py'

dataset_type = 'CUHK01'
data_root = 'data/cuhk01'
num_test_ids = 100
split_id = 0
subset = None  # CUHK03's labeled/detected choice does not apply
# The inner datasets of cuhk03_classic_idla.py's loaders, replaced whole
# (CUHK03's subset argument does not exist here).
split = dict(
    type=dataset_type,
    data_root=data_root,
    num_test_ids=num_test_ids,
    split_id=split_id)
train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            _delete_=True, **split, pipeline={{_base_.train_pipeline}})))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        **split,
        test_mode=True,
        pipeline={{_base_.test_pipeline}}))
test_dataloader = val_dataloader
