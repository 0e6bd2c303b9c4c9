# VIPeR (cam_a/, cam_b/, plain images: no converter needed) with 316 test
# identities, split 0 of the 10 seeded random 316/316 splits
# (split_id=0..9), for IDLA's pairwise verification at 160 x 60: the
# pipelines, pair loaders and single-shot evaluation of
# cuhk03_classic_idla.py on VIPeR (query: cam_a, gallery: cam_b).
_base_ = './cuhk03_classic_idla.py'

dataset_type = 'VIPeR'
data_root = 'data/viper'
num_test_ids = 316
split_id = 0
subset = None  # CUHK03's labeled/detected choice does not apply
# The inner datasets of cuhk03_classic_idla.py's loaders, replaced whole
# (CUHK03's subset argument does not exist here).
train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            _delete_=True,
            type=dataset_type,
            data_root=data_root,
            num_test_ids=num_test_ids,
            split_id=split_id,
            pipeline={{_base_.train_pipeline}})))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        num_test_ids=num_test_ids,
        split_id=split_id,
        test_mode=True,
        pipeline={{_base_.test_pipeline}}))
test_dataloader = val_dataloader
