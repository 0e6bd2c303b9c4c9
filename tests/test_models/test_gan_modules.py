# Copyright (c) mmreid contributors. All rights reserved.
"""FD-GAN's networks: shapes of the official networks, heads, losses."""
import math

import pytest
import torch
import torch.nn.functional as F

from mmreid.models import (GANLoss, PatchDiscriminator, PoseGuidedGenerator,
                           SquaredDiffVerificationHead, VerificationReID,
                           copy_verifier_to_discriminator)


def test_generator_shapes_match_the_paper():
    g = PoseGuidedGenerator()  # 256 x 128, ngf 64, 5 downsamplings
    g.eval()
    pose = torch.rand(1, 18, 256, 128)
    enc_shapes, dec_shapes = [], []
    x = pose
    for layer in g.pose_encoder:
        x = layer(x)
        enc_shapes.append(tuple(x.shape[1:]))
    assert enc_shapes == [(64, 128, 64), (128, 64, 32), (256, 32, 16),
                          (512, 16, 8), (512, 8, 4), (128, 1, 1)]
    fused = torch.randn(1, 2048 + 128 + 256, 1, 1)
    assert g.decoder[0][1].in_channels == 2432
    y = fused
    for layer in g.decoder:
        y = layer(y)
        dec_shapes.append(tuple(y.shape[1:]))
    assert dec_shapes == [(512, 8, 4), (512, 16, 8), (256, 32, 16),
                          (128, 64, 32), (64, 128, 64), (3, 256, 128)]
    out = g(pose, torch.randn(1, 2048), torch.randn(1, 256))
    assert out.shape == (1, 3, 256, 128)
    assert out.abs().max() <= 1  # tanh


def test_generator_half_size_and_errors():
    g = PoseGuidedGenerator(input_size=(128, 64),
                            feat_channels=512,
                            ngf=32,
                            num_downsamples=4)
    assert g.bottleneck == (8, 4)
    assert g(torch.rand(2, 18, 128, 64), torch.randn(2, 512),
             torch.randn(2, 256)).shape == (2, 3, 128, 64)
    with pytest.raises(ValueError, match='divisible'):
        PoseGuidedGenerator(input_size=(100, 50))
    with pytest.raises(ValueError, match='pose maps must be'):
        g(torch.rand(2, 17, 128, 64), torch.randn(2, 512), torch.randn(2, 256))
    with pytest.raises(ValueError, match='features have'):
        g(torch.rand(2, 18, 128, 64), torch.randn(2, 100), torch.randn(2, 256))
    add = PoseGuidedGenerator(input_size=(64, 32),
                              feat_channels=16,
                              noise_channels=4,
                              pose_feat_channels=8,
                              ngf=8,
                              num_downsamples=3,
                              fuse_mode='add')
    assert add(torch.rand(2, 18, 64, 32), torch.randn(2, 16),
               torch.randn(2, 4)).shape == (2, 3, 64, 32)


def test_generator_init_follows_fdgan():
    g = PoseGuidedGenerator(input_size=(64, 32),
                            feat_channels=64,
                            ngf=32,
                            num_downsamples=3)
    g.init_weights()
    conv_w = torch.cat([
        m.weight.flatten() for m in g.modules()
        if isinstance(m, (torch.nn.Conv2d, torch.nn.ConvTranspose2d))
    ])
    bn_w = torch.cat(
        [m.weight for m in g.modules() if isinstance(m, torch.nn.BatchNorm2d)])
    assert abs(conv_w.std().item() - 0.02) < 0.002
    assert abs(conv_w.mean().item()) < 0.001
    assert abs(bn_w.mean().item() - 1) < 0.01
    assert 0.01 < bn_w.std().item() < 0.03


def test_patch_discriminator_output_matches_the_paper():
    d = PatchDiscriminator()  # 21 channels, ndf 64, 3 layers
    assert d(torch.randn(1, 21, 256, 128)).shape == (1, 1, 30, 14)
    with pytest.raises(ValueError, match='21 input channels'):
        d(torch.randn(1, 3, 256, 128))


