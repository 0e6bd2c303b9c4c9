# FD-GAN (Ge et al., NeurIPS 2018) for stages II and III at 256 x 128:
# E + V (fdgan_encoder_resnet50.py, trained alone in stage I), the
# pose-guided generator G (18 pose maps -> 128-d pose feature; 2048 + 128 +
# 256 noise -> decoder -> 3 x 256 x 128, tanh), the identity discriminator
# D_id (the Siamese encoder with a 1-logit head) and the pose discriminator
# D_pd (PatchGAN on 18 + 3 channels, 1 x 30 x 14 logits). Images are
# ImageNet-normalised (the generator's L1 target is the normalised image, as
# the official code).
_base_ = './fdgan_encoder_resnet50.py'

model = dict(
    _delete_=True,
    type='FDGAN',
    data_preprocessor=dict(type='PoseTransferDataPreprocessor',
                           mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375],
                           to_rgb=True),
    encoder={{_base_.model}},
    generator=dict(type='PoseGuidedGenerator',
                   input_size=(256, 128),
                   pose_channels=18,
                   feat_channels=2048,
                   noise_channels=256,
                   pose_feat_channels=128,
                   ngf=64,
                   num_downsamples=5,
                   dropout=0.2),
    # D_id: the Siamese encoder with a 1-logit head; FDGAN copies E into it
    # in stage II (disc_id_init_from_encoder), so no ImageNet init here.
    disc_id=dict(type='VerificationReID',
                 backbone=dict(type='mmpretrain.ResNet',
                               depth=50,
                               num_stages=4,
                               out_indices=(3, ),
                               style='pytorch'),
                 neck=dict(type='mmpretrain.GlobalAveragePooling'),
                 head=dict(type='SquaredDiffVerificationHead',
                           in_channels=2048,
                           num_classes=1)),
    disc_pose=dict(type='PatchDiscriminator',
                   in_channels=21,
                   ndf=64,
                   num_layers=3),
    # FDGAN's defaults: smoothed BCE (real ~ U(0.7, 1), fake ~ U(0, 0.3),
    # labels flipped with probability 1/10001) and the official weights
    # verif=10, rec=100, same_pose=10, adv_id=1, adv_pose=1.
)
# Each sub-network is wrapped in DDP on its own (frozen ones are not).
model_wrapper_cfg = dict(type='MMSeparateDistributedDataParallel',
                         broadcast_buffers=False,
                         find_unused_parameters=False)
