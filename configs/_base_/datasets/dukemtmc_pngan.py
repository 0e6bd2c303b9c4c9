# DukeMTMC-reID for PN-GAN's GAN at 256 x 128: the Market-1501 PN-GAN
# loaders (market1501_pngan.py) on another dataset. Keypoints and the 8
# canonical poses are computed once for this dataset:
#   python tools/misc/extract_keypoints.py configs/pngan/duke_gan.py
#   python tools/misc/cluster_poses.py configs/pngan/duke_gan.py
_base_ = './market1501_pngan.py'
dataset_type = 'DukeMTMCReID'
data_root = 'data/dukemtmc-reid'
train_dataloader = dict(
    dataset=dict(dataset=dict(type=dataset_type, data_root=data_root)))
held_out_transfers = dict(
    dataset=dict(type=dataset_type, data_root=data_root))
synth_datasets = dict(
    train=dict(type=dataset_type, data_root=data_root),
    test=dict(type=dataset_type, data_root=data_root))
