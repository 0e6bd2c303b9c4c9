# FD-GAN stage III on Market-1501: global fine-tuning (official --stage 2).
# Everything is trained, E and G with one Adam; BN of E and D_id frozen;
# lambda_v = 10, lambda_r = 100, lambda_sp = 10. Loads the last stage-II
# checkpoint (epoch_100.pth); the result is the last checkpoint of this
# stage, work_dirs/market_stage3/epoch_50.pth (no best-on-test selection:
# the val_dataloader is the test set).
#   tools/dist_train.sh configs/fdgan/market_stage3.py 8
# Test (E only; reid/* = Euclidean, cascade/* = top-100 re-scored by V):
#   tools/dist_test.sh configs/fdgan/market_stage3.py \
#       work_dirs/market_stage3/epoch_50.pth 8
_base_ = [
    '../_base_/models/fdgan_resnet50.py',
    '../_base_/datasets/market1501_fdgan.py',
    '../_base_/schedules/fdgan_stage3_50e.py',
    '../_base_/default_runtime.py',
]
load_from = 'work_dirs/market_stage2/epoch_100.pth'

model = dict(encoder=dict(backbone=dict(init_cfg=None)),
             frozen_bn_modules=['encoder', 'disc_id'],
             loss_weights=dict(verif=10.))
