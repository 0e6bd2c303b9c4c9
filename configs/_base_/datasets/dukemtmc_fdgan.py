# DukeMTMC-reID for FD-GAN: the Market-1501 FD-GAN loaders on another
# dataset (keypoints: tools/misc/extract_keypoints.py
# configs/fdgan/duke_stage2.py).
_base_ = './market1501_fdgan.py'
dataset_type = 'DukeMTMCReID'
data_root = 'data/dukemtmc-reid'
train_dataloader = dict(dataset=dict(
    dataset=dict(type=dataset_type, data_root=data_root)))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = val_dataloader
held_out_transfers = dict(dataset=dict(type=dataset_type, data_root=data_root))