def test_verification_head_formula():
    head = SquaredDiffVerificationHead(in_channels=3)
    head.init_weights()
    assert head.bn.weight.eq(1).all() and head.bn.bias.eq(0).all()
    assert head.classifier.bias.eq(0).all()
    assert head.classifier.weight.std() < 0.01
    with torch.no_grad():
        head.bn.running_mean.copy_(torch.tensor([0.5, 1., 2.]))
        head.bn.running_var.copy_(torch.tensor([4., 1., 0.25]))
        head.classifier.weight.copy_(torch.tensor([[1., 0, 0], [0, 1, 2]]))
        head.classifier.bias.copy_(torch.tensor([0.1, -0.1]))
    head.eval()
    f1 = torch.tensor([[1., 2., 3.]])
    f2 = torch.tensor([[0., 0., 1.]])
    # by hand: d^2 = (1, 4, 4); BN: ((1-.5)/2, (4-1)/1, (4-2)/.5) = (.25, 3, 4)
    eps = head.bn.eps
    bn = [(1 - .5) / math.sqrt(4 + eps), (4 - 1) / math.sqrt(1 + eps),
          (4 - 2) / math.sqrt(.25 + eps)]
    want = torch.tensor([[bn[0] + .1, bn[1] + 2 * bn[2] - .1]])
    torch.testing.assert_close(head(f1, f2), want)
    torch.testing.assert_close(head.same_prob(f1, f2),
                               F.softmax(want, 1)[:, 1])
    with pytest.raises(ValueError):
        SquaredDiffVerificationHead(num_classes=3)


def _verifier(num_classes=2):
    return VerificationReID(backbone=dict(type='mmpretrain.ResNet',
                                          depth=18,
                                          out_indices=(3, )),
                            head=dict(type='SquaredDiffVerificationHead',
                                      in_channels=512,
                                      num_classes=num_classes))


def test_disc_id_is_the_encoder_with_its_same_logit():
    enc, disc = _verifier(2), _verifier(1)
    enc.init_weights()
    with torch.no_grad():  # distinguishable rows
        enc.head.classifier.weight.normal_()
        enc.head.classifier.bias.copy_(torch.tensor([0.3, -0.7]))
    copy_verifier_to_discriminator(enc, disc)
    enc.eval()
    disc.eval()
    x1, x2 = torch.randn(3, 3, 64, 32), torch.randn(3, 3, 64, 32)
    with torch.no_grad():
        e = enc.head(enc.extract_feat(x1), enc.extract_feat(x2))
        d = disc.head(disc.extract_feat(x1), disc.extract_feat(x2))
    assert d.shape == (3, 1)  # D_id: one logit per pair
    torch.testing.assert_close(d[:, 0], e[:, 1])


def test_gan_loss_values_smoothing_and_flip():
    pred = torch.tensor([0.3, -1.2, 2.0])
    loss = GANLoss()
    want = -torch.log(torch.sigmoid(pred)).mean()
    torch.testing.assert_close(loss(pred, True), want)
    torch.testing.assert_close(loss(pred, False),
                               -torch.log(1 - torch.sigmoid(pred)).mean())
    # smoothed targets, seen through LSGAN on a zero prediction: loss = t^2
    smooth = GANLoss(gan_type='lsgan',
                     smooth_real=(0.7, 1.0),
                     smooth_fake=(0.0, 0.3))
    zero = torch.zeros(4)
    torch.manual_seed(0)
    reals = [
        smooth(zero, True, is_disc=True).sqrt().item() for _ in range(200)
    ]
    fakes = [
        smooth(zero, False, is_disc=True).sqrt().item() for _ in range(200)
    ]
    assert 0.7 <= min(reals) and max(reals) <= 1.0
    assert max(reals) - min(reals) > 0.2  # drawn, not fixed
    assert 0.0 <= min(fakes) and max(fakes) <= 0.3
    # the generator's terms are never smoothed
    assert smooth(zero, True).item() == 1.0
    # flip_prob=1 swaps real and fake in discriminator updates
    real, fake = torch.full((2, ), 3.), torch.full((2, ), -3.)
    plain = GANLoss().disc_loss(real, fake)
    flipped = GANLoss(flip_prob=1.0).disc_loss(real, fake)
    torch.testing.assert_close(
        plain, 0.5 * (F.softplus(-real).mean() + F.softplus(fake).mean()))
    assert flipped > plain + 2
    with pytest.raises(ValueError):
        GANLoss(gan_type='wgan')
