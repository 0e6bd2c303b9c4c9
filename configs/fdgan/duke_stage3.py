# FD-GAN stage III on DukeMTMC-reID: configs/fdgan/market_stage3.py on Duke
# (keypoints: tools/misc/extract_keypoints.py configs/fdgan/duke_stage2.py).
# Loads the last stage-II checkpoint; the result is the last checkpoint,
# work_dirs/duke_stage3/epoch_50.pth.
_base_ = './market_stage3.py'
dataset_type = 'DukeMTMCReID'
data_root = 'data/dukemtmc-reid'
train_dataloader = dict(dataset=dict(
    dataset=dict(type=dataset_type, data_root=data_root)))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = val_dataloader
held_out_transfers = dict(dataset=dict(type=dataset_type, data_root=data_root))
load_from = 'work_dirs/duke_stage2/epoch_100.pth'
