# Copyright (c) mmreid contributors. All rights reserved.
"""Checkpoint selection and hand-over in the configs.

No config may select a checkpoint on its test split; stages load the file
the previous stage's CheckpointHook really writes last; every config loads
and its checkpoint hook builds; the baseline's test options and the IDLA
stage-2 settings."""
import copy
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import HOOKS

from mmreid.datasets import Market1501
from mmreid.registry import DATASETS, MODELS
from mmreid.testing import write_images
from mmreid.utils import register_all_modules

register_all_modules()

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(
    p for p in glob.glob(osp.join(ROOT, 'configs', '*', '*.py'))
    if '_base_' not in p)


def rel(path):
    return osp.relpath(path, osp.join(ROOT, 'configs'))


def load(name):
    return Config.fromfile(osp.join(ROOT, 'configs', name))


def val_dataset(cfg):
    ds = cfg.val_dataloader.dataset
    while 'dataset' in ds:
        ds = ds.dataset
    return ds


def last_checkpoint(name):
    """The file the CheckpointHook of config `name` writes at the end."""
    cfg = load(name)
    hook = cfg.default_hooks.checkpoint
    assert hook.get('save_last', True)
    stem = osp.splitext(osp.basename(name))[0]
    if hook.get('by_epoch', True):
        assert cfg.train_cfg.type == 'ResumableEpochBasedTrainLoop'
        return f'work_dirs/{stem}/epoch_{cfg.train_cfg.max_epochs}.pth'
    assert cfg.train_cfg.type == 'ResumableIterBasedTrainLoop'
    return f'work_dirs/{stem}/iter_{cfg.train_cfg.max_iters}.pth'


def test_default_runtime_keeps_no_best():
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', '_base_', 'default_runtime.py'))
    ckpt = cfg.default_hooks.checkpoint
    assert ckpt.get('save_best') is None
    assert ckpt.max_keep_ckpts >= 1 and ckpt.get('save_last', True)


@pytest.mark.parametrize('path', CONFIGS, ids=rel)
def test_no_checkpoint_selection_on_the_test_split(path):
    cfg = Config.fromfile(path)
    hook = HOOKS.build(copy.deepcopy(cfg.default_hooks.checkpoint))
    if hook.save_best is None:
        return
    # best-checkpoint selection only on identities held out of training
    val = val_dataset(cfg)
    train = cfg.train_dataloader.dataset
    while 'dataset' in train:
        train = train.dataset
    assert val.get('num_val_ids'), rel(path)
    assert val.test_mode
    assert train.num_val_ids == val.num_val_ids
    assert train.get('val_seed', 0) == val.get('val_seed', 0)
    test = cfg.test_dataloader.dataset
    assert test.get('num_val_ids') is None


@pytest.mark.parametrize('dataset', ['market', 'duke', 'demo'])
def test_fdgan_stages_load_the_last_checkpoint(dataset):
    s2, s3 = (load(f'fdgan/{dataset}_stage{k}.py') for k in (2, 3))
    assert s2.model.encoder.init_cfg.checkpoint == last_checkpoint(
        f'fdgan/{dataset}_stage1.py')
    assert s3.load_from == last_checkpoint(f'fdgan/{dataset}_stage2.py')


def test_fdgan_readme_names_the_real_files():
    with open(osp.join(ROOT, 'configs', 'fdgan', 'README.md')) as f:
        readme = f.read()
    assert 'best_' not in readme
    for name in ('market_stage1', 'market_stage2', 'market_stage3',
                 'demo_stage1', 'demo_stage2', 'demo_stage3'):
        assert osp.basename(last_checkpoint(f'fdgan/{name}.py')) in readme


def test_idla_fine_tunes_load_the_last_checkpoint():
    cuhk03 = last_checkpoint('idla/cuhk03.py')
    assert cuhk03 == 'work_dirs/cuhk03/iter_210000.pth'
    for name in ('cuhk03_stage2_hnm', 'cuhk03_stage2_hnm_paper', 'cuhk01',
                 'cuhk01_486', 'viper'):
        assert load(f'idla/{name}.py').load_from == cuhk03, name
    # the demo's stage 1 is run with --work-dir work_dirs/idla_demo
    assert load('idla/demo_stage2_hnm.py').load_from == osp.join(
        'work_dirs/idla_demo',
        osp.basename(last_checkpoint('idla/demo.py')))


