# Copyright (c) mmreid contributors. All rights reserved.
"""PN-GAN's networks (the spec's shapes) and its training step."""
import copy

import pytest
import torch
import torch.nn.functional as F
from mmengine.optim import build_optim_wrapper
from torch import nn

from mmreid.models import (PNGAN, PatchDiscriminator, ResidualBlock,
                           ResnetGenerator)
from mmreid.structures import ReIDDataSample
from mmreid.utils import register_all_modules

register_all_modules()

PNGAN_D = dict(in_channels=3,
               norm_cfg=dict(type='IN'),
               final_padding=0,
               first_bias=False,
               norm_bias=True,
               last_bias=False)


def conv_params(cin, cout, k, bias=True):
    return cin * cout * k * k + (cout if bias else 0)


# ------------------------------------------------------------ generator --
def test_generator_shapes_match_the_spec():
    g = ResnetGenerator(ngf=8, num_blocks=9)  # channels scale with ngf
    x = torch.cat([torch.rand(1, 3, 256, 128), torch.rand(1, 3, 256, 128)], 1)
    shapes = []
    for layer in g.model:
        x = layer(x)
        if isinstance(layer, (nn.ReLU, nn.Tanh, ResidualBlock)):
            shapes.append(tuple(x.shape[1:]))
    blocks = [(32, 64, 32)] * 9
    assert shapes == [(8, 256, 128), (16, 128, 64), (32, 64, 32)] + \
        blocks + [(16, 128, 64), (8, 256, 128), (3, 256, 128)]
    assert x.abs().max() <= 1  # tanh


def test_generator_parameters_are_the_official_layout():
    """ngf 64, 9 blocks: every conv of the spec's table, IN without
    parameters, the last conv without bias."""
    g = ResnetGenerator()
    want = (conv_params(6, 64, 7) + conv_params(64, 128, 3) +
            conv_params(128, 256, 3) + 9 * 2 * conv_params(256, 256, 3) +
            conv_params(256, 128, 3) + conv_params(128, 64, 3) +
            conv_params(64, 3, 7, bias=False))
    assert sum(p.numel() for p in g.parameters()) == want
    norms = [m for m in g.modules() if isinstance(m, nn.InstanceNorm2d)]
    assert len(norms) == 1 + 2 + 9 * 2 + 2
    assert not any(m.affine for m in norms)
    deconvs = [m for m in g.modules() if isinstance(m, nn.ConvTranspose2d)]
    assert [(m.stride, m.padding, m.output_padding) for m in deconvs] == \
        [((2, 2), (1, 1), (1, 1))] * 2
    pads = [m for m in g.modules() if isinstance(m, nn.ReflectionPad2d)]
    assert [m.padding for m in pads] == [(3, 3, 3, 3)] * 2


def test_residual_block_relu_after_the_sum():
    torch.manual_seed(0)
    block = ResidualBlock(4)
    x = torch.randn(2, 4, 6, 5)
    h = F.relu(F.instance_norm(block.conv1[0](x)))
    h = F.instance_norm(block.conv2[0](h))
    torch.testing.assert_close(block(x), F.relu(x + h))
    assert (block(x) >= 0).all()


def test_generator_errors():
    g = ResnetGenerator(ngf=4, num_blocks=1)
    with pytest.raises(ValueError, match='divisible'):
        g(torch.rand(1, 3, 30, 16), torch.rand(1, 3, 30, 16))
    with pytest.raises(ValueError, match='batch size'):
        g(torch.rand(2, 3, 32, 16), torch.rand(1, 3, 32, 16))
    with pytest.raises(ValueError, match='channels'):
        g(torch.rand(1, 3, 32, 16), torch.rand(1, 18, 32, 16))


