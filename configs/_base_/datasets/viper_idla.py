# VIPeR (cam_a/, cam_b/, plain images: no converter needed) with 316 test
# identities, split 0 of the 10 seeded random 316/316 splits
# (split_id=0..9), for IDLA's pairwise verification at 160 x 60: the
# pipelines, pair loaders and single-shot evaluation of
# cuhk01_idla.py (inherited) on VIPeR (query: cam_a, gallery: cam_b).
_base_ = './cuhk01_idla.py'

dataset_type = 'VIPeR'
data_root = 'data/viper'
num_test_ids = 316
split = dict(type=dataset_type, data_root=data_root, num_test_ids=num_test_ids)
train_dataloader = dict(dataset=dict(dataset=split))
val_dataloader = dict(dataset=split)
test_dataloader = val_dataloader
