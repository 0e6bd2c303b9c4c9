# FD-GAN stage III (global fine-tuning; official --stage 2): E and G share
# one Adam at 1e-5, betas (0.5, 0.999). The official code lists lr_mult 0.1
# for E's backbone and G and 1.0 for E's head, but torch.optim ignores
# lr_mult, so the effective lr is 1e-5 for every group: reproduced here.
# D_id and D_pd: SGD 1e-4, momentum 0.9, wd 1e-4. 50 epochs: constant for
# 25, then linear decay (factor 1 - max(0, e + 2 - 25) / 26).
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=dict(modules=['generator', 'encoder'],
                   optimizer=dict(type='Adam', lr=1e-5, betas=(0.5, 0.999))),
    disc_id=dict(
        optimizer=dict(type='SGD', lr=1e-4, momentum=0.9, weight_decay=1e-4)),
    disc_pose=dict(
        optimizer=dict(type='SGD', lr=1e-4, momentum=0.9, weight_decay=1e-4)),
)
_decay = [
    dict(type='LinearLR',
         start_factor=25 / 26,
         end_factor=0.,
         by_epoch=True,
         begin=24,
         end=50)
]
param_scheduler = dict(generator=_decay, disc_id=_decay, disc_pose=_decay)
train_cfg = dict(
    type='ResumableEpochBasedTrainLoop', max_epochs=50, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
