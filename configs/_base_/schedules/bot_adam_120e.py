# The "bag of tricks" schedule (Luo et al. 2019): Adam 3.5e-4, wd 5e-4,
# linear warm-up over 10 epochs from 0.1x, x0.1 at epochs 40 and 70, 120
# epochs. Biases get no weight decay.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=3.5e-4, weight_decay=5e-4),
    paramwise_cfg=dict(bias_decay_mult=0.),
)
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.1,
        by_epoch=True,
        begin=0,
        end=10,
        convert_to_iter_based=True),
    dict(
        type='MultiStepLR',
        by_epoch=True,
        # MMEngine counts milestones from `begin`: 10 + 30 = epoch 40 and
        # 10 + 60 = epoch 70, as in the paper.
        milestones=[30, 60],
        gamma=0.1,
        begin=10,
        end=120),
]
train_cfg = dict(
    type='ResumableEpochBasedTrainLoop', max_epochs=120, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# 64 images per iteration = P=16 identities x K=4 images, one GPU.
auto_scale_lr = dict(base_batch_size=64, enable=False)
