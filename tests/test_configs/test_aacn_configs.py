# Copyright (c) mmreid contributors. All rights reserved.
"""Every AACN config builds its model and runs a forward pass; the PPA
configs' pipelines render targets the head accepts; each step loads the
checkpoint the previous one writes last."""
import copy
import glob
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmreid.registry import MODELS, TRANSFORMS
from mmreid.structures import ReIDDataSample
from mmreid.utils import register_all_modules
from .test_checkpoint_configs import last_checkpoint

register_all_modules()

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(glob.glob(osp.join(ROOT, 'configs', 'aacn', '*.py')))
PPA = [c for c in CONFIGS if c.endswith('_ppa.py')]
GCN = [c for c in CONFIGS if c.endswith('_gcn.py')]
FULL = [c for c in CONFIGS if c not in PPA + GCN]


def rel(path):
    return osp.relpath(path, osp.join(ROOT, 'configs'))


def no_downloads(model_cfg):
    """The model config without pretrained or step checkpoints."""
    cfg = copy.deepcopy(model_cfg)
    for key in ('backbone', 'trunk', 'ppa'):
        if key in cfg:
            cfg[key]['init_cfg'] = None
    if 'ppa' in cfg:
        cfg.ppa.trunk.init_cfg = None
    if cfg.get('head', {}).get('num_classes') == 'train_set.num_classes':
        cfg.head.num_classes = 4
    return cfg


def input_hw(cfg):
    loader = cfg.train_dataloader
    for t in loader.dataset.pipeline:
        if t['type'] == 'ReIDResize':
            w, h = t['scale']
            return h, w
    raise AssertionError('no ReIDResize in the train pipeline')


def test_all_configs_found():
    names = {rel(c) for c in CONFIGS}
    assert {
        f'aacn/{n}.py'
        for n in ('demo_ppa', 'demo_gcn', 'demo', 'demo_no_visibility',
                  'market_ppa', 'market_gcn', 'market', 'duke_gcn', 'duke',
                  'cuhk03_gcn', 'cuhk03')
    } <= names


def person(h, w):
    k = np.array([[30, 14], [33, 11], [27, 11], [37, 13], [24, 13], [42, 30],
                  [20, 31], [47, 52], [15, 50], [50, 70], [11, 66], [38, 70],
                  [24, 71], [40, 96], [22, 95], [43, 120], [19, 119]],
                 np.float32) * [w / 64, h / 128]
    return np.concatenate([k, np.ones((17, 1))], 1).astype(np.float32)


@pytest.mark.parametrize('path', PPA, ids=rel)
def test_ppa_config_pipeline_and_loss(path):
    cfg = Config.fromfile(path)
    assert cfg.val_dataloader is None and cfg.val_cfg is None
    h, w = input_hw(cfg)
    # the pose-target transforms of the pipeline, on one image
    steps = [
        TRANSFORMS.build(t) for t in cfg.train_dataloader.dataset.pipeline
        if t['type'] in ('KeypointsToHeatmaps', 'PartMaps', 'PackReIDInputs')
    ]
    res = dict(img=np.zeros((h, w, 3), np.uint8), keypoints=person(h, w),
               keypoint_format='coco17', label=0)
    for t in steps:
        res = t(res)
    sample = res['data_samples']
    assert sample.heatmaps.shape == (17, h // 8, w // 8)
    assert sample.part_maps.shape == (11, h // 8, w // 8)
    model = MODELS.build(no_downloads(cfg.model))
    data = model.data_preprocessor(
        dict(inputs=[res['inputs']] * 2, data_samples=[sample] * 2), True)
    losses = model(data['inputs'], data['data_samples'], mode='loss')
    assert sorted(losses) == sorted(f'loss_{m}_s{t}' for m in 'knr'
                                    for t in (1, 2))
    assert all(torch.isfinite(v) for v in losses.values())


@pytest.mark.parametrize('path', GCN + FULL, ids=rel)
def test_reid_config_builds_and_forwards(path):
    cfg = Config.fromfile(path)
    model = MODELS.build(no_downloads(cfg.model))
    h, w = input_hw(cfg)
    if 'demo' not in path:
        assert (h, w) == (256, 128)
    x = torch.randint(0, 256, (2, 3, h, w), dtype=torch.uint8)
    data = model.data_preprocessor(
        dict(inputs=list(x),
             data_samples=[ReIDDataSample().set_gt_label(0)
                           for _ in range(2)]), False)
    model.eval()
    with torch.no_grad():
        feats = model(data['inputs'], mode='tensor')
    assert feats.shape == (2, 512 if path in FULL else 832)
    assert model.test_cfg['normalize'] is True


@pytest.mark.parametrize('name', ['demo', 'market', 'duke', 'cuhk03'])
def test_steps_load_the_last_checkpoints(name):
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'aacn', f'{name}.py'))
    ppa = 'demo_ppa' if name == 'demo' else 'market_ppa'
    assert cfg.model.ppa.init_cfg.checkpoint == last_checkpoint(
        f'aacn/{ppa}.py')
    assert cfg.model.backbone.init_cfg.checkpoint == last_checkpoint(
        f'aacn/{name}_gcn.py')
    assert cfg.model.backbone.init_cfg.prefix == 'backbone.'
    assert cfg.model.freeze_ppa is True
    assert cfg.model.ppa.trunk.init_cfg is None  # no ImageNet re-load
    # the full model's PPA is the network the PPA step trained
    step1 = Config.fromfile(osp.join(ROOT, 'configs', 'aacn', f'{ppa}.py'))
    for key in ('trunk', 'head'):
        a, b = copy.deepcopy(cfg.model.ppa[key]), copy.deepcopy(
            step1.model[key])
        a.pop('init_cfg', None)
        b.pop('init_cfg', None)
        assert a == b, key
    assert cfg.model.data_preprocessor == step1.model.data_preprocessor
    # the part maps of the PPA step match the head's parts
    parts = [t for t in step1.train_dataloader.dataset.pipeline
             if t['type'] == 'PartMaps'][0]
    assert parts.rigid_parts == cfg.model.ppa.head.rigid_parts == 'aacn'


def test_no_visibility_ablation_differs_only_there():
    a = Config.fromfile(osp.join(ROOT, 'configs', 'aacn', 'demo.py'))
    b = Config.fromfile(
        osp.join(ROOT, 'configs', 'aacn', 'demo_no_visibility.py'))
    assert a.model.composition.visibility_weighting is True
    assert b.model.composition.visibility_weighting is False
    b.model.composition.visibility_weighting = True
    strip = ('filename', )
    da = {k: v for k, v in a.to_dict().items() if k not in strip}
    db = {k: v for k, v in b.to_dict().items() if k not in strip}
    assert da == db
