# FD-GAN stage II on Market-1501: GAN pre-training with the stage-I encoder
# frozen (official --stage 1): E in eval mode without gradients, D_id's BN
# frozen, lambda_v = 0, lambda_r = 100, lambda_sp = 10.
#   tools/dist_train.sh configs/fdgan/market_stage2.py 8
# E is initialised from the stage-I checkpoint and D_id from E (its "same"
# logit); set STAGE1 to your stage-I result.
_base_ = [
    '../_base_/models/fdgan_resnet50.py',
    '../_base_/datasets/market1501_fdgan.py',
    '../_base_/schedules/fdgan_stage2_100e.py',
    '../_base_/default_runtime.py',
]
STAGE1 = 'work_dirs/market_stage1/epoch_100.pth'

model = dict(encoder=dict(backbone=dict(init_cfg=None),
                          init_cfg=dict(type='Pretrained', checkpoint=STAGE1)),
             disc_id_init_from_encoder=True,
             frozen_modules=['encoder'],
             frozen_bn_modules=['disc_id'],
             loss_weights=dict(verif=0.))
