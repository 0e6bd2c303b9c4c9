# Copyright (c) mmreid contributors. All rights reserved.
"""IP-GAN: its losses against closed forms, its modules, and the training
step (update order, per-network objectives) against a written-out one."""
import copy

import pytest
import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper
from torch.distributions import Normal, kl_divergence

from mmreid.models import (IPGAN, AsymmetricReconstructionLoss,
                           AttributeEncoder, FeatureDiscriminator,
                           FeatureMatchingLoss, GaussianKLLoss,
                           IdentityAttributeGenerator)
from mmreid.structures import ReIDDataSample
from mmreid.utils import register_all_modules

register_all_modules()

H, W = 32, 16


# --------------------------------------------------------------- losses --
def test_kl_matches_torch_distributions():
    g = torch.Generator().manual_seed(0)
    mu = torch.randn(5, 7, generator=g)
    logvar = torch.randn(5, 7, generator=g)
    ref = kl_divergence(Normal(mu, torch.exp(0.5 * logvar)),
                        Normal(torch.zeros_like(mu),
                               torch.ones_like(mu))).sum(1).mean()
    torch.testing.assert_close(GaussianKLLoss()(mu, logvar), ref)
    torch.testing.assert_close(
        GaussianKLLoss(loss_weight=3.)(mu, logvar), 3 * ref)
    with pytest.raises(ValueError, match='N x D'):
        GaussianKLLoss()(mu, logvar[:, :3])


@pytest.mark.parametrize('reduction', ['sum', 'mean'])
def test_reconstruction_weights_matching_pairs_fully(reduction):
    g = torch.Generator().manual_seed(1)
    fake = torch.randn(4, 3, 2, 2, generator=g)
    real = torch.randn(4, 3, 2, 2, generator=g)
    matching = torch.tensor([True, False, False, True])
    loss = AsymmetricReconstructionLoss(reduction=reduction)
    # hand-written: 1/2 ||.||^2 per sample, weights 1 / 0.1, batch mean
    per = []
    for k in range(4):
        sq = ((fake[k] - real[k])**2)
        e = 0.5 * (sq.sum() if reduction == 'sum' else sq.mean())
        per.append(e * (1.0 if matching[k] else 0.1))
    ref = sum(per) / 4
    torch.testing.assert_close(loss(fake, real, matching), ref)
    # all matching: no down-weighting
    all_ref = sum(
        0.5 * ((fake[k] - real[k])**2).sum() if reduction == 'sum' else
        0.5 * ((fake[k] - real[k])**2).mean() for k in range(4)) / 4
    torch.testing.assert_close(loss(fake, real), all_ref)
    # a mismatching pair's gradient is 0.1 times a matching one's
    f = fake.clone().requires_grad_(True)
    loss(f, real, matching).backward()
    f2 = fake.clone().requires_grad_(True)
    loss(f2, real, torch.ones(4, dtype=torch.bool)).backward()
    torch.testing.assert_close(f.grad[1], 0.1 * f2.grad[1])
    torch.testing.assert_close(f.grad[0], f2.grad[0])
    with pytest.raises(ValueError, match='reduction'):
        AsymmetricReconstructionLoss(reduction='none')


def test_feature_matching_forms_and_detached_target():
    g = torch.Generator().manual_seed(2)
    fake = torch.randn(6, 5, generator=g, requires_grad=True)
    real = torch.randn(6, 5, generator=g, requires_grad=True)
    mean_ref = 0.5 * ((fake.mean(0) - real.mean(0))**2).sum()
    pair_ref = 0.5 * ((fake - real)**2).sum(1).mean()
    torch.testing.assert_close(FeatureMatchingLoss()(fake, real), mean_ref)
    loss = FeatureMatchingLoss(mode='pairwise')(fake, real)
    torch.testing.assert_close(loss, pair_ref)
    loss.backward()
    assert real.grad is None and fake.grad.abs().sum() > 0
    # 4-d features are flattened per sample
    torch.testing.assert_close(
        FeatureMatchingLoss()(fake.detach().view(6, 5, 1, 1),
                              real.detach().view(6, 5, 1, 1)),
        mean_ref.detach())


