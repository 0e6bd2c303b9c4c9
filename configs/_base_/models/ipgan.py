# IP-GAN (Bao et al., CVPR 2018) for 256 x 128 person images. Tags: [paper]
# stated in the paper, [paper?] our reading of it, [ours] our choice.
# - I: a re-ID ResNet-50 (BNNeck), pre-trained with softmax l_I (stage 1),
#   frozen [paper]; C: the same architecture [paper], initialised from the
#   same stage-1 checkpoint [ours], trained on with l_C.
# - A: strided convs to a VAE code (mu, logvar), 256-d [paper?].
# - G: FC to 512 x 4 x 2, up-sampling blocks (nearest x2, conv, BN, ReLU),
#   conv + tanh [paper: from 4 x 4 for 128 x 128 faces; ours: 6 blocks
#   from 4 x 2 for 256 x 128].
# - D: DCGAN-style convs; f_D = its penultimate (FC) layer [paper?]; f_C =
#   C's penultimate layer (the BNNeck feature before the classifier)
#   [paper?].
# - l_GR: 1/2 ||x_a - x'||^2 summed over the pixels [paper], weight 1 when
#   x_s and x_a are the same image, 0.1 otherwise [paper?: "x_s = x_a"].
# - l_GD, l_GC: 1/2 ||f(x') - f(x_real)||^2 per pair [paper?].
# - Loss weights all 1 [paper?: not stated in the text we had]; A <- l_KL +
#   l_GR, G <- l_GR + l_GD + l_GC [paper].
# Images are normalised to [-1, 1] RGB (G ends with tanh); the stage-1
# network is trained on the same normalisation [ours].
_reid = dict(
    type='Baseline',
    backbone=dict(type='mmpretrain.ResNet',
                  depth=50,
                  num_stages=4,
                  strides=(1, 2, 2, 1),
                  out_indices=(3, ),
                  style='pytorch'),
    neck=dict(type='mmpretrain.GlobalAveragePooling'),
    head=dict(type='BNNeckHead',
              in_channels=2048,
              num_classes='train_set.num_classes',
              loss_cls=dict(type='mmpretrain.CrossEntropyLoss'),
              loss_triplet=None),
    test_cfg=dict(normalize=True))
model = dict(
    type='IPGAN',
    data_preprocessor=dict(type='PairDataPreprocessor',
                           mean=[127.5] * 3,
                           std=[127.5] * 3,
                           to_rgb=True),
    identity_encoder=_reid,
    classifier=_reid,
    attribute_encoder=dict(type='AttributeEncoder',
                           input_size=(256, 128),
                           base_channels=64,
                           num_downsamples=6,
                           latent_dim=256),
    generator=dict(type='IdentityAttributeGenerator',
                   identity_dim=2048,
                   attribute_dim=256,
                   output_size=(256, 128),
                   ngf=64,
                   num_upsamples=6),
    discriminator=dict(type='FeatureDiscriminator',
                       input_size=(256, 128),
                       ndf=64,
                       num_downsamples=6,
                       feat_dim=512),
    match='image',
    gan_loss=dict(type='GANLoss'),
    rec_loss=dict(type='AsymmetricReconstructionLoss',
                  mismatch_weight=0.1,
                  reduction='sum'),
    gd_loss=dict(type='FeatureMatchingLoss', mode='pairwise'),
    gc_loss=dict(type='FeatureMatchingLoss', mode='pairwise'),
    loss_weights=dict(kl=1., rec=1., gd=1., gc=1., cls=1.),
    generator_objectives=dict(attribute_encoder=['loss_kl', 'loss_rec'],
                              generator=['loss_rec', 'loss_gd', 'loss_gc']),
    disc_loss_factor=1.0,
    frozen_modules=['identity_encoder'])
# Each sub-network is wrapped in DDP on its own (frozen ones are not).
model_wrapper_cfg = dict(type='MMSeparateDistributedDataParallel',
                         broadcast_buffers=False,
                         find_unused_parameters=False)
