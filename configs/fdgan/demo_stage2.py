# FD-GAN stage II on the demo dataset (2-core CPU): G, D_id and D_pd
# trained with the stage-I encoder frozen, at half the paper's sizes
# (128 x 64: 4 pose-encoder downsamplings to the same 8 x 4 bottleneck,
# ngf 32, D_pd ndf 32), ResNet-18 E and D_id. 16 pairs per batch. The
# learning rates are the paper's x5 (G Adam 5e-4, D_id 5e-5, D_pd 5e-3)
# for a 160-iteration stage; constant, then linear decay over the last
# half. PoseTransferVisHook writes held-out sample grids and their SSIM at
# the start, every 40 iterations and at the end (work_dirs/demo_stage2/vis).
_base_ = [
    '../_base_/models/fdgan_resnet50.py',
    '../_base_/datasets/demo_fdgan.py',
    '../_base_/schedules/fdgan_stage2_100e.py',
    '../_base_/default_runtime.py',
]
STAGE1 = 'work_dirs/demo_stage1/iter_900.pth'

model = dict(encoder=dict(backbone=dict(depth=18, init_cfg=None),
                          head=dict(in_channels=512),
                          init_cfg=dict(type='Pretrained', checkpoint=STAGE1)),
             generator=dict(input_size=(128, 64),
                            feat_channels=512,
                            ngf=32,
                            num_downsamples=4),
             disc_id=dict(backbone=dict(depth=18), head=dict(in_channels=512)),
             disc_pose=dict(ndf=32),
             disc_id_init_from_encoder=True,
             frozen_modules=['encoder'],
             frozen_bn_modules=['disc_id'],
             loss_weights=dict(verif=0.))

optim_wrapper = dict(generator=dict(optimizer=dict(lr=5e-4)),
                     disc_id=dict(optimizer=dict(lr=5e-5)),
                     disc_pose=dict(optimizer=dict(lr=5e-3)))
_decay = [
    dict(type='LinearLR',
         start_factor=1.,
         end_factor=0.01,
         by_epoch=False,
         begin=80,
         end=160)
]
param_scheduler = dict(generator=_decay, disc_id=_decay, disc_pose=_decay)
train_cfg = dict(_delete_=True,
                 type='ResumableIterBasedTrainLoop',
                 max_iters=160,
                 val_interval=160)
default_hooks = dict(logger=dict(interval=10),
                     checkpoint=dict(by_epoch=False,
                                     interval=160,
                                     max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
custom_hooks = [
    dict(type='SyncBuffersHook'),
    dict(type='PoseTransferVisHook',
         dataset={{_base_.held_out_transfers}},
         num_samples=8,
         interval=40),
]