# -------------------------------------------------------------- modules --
def test_attribute_encoder_samples_in_training_mean_in_eval():
    torch.manual_seed(0)
    enc = AttributeEncoder(input_size=(H, W), base_channels=4,
                           num_downsamples=3, latent_dim=6)
    enc.init_weights()
    x = torch.randn(3, 3, H, W)
    enc.eval()
    mu, logvar = enc(x)
    torch.testing.assert_close(enc.encode(x), mu)
    noise = torch.randn(3, 6)
    torch.testing.assert_close(
        AttributeEncoder.reparameterize(mu, logvar, noise),
        mu + noise * torch.exp(logvar / 2))
    enc.train()
    torch.manual_seed(5)
    z = enc.encode(x)
    mu_t, logvar_t = enc(x)
    torch.manual_seed(5)
    r = torch.randn(3, 6)
    torch.testing.assert_close(z, mu_t + r * torch.exp(logvar_t / 2))
    assert not torch.allclose(z, mu_t)
    with pytest.raises(ValueError, match='expected'):
        enc(torch.randn(1, 3, H * 2, W))
    with pytest.raises(ValueError, match='divisible'):
        AttributeEncoder(input_size=(20, 16), num_downsamples=3)


def test_generator_and_discriminator():
    g = IdentityAttributeGenerator(10, 6, output_size=(H, W), ngf=4,
                                   num_upsamples=3)
    assert g.base_size == (4, 2)
    out = g(torch.randn(2, 10), torch.randn(2, 6))
    assert out.shape == (2, 3, H, W) and out.abs().max() <= 1
    # the identity code reaches the image
    a = torch.randn(1, 6)
    assert not torch.allclose(g.eval()(torch.randn(1, 10), a),
                              g(torch.randn(1, 10), a))
    with pytest.raises(ValueError, match='codes'):
        g(torch.randn(2, 9), torch.randn(2, 6))
    d = FeatureDiscriminator(input_size=(H, W), ndf=4, num_downsamples=3,
                             feat_dim=5).eval()
    x = torch.randn(2, 3, H, W)
    logits, feat = d(x, return_feat=True)
    assert logits.shape == (2, 1) and feat.shape == (2, 5)
    torch.testing.assert_close(d(x), logits)
    torch.testing.assert_close(d.fc_logit(feat), logits)


# ---------------------------------------------------------------- model --
def reid_cfg(num_classes=3):
    return dict(type='Baseline',
                backbone=dict(type='mmpretrain.ResNet', depth=18,
                              base_channels=8, out_indices=(3, )),
                head=dict(type='BNNeckHead', in_channels=64,
                          num_classes=num_classes, loss_triplet=None))


def tiny_ipgan(**kwargs):
    return IPGAN(
        identity_encoder=reid_cfg(),
        attribute_encoder=dict(type='AttributeEncoder', input_size=(H, W),
                               base_channels=4, num_downsamples=3,
                               latent_dim=6),
        generator=dict(type='IdentityAttributeGenerator', identity_dim=64,
                       attribute_dim=6, output_size=(H, W), ngf=4,
                       num_upsamples=3),
        discriminator=dict(type='FeatureDiscriminator', input_size=(H, W),
                           ndf=4, num_downsamples=3, feat_dim=5),
        classifier=reid_cfg(),
        **kwargs)


def wrappers(model, lr=0.1, d_lr=None):
    """SGD for A and G at ``lr``, for D and C at ``d_lr`` (default
    ``lr``)."""
    d_lr = lr if d_lr is None else d_lr
    lrs = dict(attribute_encoder=lr, generator=lr, discriminator=d_lr,
               classifier=d_lr)
    return build_optim_wrapper(
        model,
        dict(constructor='MultiOptimWrapperConstructor',
             **{k: dict(optimizer=dict(type='SGD', lr=v))
                for k, v in lrs.items()}))


def batch(pairs=((0, 0), (1, 5), (2, 3), (4, 4)), labels=(0, 0, 1, 1, 2, 2),
          seed=0):
    """Pairs (i, j) of 6 images with the given training labels."""
    g = torch.Generator().manual_seed(seed)
    imgs = torch.randint(0, 256, (6, 3, H, W), dtype=torch.uint8,
                         generator=g)
    inputs, samples = [], []
    for i, j in pairs:
        s = ReIDDataSample(metainfo=dict(pair_idx=(i, j),
                                         labels=(labels[i], labels[j]),
                                         pids=(labels[i], labels[j])))
        s.set_gt_label(int(labels[i] == labels[j]))
        samples.append(s)
        inputs.append(torch.stack([imgs[i], imgs[j]]))
    return dict(inputs=inputs, data_samples=samples)


