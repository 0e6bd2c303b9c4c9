# FD-GAN stage II on DukeMTMC-reID: configs/fdgan/market_stage2.py on Duke
# (keypoints: tools/misc/extract_keypoints.py configs/fdgan/duke_stage2.py).
_base_ = './market_stage2.py'
dataset_type = 'DukeMTMCReID'
data_root = 'data/dukemtmc-reid'
train_dataloader = dict(dataset=dict(
    dataset=dict(type=dataset_type, data_root=data_root)))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = val_dataloader
held_out_transfers = dict(dataset=dict(type=dataset_type, data_root=data_root))
STAGE1 = 'work_dirs/duke_stage1/epoch_100.pth'
model = dict(encoder=dict(init_cfg=dict(checkpoint=STAGE1)))
