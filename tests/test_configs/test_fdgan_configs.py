# Copyright (c) mmreid contributors. All rights reserved.
"""Every FD-GAN config builds and runs one training step; paper settings."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper
from mmengine.registry import PARAM_SCHEDULERS

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from mmreid.utils import register_all_modules

register_all_modules()

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(glob.glob(osp.join(ROOT, 'configs', 'fdgan', '*.py')))


def no_downloads(cfg):
    """Drop every pretrained init (tests cannot download)."""
    m = cfg.model
    for enc in ([m]
                if m.type == 'VerificationReID' else [m.encoder, m.disc_id]):
        enc.backbone.init_cfg = None
        enc.init_cfg = None
    return cfg


def input_hw(cfg):
    for t in cfg.test_dataloader.dataset.pipeline:
        if t['type'] == 'ReIDResize':
            w, h = t['scale']
            return h, w
    raise AssertionError('no ReIDResize in the test pipeline')


def fake_batch(cfg, num_pairs=2):
    h, w = input_hw(cfg)
    samples, inputs = [], []
    for k in range(num_pairs):
        s = ReIDDataSample().set_gt_label(k % 2)
        if cfg.model.type == 'FDGAN':
            s.target_img = torch.randint(0,
                                         256, (2, 3, h, w),
                                         dtype=torch.uint8)
            s.pose_maps = torch.rand(2, 18, h, w)
        samples.append(s)
        inputs.append(torch.randint(0, 256, (2, 3, h, w), dtype=torch.uint8))
    return dict(inputs=inputs, data_samples=samples)


def test_all_configs_found():
    names = {osp.basename(c) for c in CONFIGS}
    assert {
        f'{d}_stage{s}.py'
        for d in ('demo', 'market', 'duke')
        for s in (1, 2, 3)
    } <= names


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_config_runs_one_train_step(path):
    cfg = no_downloads(Config.fromfile(path))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.train()
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    # the schedulers build for every optimizer of the config
    sched = cfg.param_scheduler
    names = sched.keys() if isinstance(sched, dict) else [None]
    for name in names:
        for s in (sched[name] if name else sched):
            s = dict(s, optimizer=wrapper[name] if name else wrapper)
            s.pop('convert_to_iter_based', None)
            PARAM_SCHEDULERS.build(s)
    MessageHub.get_current_instance().update_info('iter', 0)
    log = model.train_step(fake_batch(cfg), wrapper)
    assert all(torch.isfinite(v).all() for v in log.values())
    if cfg.model.type == 'FDGAN':
        assert {'loss_rec', 'disc_id.loss_gan',
                'disc_pose.loss_gan'} <= set(log)
        assert ('loss_verif' in log) == path.endswith('stage3.py')
    else:
        assert 'loss_verif' in log


@pytest.mark.parametrize('dataset', ['market', 'duke'])
def test_paper_settings(dataset):
    s1, s2, s3 = (Config.fromfile(
        osp.join(ROOT, 'configs', 'fdgan', f'{dataset}_stage{k}.py'))
                  for k in (1, 2, 3))
    for cfg in (s1, s2, s3):
        assert cfg.train_dataloader.batch_size == 32  # x 8 GPUs = 256 pairs
        ds = cfg.train_dataloader.dataset
        assert (ds.pairing, ds.neg_per_pos) == ('per_anchor', 3)
        assert {e.get('prefix')
                for e in cfg.val_evaluator} == {None, 'cascade'}
    assert s1.model.backbone.depth == 50
    assert s1.model.backbone.init_cfg.checkpoint.startswith('https://')
    assert s1.optim_wrapper.optimizer.lr == 0.01
    assert s1.train_cfg.max_epochs == 100
    g = s2.model.generator
    assert (g.input_size, g.noise_channels, g.pose_feat_channels, g.ngf,
            g.dropout) == ((256, 128), 256, 128, 64, 0.2)
    # the configs set what differs from FDGAN's official default weights
    from mmreid.models.gans import FDGAN
    assert {**FDGAN.default_loss_weights, **s2.model.loss_weights} == dict(
        verif=0., rec=100., same_pose=10., adv_id=1., adv_pose=1.)
    assert {**FDGAN.default_loss_weights, **s3.model.loss_weights} == dict(
        verif=10., rec=100., same_pose=10., adv_id=1., adv_pose=1.)
    assert s2.model.frozen_modules == ['encoder']
    assert s2.model.encoder.init_cfg.checkpoint.endswith('.pth')
    assert s3.load_from.endswith('.pth')
    assert s3.model.frozen_bn_modules == ['encoder', 'disc_id']
    ow2, ow3 = s2.optim_wrapper, s3.optim_wrapper
    assert (ow2.generator.optimizer.lr, ow2.disc_id.optimizer.lr,
            ow2.disc_pose.optimizer.lr) == (1e-4, 1e-5, 1e-3)
    assert ow3.generator.modules == ['generator', 'encoder']
    assert (ow3.generator.optimizer.lr, ow3.disc_id.optimizer.lr) == (1e-5,
                                                                      1e-4)
    assert s2.train_cfg.max_epochs == 100 and s3.train_cfg.max_epochs == 50


@pytest.mark.parametrize('stage, niter, niter_decay',
                         [('market_stage2', 50, 50),
                          ('market_stage3', 25, 25)])
def test_lr_decay_equals_the_official_lambda(stage, niter, niter_decay):
    """lr factor = 1 - max(0, e + 2 - niter) / (niter_decay + 1)."""
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'fdgan', f'{stage}.py'))
    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([param], lr=1.0)
    (sched_cfg, ) = cfg.param_scheduler.generator
    sched = PARAM_SCHEDULERS.build(dict(sched_cfg, optimizer=opt))
    for epoch in range(niter + niter_decay):
        want = 1 - max(0, epoch + 2 - niter) / (niter_decay + 1)
        assert opt.param_groups[0]['lr'] == pytest.approx(want, abs=1e-9), \
            epoch
        opt.step()
        sched.step()