def grads(loss, params):
    return torch.autograd.grad(loss, params, allow_unused=True,
                               retain_graph=True)


def step_of(before, after):
    return [a.detach() - b.detach()
            for a, b in zip(after.parameters(), before.parameters())]


def test_match_modes():
    data = batch()
    model = tiny_ipgan()
    x = model.data_preprocessor(copy.deepcopy(data), True)
    fields = model._pair_fields(x['data_samples'], 'cpu')
    assert fields['labels'].tolist() == [0, 0, 1, 2]
    assert fields['matching'].tolist() == [True, False, False, True]
    ident = tiny_ipgan(match='identity')._pair_fields(x['data_samples'],
                                                      'cpu')
    # (1, 5): labels 0 / 2; (2, 3): labels 1 / 1
    assert ident['matching'].tolist() == [True, False, True, True]
    with pytest.raises(ValueError, match='match'):
        tiny_ipgan(match='pid')
    with pytest.raises(ValueError, match='frozen'):
        tiny_ipgan(frozen_modules=())
    with pytest.raises(KeyError, match='unknown losses'):
        tiny_ipgan(generator_objectives=dict(generator=['loss_adv']))


def test_train_step_order_and_per_network_objectives():
    torch.manual_seed(0)
    model = tiny_ipgan(loss_weights=dict(gd=2., gc=3.))
    model.init_weights()
    model.train()
    model0 = copy.deepcopy(model)
    data = batch()
    ow = wrappers(model)
    MessageHub.get_current_instance().update_info('iter', 0)
    torch.manual_seed(123)
    log = model.train_step(copy.deepcopy(data), ow)

    # the reference, written out on a copy: the same forward (same noise)
    ref = copy.deepcopy(model0)
    x = ref.data_preprocessor(copy.deepcopy(data), True)['inputs']
    subject, attribute = x.img[:, 0], x.img[:, 1]
    torch.manual_seed(123)
    with torch.no_grad():
        f_id = ref.identity_encoder.extract_feat(subject)
    mu, logvar = ref.attribute_encoder(attribute)
    z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
    fake = ref.generator(f_id, z)
    matching = torch.tensor([True, False, False, True])
    labels = torch.tensor([0, 0, 1, 2])

    # 1. D on real attribute images vs detached fakes
    d = ref.discriminator
    d_loss = (F.binary_cross_entropy_with_logits(
        d(attribute), torch.ones(4, 1)) + F.binary_cross_entropy_with_logits(
            d(fake.detach()), torch.zeros(4, 1)))
    torch.testing.assert_close(
        log['discriminator.loss_real'] + log['discriminator.loss_fake'],
        d_loss.detach())
    want_d = [-0.1 * g for g in grads(d_loss, list(d.parameters()))]
    # 2. C on the real subjects
    c = ref.classifier
    logits, _ = c.classify(subject)
    c_loss = F.cross_entropy(logits, labels)
    torch.testing.assert_close(log['classifier.loss_cls'], c_loss.detach())
    c_params = [p for p in c.parameters() if p.requires_grad]
    want_c = grads(c_loss, c_params)

    # 3. A <- l_KL + l_GR, G <- l_GR + l_GD + l_GC, with D and C updated
    with torch.no_grad():
        for p, g in zip(d.parameters(), want_d):
            p.add_(g)
        for p, g in zip(c_params, want_c):
            p.add_(-0.1 * g if g is not None else 0)
    kl = 0.5 * (mu**2 + logvar.exp() - 1 - logvar).sum(1).mean()
    err = 0.5 * ((fake - attribute)**2).flatten(1).mean(1)
    rec = (err * torch.where(matching, 1.0, 0.1)).mean()
    _, fd_fake = d(fake, return_feat=True)
    _, fd_real = d(attribute, return_feat=True)
    gd = 2 * 0.5 * ((fd_fake.mean(0) - fd_real.detach().mean(0))**2).sum()
    _, fc_fake = c.classify(fake)
    _, fc_real = c.classify(subject)
    gc = 3 * 0.5 * ((fc_fake.mean(0) - fc_real.detach().mean(0))**2).sum()
    for name, value in (('loss_kl', kl), ('loss_rec', rec), ('loss_gd', gd),
                        ('loss_gc', gc)):
        torch.testing.assert_close(log[name], value.detach(), msg=name)
    a_params = list(ref.attribute_encoder.parameters())
    g_params = list(ref.generator.parameters())
    want_a = grads(kl + rec, a_params)
    want_a_all = grads(kl + rec + gd + gc, a_params)
    want_g = grads(rec + gd + gc, g_params)

    def close(step, want):
        for s, g in zip(step, want):
            torch.testing.assert_close(s, -0.1 * g, atol=1e-6, rtol=1e-4)

    close(step_of(model0.attribute_encoder, model.attribute_encoder),
          want_a)
    close(step_of(model0.generator, model.generator), want_g)
    for s, g in zip(step_of(model0.discriminator, model.discriminator),
                    want_d):
        torch.testing.assert_close(s, g, atol=1e-6, rtol=1e-4)
    # A got no gradient from l_GD / l_GC, though they depend on it
    diff = sum((a - b).abs().sum() for a, b in zip(want_a, want_a_all))
    assert diff > 1e-4
    # the frozen identity encoder did not move
    for p, q in zip(model.identity_encoder.parameters(),
                    model0.identity_encoder.parameters()):
        assert torch.equal(p, q)
    assert {'attribute_encoder.loss', 'generator.loss'} <= set(log)


