# MSMT17 (train + val lists for training) at 256 x 128:
# the Market-1501 pipelines and loaders on another dataset.
_base_ = './market1501.py'
dataset_type = 'MSMT17'
data_root = 'data/msmt17'
train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root))
val_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = val_dataloader
