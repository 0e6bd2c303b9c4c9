# Copyright (c) mmreid contributors. All rights reserved.
"""Every PN-GAN config builds and runs one training (or test) step; the
paper's settings."""
import copy
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
CONFIGS = sorted(glob.glob(osp.join(ROOT, 'configs', 'pngan', '*.py')))


def load(name):
    return Config.fromfile(osp.join(ROOT, 'configs', 'pngan', name))


def no_downloads(model_cfg):
    """Drop every pretrained init and checkpoint (tests cannot download)."""
    if model_cfg.type == 'PoseNormalizedReID':
        model_cfg.checkpoint_a = model_cfg.checkpoint_b = None
        for key in ('reid_a', 'reid_b'):
            if model_cfg.get(key) is not None:
                model_cfg[key].backbone.init_cfg = None
    elif model_cfg.type == 'Baseline':
        model_cfg.backbone.init_cfg = None
        model_cfg.init_cfg = None  # demo B starts from A's checkpoint
        model_cfg.head.num_classes = 5  # ReIDRunner fills it from the data
    return model_cfg


def image_hw(cfg):
    pipe = (cfg.get('synth_pipeline') or cfg.get('test_pipeline'))
    for t in pipe:
        if t['type'] == 'ReIDResize':
            w, h = t['scale']
            return h, w
    raise AssertionError('no ReIDResize')


def fake_batch(cfg, n=2):
    h, w = image_hw(cfg)
    if cfg.model.type == 'PNGAN':
        # fully convolutional: 128 x 64 keeps the paper-size networks'
        # step cheap (their 256 x 128 shapes are tested in test_pngan.py)
        h, w = min(h, 128), min(w, 64)
    inputs, samples = [], []
    for k in range(n):
        s = ReIDDataSample().set_gt_label(k)
        if cfg.model.type == 'PNGAN':
            s.target_img = torch.randint(0, 256, (3, h, w),
                                         dtype=torch.uint8)
            s.pose_maps = torch.randint(0, 256, (h, w, 3), dtype=torch.uint8)
        samples.append(s)
        inputs.append(torch.randint(0, 256, (3, h, w), dtype=torch.uint8))
    return dict(inputs=inputs, data_samples=samples)


def test_all_configs_found():
    names = {osp.basename(c) for c in CONFIGS}
    assert {
        f'{d}_{s}.py'
        for d in ('demo', 'market', 'duke')
        for s in ('gan', 'reid_a', 'reid_b', 'reid_fused')
    } == names


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_config_runs_one_step(path):
    cfg = Config.fromfile(path)
    torch.manual_seed(0)
    model = MODELS.build(no_downloads(cfg.model))
    model.init_weights()
    if cfg.model.type == 'PoseNormalizedReID':
        # a test-time model: one fused forward of 1 + 8 views per image
        h, w = image_hw(cfg)
        assert cfg.test_dataloader.dataset.type == 'PoseNormalizedDataset'
        assert cfg.test_dataloader.dataset.num_poses == 8
        model.eval()
        items = [torch.randint(0, 256, (9, 3, h, w), dtype=torch.uint8)
                 for _ in range(2)]
        with torch.no_grad():
            data = model.data_preprocessor(dict(inputs=items))
            out = model(data['inputs'], mode='predict')
        assert out[0].pred_feature.shape == (model.reid_a.head.in_channels, )
        return
    model.train()
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    sched = cfg.param_scheduler
    names = sched.keys() if isinstance(sched, dict) else [None]
    for name in names:
        for s in (sched[name] if name else sched):
            s = dict(s, optimizer=wrapper[name] if name else wrapper)
            s.pop('convert_to_iter_based', None)
            PARAM_SCHEDULERS.build(s)
    MessageHub.get_current_instance().update_info('iter', 0)
    log = model.train_step(fake_batch(cfg, n=2 if 'gan' in path else 4),
                           wrapper)
    assert all(torch.isfinite(v).all() for v in log.values())
    if cfg.model.type == 'PNGAN':
        assert {'loss_adv', 'loss_rec', 'discriminator.loss_real',
                'discriminator.loss_fake'} <= set(log)
    else:
        assert any(k.startswith('loss') for k in log)


@pytest.mark.parametrize('dataset', ['market', 'duke'])
def test_paper_settings(dataset):
    cfg = load(f'{dataset}_gan.py')
    g, d, m = cfg.model.generator, cfg.model.discriminator, cfg.model
    assert (g.ngf, g.num_blocks, g.num_downsamples) == (64, 9, 2)
    assert (d.in_channels, d.ndf, d.num_layers) == (3, 64, 3)
    assert (d.norm_cfg.type, d.final_padding) == ('IN', 0)
    assert m.gan_loss.gan_type == 'lsgan'
    assert m.loss_weights == dict(adv=1., rec=10.)
    assert m.generator_first and m.d_real == 'target'
    pre = m.data_preprocessor
    assert pre.pose_as_image and pre.mean == [127.5] * 3 and pre.to_rgb
    ds = cfg.train_dataloader.dataset
    assert (ds.pairing, ds.targets) == ('ordered_positives', 'partner')
    assert cfg.train_dataloader.batch_size == 32
    assert cfg.gan_input_size == (128, 256)
    assert [t.type for t in ds.target_pipeline] == [
        'LoadReIDImage', 'ReIDResize', 'RenderSkeleton', 'PackReIDInputs'
    ]
    assert ds.target_pipeline[1].interpolation == 'bicubic'
    for key in ('generator', 'discriminator'):
        opt = cfg.optim_wrapper[key].optimizer
        assert (opt.type, opt.lr, opt.betas) == ('Adam', 2e-4, (0.5, 0.999))
    assert cfg.train_cfg.max_epochs == 20
    assert cfg.canonical_poses.startswith(cfg.work_dir)
    fused = load(f'{dataset}_reid_fused.py')
    built = MODELS.build(no_downloads(copy.deepcopy(fused.model)))
    assert built.fusion == 'max' and built.normalize
    assert built.include_original
    # B: A's architecture
    assert type(built.reid_b.backbone) is type(built.reid_a.backbone)
    assert built.reid_b.backbone.depth == 50
    assert fused.model.reid_a.backbone.depth == 50
    assert fused.model.reid_a.head.num_classes == {'market': 751,
                                                   'duke': 702}[dataset]
    b = load(f'{dataset}_reid_b.py')
    assert b.train_dataloader.dataset.type == 'FileListReID'
    assert b.train_dataloader.dataset.data_root == cfg.synth_root_train
    assert fused.test_dataloader.dataset.synth_root == cfg.synth_root_test


def test_lr_decay_equals_the_official_lambda():
    """lr factor of 1-based epoch e = 1 - max(0, e - 10) / 10."""
    cfg = load('market_gan.py')
    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.Adam([param], lr=1.0)
    (sched_cfg, ) = cfg.param_scheduler.generator
    sched = PARAM_SCHEDULERS.build(dict(sched_cfg, optimizer=opt))
    for epoch in range(1, 21):
        want = 1 - max(0, epoch - 10) / 10
        assert opt.param_groups[0]['lr'] == pytest.approx(want, abs=1e-9), \
            epoch
        opt.step()
        sched.step()