def test_disc_loss_factor_scales_discriminator_losses():
    logs = []
    for factor in (1.0, 0.5):
        torch.manual_seed(0)
        model = tiny_ipgan(disc_loss_factor=factor)
        model.init_weights()
        MessageHub.get_current_instance().update_info('iter', 0)
        torch.manual_seed(1)
        logs.append(model.train_step(batch(), wrappers(model)))
    for k in ('discriminator.loss_real', 'discriminator.loss_fake',
              'classifier.loss_cls'):
        torch.testing.assert_close(logs[1][k], 0.5 * logs[0][k])
    with pytest.raises(ValueError, match='disc_loss_factor'):
        tiny_ipgan(disc_loss_factor=0.)


def test_optimizer_keys_follow_the_objectives():
    model = tiny_ipgan()
    ow = build_optim_wrapper(
        model,
        dict(constructor='MultiOptimWrapperConstructor',
             generator=dict(modules=['generator', 'attribute_encoder'],
                            optimizer=dict(type='SGD', lr=0.1)),
             discriminator=dict(optimizer=dict(type='SGD', lr=0.1)),
             classifier=dict(optimizer=dict(type='SGD', lr=0.1))))
    with pytest.raises(KeyError, match='attribute_encoder'):
        model.train_step(batch(), ow)
    # one summed generator loss, as the other GANs: accepted with None
    single = tiny_ipgan(generator_objectives=None)
    MessageHub.get_current_instance().update_info('iter', 0)
    log = single.train_step(batch(), build_optim_wrapper(
        single,
        dict(constructor='MultiOptimWrapperConstructor',
             generator=dict(modules=['generator', 'attribute_encoder'],
                            optimizer=dict(type='SGD', lr=0.1)),
             discriminator=dict(optimizer=dict(type='SGD', lr=0.1)),
             classifier=dict(optimizer=dict(type='SGD', lr=0.1)))))
    assert 'generator.loss' not in log and 'loss_gc' in log


def test_generate_uses_the_mean_code_and_extract_feat_is_i():
    torch.manual_seed(0)
    model = tiny_ipgan().eval()
    xs, xa = torch.randn(2, 3, H, W), torch.randn(2, 3, H, W)
    mu, _ = model.attribute_encoder(xa)
    want = model.generator(model.identity_encoder.extract_feat(xs), mu)
    torch.testing.assert_close(model.generate(xs, xa), want)
    torch.testing.assert_close(model.generate(xs, xa), want)  # no sampling
    torch.testing.assert_close(model(xs),
                               model.identity_encoder.predict_feat(xs))
    with pytest.raises(ValueError, match="mode 'loss'"):
        model(xs, mode='loss')
