# Copyright (c) mmreid contributors. All rights reserved.
"""BaseReIDGAN's training step through FD-GAN: stages, freezing, losses."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub

from mmreid.engine import MultiOptimWrapperConstructor
from mmreid.evaluation.functional import cascade_rescore
from mmreid.models import FDGAN
from mmreid.structures import ReIDDataSample

ENC = dict(type='VerificationReID',
           backbone=dict(type='mmpretrain.ResNet', depth=18,
                         out_indices=(3, )),
           head=dict(type='SquaredDiffVerificationHead', in_channels=512))


def build(**kwargs):
    model = FDGAN(encoder=ENC,
                  generator=dict(type='PoseGuidedGenerator',
                                 input_size=(64, 32),
                                 feat_channels=512,
                                 noise_channels=8,
                                 ngf=8,
                                 num_downsamples=3),
                  disc_id=dict(ENC,
                               head=dict(type='SquaredDiffVerificationHead',
                                         in_channels=512,
                                         num_classes=1)),
                  disc_pose=dict(type='PatchDiscriminator', ndf=8),
                  data_preprocessor=dict(type='PoseTransferDataPreprocessor',
                                         mean=[0] * 3,
                                         std=[1] * 3),
                  **kwargs)
    model.init_weights()
    return model


def optimizers(model, stage):
    gen = dict(optimizer=dict(type='Adam', lr=1e-3))
    if stage == 3:
        gen['modules'] = ['generator', 'encoder']
    return MultiOptimWrapperConstructor(
        dict(generator=gen,
             disc_id=dict(optimizer=dict(type='SGD', lr=1e-2)),
             disc_pose=dict(optimizer=dict(type='SGD', lr=1e-2))))(model)


def batch(labels=(1, 0, 0), seed=0):
    g = torch.Generator().manual_seed(seed)
    samples = []
    inputs = []
    for lab in labels:
        s = ReIDDataSample().set_gt_label(lab)
        s.target_img = torch.randint(0,
                                     256, (2, 3, 64, 32),
                                     generator=g,
                                     dtype=torch.uint8)
        s.pose_maps = torch.rand(2, 18, 64, 32, generator=g)
        if lab:  # positive pairs share target and pose
            s.target_img[1] = s.target_img[0]
            s.pose_maps[1] = s.pose_maps[0]
        samples.append(s)
        inputs.append(
            torch.randint(0,
                          256, (2, 3, 64, 32),
                          generator=g,
                          dtype=torch.uint8))
    return dict(inputs=inputs, data_samples=samples)


def snapshot(module):
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def changed(before, module, pattern=''):
    return {
        k
        for k, v in module.state_dict().items()
        if pattern in k and not torch.equal(before[k], v)
    }


def set_iter(i):
    MessageHub.get_current_instance().update_info('iter', i)


STAGE2 = dict(frozen_modules=['encoder'],
              frozen_bn_modules=['disc_id'],
              loss_weights=dict(verif=0.),
              disc_id_init_from_encoder=True)
STAGE3 = dict(frozen_bn_modules=['encoder', 'disc_id'])


def test_stage2_freezes_encoder_and_disc_id_bn():
    torch.manual_seed(0)
    model = build(**STAGE2)
    model.train()
    assert not model.encoder.training
    assert not any(p.requires_grad for p in model.encoder.parameters())
    assert model.disc_id.training and not model.disc_id.head.bn.training
    assert model.disc_pose.training and model.generator.training
    with pytest.raises(ValueError, match='no trainable parameter'):
        optimizers(model, stage=3)
    wrappers = optimizers(model, stage=2)
    before = {
        n: snapshot(getattr(model, n))
        for n in ('encoder', 'generator', 'disc_id', 'disc_pose')
    }
    set_iter(0)
    log = model.train_step(batch(), wrappers)
    assert 'loss_verif' not in log  # lambda_v = 0 in stage II
    assert {
        'disc_id.loss_gan', 'disc_pose.loss_gan', 'loss_rec', 'loss_same_pose',
        'loss_adv_id', 'loss_adv_pose'
    } <= set(log)
    assert not changed(before['encoder'], model.encoder)
    assert not changed(before['disc_id'], model.disc_id, 'running_')
    assert changed(before['disc_id'], model.disc_id, 'weight')
    assert changed(before['disc_pose'], model.disc_pose, 'running_')
    assert changed(before['generator'], model.generator, 'weight')
    # discriminators get their gradients back after the generator step
    assert all(p.requires_grad for p in model.disc_id.parameters())


def test_stage3_trains_encoder_with_frozen_bn_statistics():
    torch.manual_seed(0)
    model = build(**STAGE3)
    model.train()
    assert model.encoder.training and not model.encoder.head.bn.training
    wrappers = optimizers(model, stage=3)
    before = snapshot(model.encoder)
    set_iter(0)
    log = model.train_step(batch(), wrappers)
    assert 'loss_verif' in log and 'acc_verif' in log
    assert changed(before, model.encoder, 'weight')
    assert not changed(before, model.encoder, 'running_')


def test_discriminator_steps_gate_the_generator():
    torch.manual_seed(0)
    model = build(discriminator_steps=2, **STAGE2)
    model.train()
    wrappers = optimizers(model, stage=2)
    before = snapshot(model.generator)
    set_iter(0)  # (0 + 1) % 2 != 0: discriminators only
    log = model.train_step(batch(), wrappers)
    assert 'loss_rec' not in log and 'disc_id.loss_gan' in log
    assert not changed(before, model.generator, 'weight')
    set_iter(1)
    log = model.train_step(batch(), wrappers)
    assert 'loss_rec' in log
    assert changed(before, model.generator, 'weight')


def test_generator_losses_equal_their_formulas():
    torch.manual_seed(0)
    model = build(**STAGE3)
    model.eval()  # no dropout / batch statistics: reproducible forwards
    data = model.data_preprocessor(batch(labels=(1, 0, 1)), True)
    out = model.forward_train(data['inputs'], data['data_samples'])
    losses = model.gen_loss(out, data['data_samples'])
    img, target = data['inputs'].img, data['inputs'].target_img
    n = img.shape[0]
    origin = torch.cat([img[:, 0], img[:, 1]])
    tgt = torch.cat([target[:, 0], target[:, 1]])
    fake = out['fake']
    torch.testing.assert_close(losses['loss_rec'],
                               100 * (fake - tgt).abs().mean())
    pos = torch.tensor([True, False, True])
    torch.testing.assert_close(
        losses['loss_same_pose'],
        10 * (fake[:n][pos] - fake[n:][pos]).abs().mean())
    labels = torch.tensor([1, 0, 1])
    feats = model.encoder.extract_feat(origin)
    logits = model.encoder.head(feats[:n], feats[n:])
    torch.testing.assert_close(losses['loss_verif'],
                               10 * F.cross_entropy(logits, labels))
    d = model.disc_id
    f = d.extract_feat(torch.cat([origin, fake]))
    logit = d.head(f[:2 * n], f[2 * n:])
    torch.testing.assert_close(losses['loss_adv_id'],
                               F.softplus(-logit).mean())  # hard target 1
    pd = model.disc_pose(torch.cat([out['pose'], fake], 1))
    torch.testing.assert_close(losses['loss_adv_pose'], F.softplus(-pd).mean())


def test_config_errors_are_clear():
    with pytest.raises(KeyError, match='unknown loss_weights'):
        build(loss_weights=dict(verification=1.))
    model = build()
    with pytest.raises(KeyError, match='must be exactly'):
        model.train_step(
            batch(),
            MultiOptimWrapperConstructor(
                dict(generator=dict(
                    optimizer=dict(type='SGD', lr=1.))))(model))
    with pytest.raises(KeyError, match='no sub-module'):
        MultiOptimWrapperConstructor(
            dict(gen=dict(optimizer=dict(type='SGD', lr=1.))))(model)
    with pytest.raises(ValueError, match='in both'):
        MultiOptimWrapperConstructor(
            dict(generator=dict(modules=['generator', 'encoder'],
                                optimizer=dict(type='SGD', lr=1.)),
                 encoder=dict(optimizer=dict(type='SGD', lr=1.))))(model)
    with pytest.raises(ValueError, match="mode 'loss'"):
        model(torch.zeros(1, 3, 64, 32), mode='loss')


def naive_cascade(dist, score, topk):
    """The official CascadeEvaluator merge, row by row in numpy."""
    dist = dist.copy()
    for i in range(dist.shape[0]):
        order = np.argsort(dist[i], kind='stable')
        for j in order[:topk]:
            dist[i, j] = score[i, j]
        if topk < dist.shape[1]:
            bar = max(dist[i][order[:topk]])
            gap = max(bar + 1. - dist[i, order[topk]], 0)
            if gap > 0:
                dist[i][order[topk:]] += gap
    return dist


def test_cascade_equals_the_official_merge():
    rng = np.random.default_rng(0)
    dist = rng.random((7, 30)).astype(np.float64) * 0.5
    score = rng.random((7, 30))
    fn = lambda q, g: torch.from_numpy(score[q.numpy(), g.numpy()])  # noqa
    tied = np.round(dist * 4) / 4  # many ties: the stable order decides
    for d in (dist, tied):
        for k in (1, 5, 30, 50):
            got = cascade_rescore(torch.from_numpy(d), fn, topk=k)
            np.testing.assert_allclose(got.numpy(),
                                       naive_cascade(d, score, min(k, 30)))


def test_encoder_distance_matrix_is_the_cascade_of_its_head():
    torch.manual_seed(0)
    model = build(**STAGE3).eval()
    enc = model.encoder
    enc.rerank_topk = 3
    q, g = torch.randn(4, 512).abs(), torch.randn(9, 512).abs()
    got = model.distance_matrix(q, g)
    d = ((q[:, None] - g[None])**2).sum(-1).numpy()
    with torch.no_grad():
        p_diff = np.array([[
            1 - enc.head.same_prob(q[i:i + 1], g[j:j + 1]).item()
            for j in range(9)
        ] for i in range(4)])
    np.testing.assert_allclose(got.numpy(),
                               naive_cascade(d, p_diff, 3),
                               rtol=1e-4,
                               atol=1e-4)
