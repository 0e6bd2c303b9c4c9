# CUHK03-NP (767/700 protocol, labeled boxes) at 256 x 128:
# the Market-1501 pipelines and loaders on another dataset.
_base_ = './market1501.py'
dataset_type = 'CUHK03NP'
data_root = 'data/cuhk03-np'
train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, subset='labeled'))
val_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, subset='labeled'))
test_dataloader = val_dataloader
