# Copyright (c) mmreid contributors. All rights reserved.
"""Every IP-GAN config builds and runs one training step; the paper's
settings in the Market-1501 ones."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from mmreid.utils import register_all_modules

register_all_modules()

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(glob.glob(osp.join(ROOT, 'configs', 'ipgan', '*.py')))


def load(name):
    return Config.fromfile(osp.join(ROOT, 'configs', 'ipgan', name))


def no_downloads(model_cfg, num_classes=5):
    """No pretrained weights or stage-1 checkpoints; a filled class
    count (ReIDRunner fills it from the training set)."""
    nets = ([model_cfg[k] for k in ('identity_encoder', 'classifier')]
            if model_cfg.type == 'IPGAN' else [model_cfg])
    for net in nets:
        net.init_cfg = None
        net.backbone.init_cfg = None
        net.head.num_classes = num_classes
    return model_cfg


def image_hw(cfg):
    pipe = cfg.get('gen_pipeline') or cfg.get('test_pipeline')
    for t in pipe:
        if t['type'] == 'ReIDResize':
            w, h = t['scale']
            return h, w
    raise AssertionError('no ReIDResize')


def fake_batch(cfg, n=2):
    h, w = image_hw(cfg)
    inputs, samples = [], []
    for k in range(n):
        s = ReIDDataSample()
        if cfg.model.type == 'IPGAN':
            s.set_metainfo(dict(pair_idx=(k, k + k % 2), labels=(k, k)))
            s.set_gt_label(1)
            inputs.append(torch.randint(0, 256, (2, 3, h, w),
                                        dtype=torch.uint8))
        else:
            s.set_gt_label(k)
            inputs.append(torch.randint(0, 256, (3, h, w),
                                        dtype=torch.uint8))
        samples.append(s)
    return dict(inputs=inputs, data_samples=samples)


def test_all_configs_found():
    assert {osp.basename(c) for c in CONFIGS} == {
        f'{d}_stage{s}.py'
        for d in ('demo', 'market') for s in (1, 2)
    }


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_config_runs_one_step(path):
    cfg = Config.fromfile(path)
    torch.manual_seed(0)
    model = MODELS.build(no_downloads(cfg.model))
    model.init_weights()
    model.train()
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    MessageHub.get_current_instance().update_info('iter', 0)
    log = model.train_step(fake_batch(cfg), wrapper)
    assert all(torch.isfinite(v).all() for v in log.values())
    if cfg.model.type == 'IPGAN':
        assert {'loss_kl', 'loss_rec', 'loss_gd', 'loss_gc',
                'discriminator.loss_real', 'classifier.loss_cls',
                'attribute_encoder.loss', 'generator.loss'} <= set(log)
        # stage 2 starts I and C from the stage-1 checkpoint of its dataset
        stage1 = load(osp.basename(path).replace('stage2', 'stage1'))
        fresh = Config.fromfile(path)
        for key in ('identity_encoder', 'classifier'):
            ckpt = fresh.model[key].init_cfg.checkpoint
            assert ckpt.startswith(stage1.work_dir)
        assert fresh.model.data_preprocessor.mean == \
            stage1.model.data_preprocessor.mean == [127.5] * 3
    else:
        assert set(log) >= {'loss_cls'} and 'loss_triplet' not in log


def test_market_paper_settings():
    cfg = load('market_stage2.py')
    m = cfg.model
    assert m.match == 'image'
    assert m.loss_weights == dict(kl=1., rec=1., gd=1., gc=1., cls=1.)
    assert m.rec_loss.mismatch_weight == 0.1
    assert m.rec_loss.reduction == 'sum'
    assert m.gd_loss.mode == m.gc_loss.mode == 'pairwise'
    assert m.generator_objectives == dict(
        attribute_encoder=['loss_kl', 'loss_rec'],
        generator=['loss_rec', 'loss_gd', 'loss_gc'])
    assert m.frozen_modules == ['identity_encoder']
    assert m.identity_encoder.backbone.depth == 50
    assert m.classifier.backbone.depth == 50
    assert m.attribute_encoder.latent_dim == 256
    for key in ('attribute_encoder', 'generator', 'discriminator',
                'classifier'):
        opt = cfg.optim_wrapper[key].optimizer
        assert (opt.type, opt.lr, opt.betas) == ('Adam', 2e-4, (0.5, 0.999))
    ds = cfg.train_dataloader.dataset
    assert (ds.type, ds.pairing, ds.positive_prob) == ('PairDataset',
                                                       'per_anchor', 0.5)
    assert cfg.train_dataloader.batch_size * 8 == 64
    assert cfg.ipgan_images.test_mode
    demo = load('demo_stage2.py')
    assert demo.model.match == 'identity'
    assert demo.model.loss_weights.gc == 10.
