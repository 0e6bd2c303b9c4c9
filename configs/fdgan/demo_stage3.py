# FD-GAN stage III on the demo dataset (2-core CPU): everything trained
# from the stage-II checkpoint, E and G with one Adam (the paper's 1e-5
# x 5 for this 120-iteration stage), D_id and D_pd SGD 5e-4, BN of E and
# D_id frozen, lambda_v = 10. Test: E only, reid/* (Euclidean) and
# cascade/* (top-100 re-scored by V).
_base_ = [
    '../_base_/models/fdgan_resnet50.py',
    '../_base_/datasets/demo_fdgan.py',
    '../_base_/schedules/fdgan_stage3_50e.py',
    '../_base_/fdgan_runtime.py',
]
load_from = 'work_dirs/demo_stage2/iter_160.pth'

model = dict(encoder=dict(backbone=dict(depth=18, init_cfg=None),
                          head=dict(in_channels=512)),
             generator=dict(input_size=(128, 64),
                            feat_channels=512,
                            ngf=32,
                            num_downsamples=4),
             disc_id=dict(backbone=dict(depth=18), head=dict(in_channels=512)),
             disc_pose=dict(ndf=32),
             frozen_bn_modules=['encoder', 'disc_id'],
             loss_weights=dict(verif=10.))

optim_wrapper = dict(generator=dict(optimizer=dict(lr=5e-5)),
                     disc_id=dict(optimizer=dict(lr=5e-4)),
                     disc_pose=dict(optimizer=dict(lr=5e-4)))
_decay = [
    dict(type='LinearLR',
         start_factor=1.,
         end_factor=0.01,
         by_epoch=False,
         begin=60,
         end=120)
]
param_scheduler = dict(generator=_decay, disc_id=_decay, disc_pose=_decay)
train_cfg = dict(_delete_=True,
                 type='IterBasedTrainLoop',
                 max_iters=120,
                 val_interval=120)
default_hooks = dict(logger=dict(interval=10),
                     checkpoint=dict(by_epoch=False,
                                     interval=120,
                                     max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
custom_hooks = [
    dict(type='SyncBuffersHook'),
    dict(type='PairwiseDistanceHook'),
    dict(type='PoseTransferVisHook',
         dataset={{_base_.held_out_transfers}},
         num_samples=8,
         interval=0),
]
