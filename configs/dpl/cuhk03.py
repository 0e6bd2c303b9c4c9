# DPL on CUHK03-NP (767/700 new protocol, labeled boxes), same recipe as
# market.py (8 GPUs x 37 images forming one contiguous global batch, SyncBN
# under DDP). The paper reports CUHK03 under the old 20-split protocol
# (labeled 85.4 / detected 81.6 rank-1), which comes with the IDLA issue;
# switch to detected boxes with
# --cfg-options train_dataloader.dataset.subset=detected \
#     val_dataloader.dataset.subset=detected
_base_ = ['./market.py']

dataset_type = 'CUHK03NP'
data_root = 'data/cuhk03-np'
train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, subset='labeled'))
val_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, subset='labeled'))
test_dataloader = val_dataloader
