# FD-GAN stage II (GAN pre-training with E frozen; official --stage 1):
# G: Adam 1e-4, betas (0.5, 0.999); D_id: SGD 1e-5, momentum 0.9, wd 1e-4;
# D_pd: SGD 1e-3, momentum 0.9, wd 1e-4. 100 epochs: constant for 50, then
# linear decay. The official LambdaLR factor for 0-based epoch e is
# 1 - max(0, e + 2 - 50) / 51: 1 up to e = 48, 50/51 at e = 49, down to 0
# at e = 99; LinearLR from begin=49 to end=100 gives exactly these values.
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=dict(optimizer=dict(type='Adam', lr=1e-4, betas=(0.5, 0.999))),
    disc_id=dict(
        optimizer=dict(type='SGD', lr=1e-5, momentum=0.9, weight_decay=1e-4)),
    disc_pose=dict(
        optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=1e-4)),
)
_decay = [
    dict(type='LinearLR',
         start_factor=50 / 51,
         end_factor=0.,
         by_epoch=True,
         begin=49,
         end=100)
]
param_scheduler = dict(generator=_decay, disc_id=_decay, disc_pose=_decay)
train_cfg = dict(
    type='ResumableEpochBasedTrainLoop', max_epochs=100, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
