# FD-GAN stage I (the Siamese verification baseline, official baseline.py
# with the README's command): SGD lr 0.01, momentum 0.9, weight decay 5e-4,
# x0.1 every 40 epochs, 100 epochs.
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='SGD',
                                    lr=0.01,
                                    momentum=0.9,
                                    weight_decay=5e-4))
param_scheduler = [
    dict(type='StepLR', by_epoch=True, step_size=40, gamma=0.1),
]
train_cfg = dict(
    type='ResumableEpochBasedTrainLoop', max_epochs=100, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
