# PABR on DukeMTMC-reID: the Market-1501 recipe (configs/pabr/market.py),
# 8 GPUs x 31 images forming one contiguous global batch, SyncBN under DDP.
_base_ = ['./market.py']

dataset_type = 'DukeMTMCReID'
data_root = 'data/dukemtmc-reid'
train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = val_dataloader
