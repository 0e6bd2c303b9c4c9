# PN-GAN's GAN schedule (official config.py / train.py): Adam 2e-4,
# betas (0.5, 0.999) for G and D, 20 epochs, the learning rate constant for
# 10 epochs, then linearly to 0. The official LambdaLR factor of (1-based)
# epoch e is 1 - max(0, e - 10) / 10: 1 for epochs 1-10, 0.9 for epoch 11,
# ..., 0 for epoch 20; LinearLR from 0.9 to 0 over 0-based epochs 10..19
# (begin=10, end=20) gives exactly these values.
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=dict(optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))),
    discriminator=dict(
        optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))),
)
_decay = [
    dict(type='LinearLR',
         start_factor=0.9,
         end_factor=0.,
         by_epoch=True,
         begin=10,
         end=20)
]
param_scheduler = dict(generator=_decay, discriminator=_decay)
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=20)
# the GAN stage has no re-ID evaluation (its held-out SSIM is written by
# PoseTransferVisHook)
val_cfg = None
test_cfg = None
