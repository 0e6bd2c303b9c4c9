# FD-GAN stage III on the demo dataset (2-core CPU): the demo_stage2.py
# networks, everything trained from the stage-II checkpoint: E and G with
# one Adam (the paper's 1e-5 x 5 for this 120-iteration stage), D_id and
# D_pd SGD 5e-4 (the paper's 1e-4 x 5), BN of E and D_id frozen,
# lambda_v = 10. Test: E only, reid/* (Euclidean) and cascade/* (top-100
# re-scored by V). Loads the last (and only) stage-II checkpoint; the result
# is the last checkpoint, work_dirs/demo_stage3/iter_120.pth.
_base_ = './demo_stage2.py'
load_from = 'work_dirs/demo_stage2/iter_160.pth'

model = dict(
    encoder=dict(init_cfg=None),
    disc_id_init_from_encoder=False,
    frozen_modules=[],
    frozen_bn_modules=['encoder', 'disc_id'],
    loss_weights=dict(verif=10.))

optim_wrapper = dict(
    generator=dict(
        modules=['generator', 'encoder'], optimizer=dict(lr=5e-5)),
    disc_id=dict(optimizer=dict(lr=5e-4)),
    disc_pose=dict(optimizer=dict(lr=5e-4)))
_decay = [
    dict(
        type='LinearLR',
        start_factor=1.,
        end_factor=0.01,
        by_epoch=False,
        begin=60,
        end=120)
]
param_scheduler = dict(generator=_decay, disc_id=_decay, disc_pose=_decay)
train_cfg = dict(max_iters=120, val_interval=120)
default_hooks = dict(checkpoint=dict(interval=120))
# grids and SSIM at the start and the end of the stage only
custom_hooks = [
    dict(type='SyncBuffersHook'),
    dict(
        type='PoseTransferVisHook',
        dataset={{_base_.held_out_transfers}},
        num_samples=8,
        interval=0),
]