# -------------------------------------------------------- discriminator --
def test_pngan_discriminator_is_the_official_one():
    d = PatchDiscriminator(**PNGAN_D, init_cfg=[])
    assert d(torch.randn(2, 3, 256, 128)).shape == (2, 1, 26, 10)
    assert d(torch.randn(1, 3, 128, 64)).shape == (1, 1, 10, 2)
    want = (conv_params(3, 64, 4, False) + conv_params(64, 128, 4) +
            conv_params(128, 256, 4) + conv_params(256, 512, 4) +
            conv_params(512, 1, 4, False))
    assert sum(p.numel() for p in d.parameters()) == want
    convs = [m for m in d.modules() if isinstance(m, nn.Conv2d)]
    assert [(c.stride[0], c.padding[0]) for c in convs] == [(2, 1), (2, 1),
                                                            (2, 1), (1, 0),
                                                            (1, 0)]
    assert sum(isinstance(m, nn.InstanceNorm2d) for m in d.modules()) == 3
    assert not any(isinstance(m, nn.BatchNorm2d) for m in d.modules())
    acts = [m for m in d.modules() if isinstance(m, nn.LeakyReLU)]
    assert len(acts) == 4 and all(a.negative_slope == 0.2 for a in acts)


def reference_fdgan_patch_d(d):
    """FD-GAN's D_pd spelled out with functional ops on ``d``'s weights."""
    sd = d.state_dict()

    def bn(x, i):
        w = [sd[f'model.{i}.{k}']
             for k in ('running_mean', 'running_var', 'weight', 'bias')]
        return F.batch_norm(x, *w)

    def lrelu(x):
        return F.leaky_relu(x, 0.2)

    x = REF_INPUT
    x = lrelu(F.conv2d(x, sd['model.0.weight'], sd['model.0.bias'], 2, 1))
    x = lrelu(bn(F.conv2d(x, sd['model.2.weight'], None, 2, 1), 3))
    x = lrelu(bn(F.conv2d(x, sd['model.5.weight'], None, 2, 1), 6))
    x = lrelu(bn(F.conv2d(x, sd['model.8.weight'], None, 1, 1), 9))
    return F.conv2d(x, sd['model.11.weight'], sd['model.11.bias'], 1, 1)


REF_INPUT = torch.randn(2, 21, 64, 32, generator=torch.Generator()
                        .manual_seed(0))


def test_fdgan_discriminator_is_unchanged():
    """The defaults (FD-GAN's D_pd) keep their parameter names, shapes and
    outputs."""
    torch.manual_seed(0)
    d = PatchDiscriminator(ndf=8)
    d.init_weights()
    d.eval()
    shapes = {k: tuple(v.shape) for k, v in d.state_dict().items()}
    bn_keys = ('weight', 'bias', 'running_mean', 'running_var')
    want = {'model.0.weight': (8, 21, 4, 4), 'model.0.bias': (8, )}
    for conv, bn, cin, cout in ((2, 3, 8, 16), (5, 6, 16, 32),
                                (8, 9, 32, 64)):
        want[f'model.{conv}.weight'] = (cout, cin, 4, 4)
        want.update({f'model.{bn}.{k}': (cout, ) for k in bn_keys})
        want[f'model.{bn}.num_batches_tracked'] = ()
    want.update({'model.11.weight': (1, 64, 4, 4), 'model.11.bias': (1, )})
    assert shapes == want
    with torch.no_grad():
        torch.testing.assert_close(d(REF_INPUT), reference_fdgan_patch_d(d))


# ---------------------------------------------------------------- model --
def tiny_pngan(**kwargs):
    return PNGAN(generator=dict(type='ResnetGenerator', ngf=4, num_blocks=1),
                 discriminator=dict(type='PatchDiscriminator', ndf=4,
                                    **PNGAN_D),
                 **kwargs)


def wrappers(model, lr=1e-2):
    return build_optim_wrapper(
        model,
        dict(constructor='MultiOptimWrapperConstructor',
             generator=dict(optimizer=dict(type='Adam', lr=lr,
                                           betas=(0.5, 0.999))),
             discriminator=dict(optimizer=dict(type='Adam', lr=lr,
                                               betas=(0.5, 0.999)))))


def batch(n=2, h=128, w=64, seed=0):
    g = torch.Generator().manual_seed(seed)
    inputs, samples = [], []
    for _ in range(n):
        s = ReIDDataSample()
        s.target_img = torch.randint(0, 256, (3, h, w), dtype=torch.uint8,
                                     generator=g)
        s.pose_maps = torch.randint(0, 256, (h, w, 3), dtype=torch.uint8,
                                    generator=g)
        samples.append(s)
        inputs.append(torch.randint(0, 256, (3, h, w), dtype=torch.uint8,
                                    generator=g))
    return dict(inputs=inputs, data_samples=samples)


