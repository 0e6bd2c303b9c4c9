# PN-GAN's GAN (docs/en/method_specs.md, PN-GAN) as the official code
# builds it: a CycleGAN-style ResNet generator (ngf 64, 9 residual blocks,
# InstanceNorm) on concat(source image, target skeleton image), a PatchGAN
# discriminator on the image alone (InstanceNorm, LeakyReLU 0.2, the two
# stride-1 convs unpadded: 1 x 26 x 10 logits for 256 x 128), PyTorch's
# default initialisation for both. Least-squares GAN loss + 10 x L1.
# Images and skeleton images are normalised to [-1, 1] RGB alike.
# Options for the code's quirks: d_real='source' feeds D the source image
# as its real sample (the code's netD(src_img)); generator_first=True is
# the code's update order (G, then D on the fakes made before G's step).
model = dict(
    type='PNGAN',
    data_preprocessor=dict(type='PoseTransferDataPreprocessor',
                           mean=[127.5] * 3,
                           std=[127.5] * 3,
                           to_rgb=True,
                           pose_as_image=True),
    generator=dict(type='ResnetGenerator',
                   in_channels=6,
                   ngf=64,
                   num_blocks=9,
                   num_downsamples=2),
    discriminator=dict(type='PatchDiscriminator',
                       in_channels=3,
                       ndf=64,
                       num_layers=3,
                       norm_cfg=dict(type='IN'),
                       final_padding=0,
                       first_bias=False,
                       norm_bias=True,
                       last_bias=False,
                       init_cfg=[]),
    gan_loss=dict(type='GANLoss', gan_type='lsgan'),
    d_real='target',
    generator_first=True,
    loss_weights=dict(adv=1., rec=10.))
