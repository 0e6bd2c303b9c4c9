# FD-GAN stage I on the generated demo dataset, sized for a 2-core CPU:
# the Siamese verification baseline with a ResNet-18 trunk from scratch (no
# download), 128 x 64 input, 32 pairs per batch (1 positive + 3 negatives
# per anchor), Adam 1e-3 (SGD 0.01 from scratch learns too slowly in this
# budget), 900 iterations (about 5 epochs of pairs). Stages II and III load
# work_dirs/demo_stage1/iter_900.pth.
_base_ = [
    '../_base_/models/fdgan_encoder_resnet50.py',
    '../_base_/datasets/demo_fdgan.py',
    '../_base_/default_runtime.py',
]

model = dict(backbone=dict(depth=18, init_cfg=None),
             head=dict(in_channels=512))

train_dataloader = dict(batch_size=32,
                        dataset=dict(_delete_=True,
                                     type='PairDataset',
                                     pairing='per_anchor',
                                     neg_per_pos=3,
                                     dataset=dict(
                                         type={{_base_.dataset_type}},
                                         data_root={{_base_.data_root}},
                                         pipeline={{_base_.pair_pipeline}})))

optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='Adam', lr=1e-3, weight_decay=5e-4))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[720], gamma=0.1)
]
train_cfg = dict(
    type='ResumableIterBasedTrainLoop', max_iters=900, val_interval=900)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(logger=dict(interval=20),
                     checkpoint=dict(by_epoch=False,
                                     interval=300,
                                     max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