def lsgan(pred, value):
    return ((pred - value)**2).mean()


@pytest.mark.parametrize('d_real', ['target', 'source'])
@pytest.mark.parametrize('generator_first', [True, False])
def test_train_step_losses_and_update_order(d_real, generator_first):
    torch.manual_seed(0)
    model = tiny_pngan(d_real=d_real, generator_first=generator_first)
    model.init_weights()
    model.train()
    data = batch()
    x = model.data_preprocessor(copy.deepcopy(data), True)['inputs']
    g0 = copy.deepcopy(model.generator)
    d0 = copy.deepcopy(model.discriminator)
    g_after = copy.deepcopy(model.generator)
    d_after = copy.deepcopy(model.discriminator)
    ow = wrappers(model)
    ow_ref = wrappers(nn.ModuleDict(dict(generator=g_after,
                                         discriminator=d_after)))
    log = model.train_step(data, ow)

    # the reference: the official step written out (G first: its loss on
    # D before D's update; D on the fakes made before G's update)
    fake = g0(x.img, x.pose_maps)
    real = x.target_img if d_real == 'target' else x.img
    d_for_g = d0 if generator_first else None
    if not generator_first:
        d_loss = lsgan(d_after(real), 1) + lsgan(d_after(fake.detach()), 0)
        ow_ref['discriminator'].update_params(d_loss)
        d_for_g = d_after
    for p in d_for_g.parameters():
        p.requires_grad_(False)
    adv = lsgan(d_for_g(g_after(x.img, x.pose_maps)), 1)
    rec = 10 * (g_after(x.img, x.pose_maps) - x.target_img).abs().mean()
    ow_ref['generator'].update_params(adv + rec)
    for p in d_for_g.parameters():
        p.requires_grad_(True)
    if generator_first:
        d_loss = lsgan(d_after(real), 1) + lsgan(d_after(fake.detach()), 0)
        ow_ref['discriminator'].update_params(d_loss)

    torch.testing.assert_close(log['loss_adv'], adv.detach())
    torch.testing.assert_close(log['loss_rec'], rec.detach())
    torch.testing.assert_close(
        log['discriminator.loss_real'] + log['discriminator.loss_fake'],
        d_loss.detach())
    # every weight took the reference's step; the conv biases all feed an
    # InstanceNorm, which removes them: their true gradient is 0 and Adam
    # turns its float noise into arbitrary steps, so they are not compared
    for a, b in ((model.generator, g_after), (model.discriminator,
                                              d_after)):
        for (name, p), q in zip(a.named_parameters(), b.parameters()):
            if not name.endswith('bias'):
                torch.testing.assert_close(p, q, msg=name)
    moved = any(not torch.equal(p, q) for p, q in zip(
        model.generator.parameters(), g0.parameters()))
    assert moved


def test_synthesize_generate_and_errors():
    model = tiny_pngan().eval()
    img = torch.randn(3, 3, 64, 32)
    poses = torch.randn(8, 3, 64, 32)
    out = model.synthesize(img, poses)
    assert out.shape == (3, 8, 3, 64, 32)
    torch.testing.assert_close(out[1, 5],
                               model.generate(img[1:2], poses[5:6])[0])
    with pytest.raises(NotImplementedError, match='PoseNormalizedReID'):
        model(img)
    with pytest.raises(ValueError, match='d_real'):
        tiny_pngan(d_real='target_img')
    with pytest.raises(KeyError, match='loss_weights'):
        tiny_pngan(loss_weights=dict(l1=1.))
    with pytest.raises(ValueError, match="mode 'loss'"):
        model(img, mode='loss')


def test_rec_only_weights_skip_the_adversarial_term():
    torch.manual_seed(0)
    model = tiny_pngan(loss_weights=dict(adv=0.))
    log = model.train_step(batch(), wrappers(model))
    assert 'loss_adv' not in log and 'loss_rec' in log