def test_idla_stage2_default_is_what_the_demo_showed():
    default = load('idla/cuhk03_stage2_hnm.py')
    paper = load('idla/cuhk03_stage2_hnm_paper.py')
    demo = load('idla/demo_stage2_hnm.py')
    ds, pds = default.train_dataloader.dataset, paper.train_dataloader.dataset
    # the demo's working setting: half hard negatives, lr 0.001
    assert ds.hard_negative_ratio == demo.train_dataloader.dataset.\
        hard_negative_ratio == 0.5
    assert default.optim_wrapper.optimizer.lr == \
        demo.optim_wrapper.optimizer.lr == 1e-3
    # the paper's description: hard negatives only, restarted lr 0.01
    assert pds.hard_negative_ratio == 1.0
    assert paper.optim_wrapper.optimizer.lr == 0.01 == load(
        'idla/cuhk03.py').optim_wrapper.optimizer.lr
    for cfg in (default, paper):
        d = cfg.train_dataloader.dataset
        assert d.hard_negatives == 'work_dirs/cuhk03/hard_negatives.json'
        assert (d.neg_per_pos, cfg.train_cfg.max_iters) == (2, 20000)
        assert cfg.default_hooks.checkpoint.get('save_best') is None
        MODELS.build(cfg.model)
    # everything else is the same
    strip = ('train_dataloader', 'optim_wrapper', 'filename')
    a = {k: v for k, v in default.to_dict().items() if k not in strip}
    b = {k: v for k, v in paper.to_dict().items() if k not in strip}
    assert a == b


BASELINE = ['market', 'duke', 'msmt17', 'cuhk03', 'market_val']


@pytest.mark.parametrize('name', BASELINE + ['demo'])
def test_baseline_configs_build_with_their_test_normalisation(name):
    cfg = load(f'baseline/{name}.py')
    # BoT tests on L2-normalised features (the demo too)
    assert cfg.model.test_cfg.normalize is True
    assert cfg.model.test_cfg.get('flip', False) is False
    model_cfg = copy.deepcopy(cfg.model)
    model_cfg.backbone.init_cfg = None
    model_cfg.head.num_classes = 3
    model = MODELS.build(model_cfg)
    assert model.test_cfg['normalize'] is True
    if name == 'demo':  # a cheap forward: ResNet-18 at 128 x 64
        model.init_weights()
        with torch.no_grad():
            feats = model.eval().predict_feat(torch.randn(2, 3, 128, 64))
        assert feats.shape == (2, 512)
        torch.testing.assert_close(feats.norm(dim=1), torch.ones(2))


def market_tree(root):
    write_images(
        osp.join(root, 'bounding_box_train'), [
            f'{pid:04d}_c{c}s1_{k:06d}_00.jpg' for pid in range(1, 9)
            for c in (1, 2) for k in range(2)
        ])
    write_images(osp.join(root, 'query'), ['0100_c1s1_000001_00.jpg'])
    write_images(osp.join(root, 'bounding_box_test'),
                 ['0100_c2s1_000001_00.jpg'])
    return root


def test_market_val_config_datasets(tmp_path):
    cfg = load('baseline/market_val.py')
    assert cfg.default_hooks.checkpoint.save_best == 'reid/mAP'
    assert cfg.default_hooks.checkpoint.rule == 'greater'
    assert cfg.num_val_ids == 100
    root = market_tree(str(tmp_path))
    built = {}
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        ds = copy.deepcopy(cfg[key].dataset)
        ds.data_root = root
        if ds.get('num_val_ids'):
            assert ds.num_val_ids == 100
            ds.num_val_ids = 3  # the tiny tree has 8 identities
        built[key] = DATASETS.build(ds)
    train, val, test = (built[k] for k in ('train_dataloader',
                                           'val_dataloader',
                                           'test_dataloader'))
    assert isinstance(test, Market1501)
    held = set(val.metainfo['val_pids'])
    assert len(held) == 3
    assert held == set(train.metainfo['val_pids'])
    assert held.isdisjoint(
        {train.get_data_info(i)['pid']
         for i in range(len(train))})
    assert train.metainfo['num_classes'] == 5
    # the test loader is the real query / gallery
    assert {test.get_data_info(i)['pid'] for i in range(len(test))} == {100}
    assert 'val_pids' not in test.metainfo
