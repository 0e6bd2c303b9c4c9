# Copyright (c) mmreid contributors. All rights reserved.
"""Every DPL/PABR config builds its model and runs a forward pass."""
import copy
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.model import convert_sync_batchnorm, revert_sync_batchnorm

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from mmreid.utils import register_all_modules

register_all_modules()

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(
    glob.glob(osp.join(ROOT, 'configs', 'dpl', '*.py')) +
    glob.glob(osp.join(ROOT, 'configs', 'pabr', '*.py')))


def input_hw(cfg):
    for t in cfg.test_dataloader.dataset.pipeline:
        if t['type'] == 'ReIDResize':
            w, h = t['scale']
            return h, w
    raise AssertionError('no ReIDResize in the test pipeline')


def test_all_configs_found():
    names = {osp.relpath(c, ROOT) for c in CONFIGS}
    assert {
        'configs/dpl/demo.py', 'configs/dpl/market.py',
        'configs/dpl/cuhk03.py', 'configs/pabr/demo.py',
        'configs/pabr/market.py', 'configs/pabr/duke.py',
        'configs/pabr/market_appearance_only.py'
    } <= names


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, ROOT))
def test_config_builds_and_forwards(path):
    cfg = Config.fromfile(path)
    model = MODELS.build(cfg.model)  # no init_weights: no downloads
    h, w = input_hw(cfg)
    if 'demo' not in path:
        assert (h, w) == (160, 80)
    x = torch.randint(0, 256, (2, 3, h, w), dtype=torch.uint8)
    data = model.data_preprocessor(
        dict(
            inputs=list(x),
            data_samples=[ReIDDataSample().set_gt_label(0)
                          for _ in range(2)]), False)
    model.eval()
    with torch.no_grad():
        feats = model(data['inputs'], mode='tensor')
    assert feats.shape == (2, 512)
    torch.testing.assert_close(feats.norm(dim=1), torch.ones(2))


@pytest.mark.parametrize('method, gpus_batch', [('dpl', 37), ('pabr', 31)])
def test_paper_settings(method, gpus_batch):
    cfg = Config.fromfile(osp.join(ROOT, 'configs', method, 'market.py'))
    # 8 GPUs x per-GPU batch ~ the paper's batch (300 / 250), loss gathered
    assert cfg.train_dataloader.batch_size == gpus_batch
    sampler = cfg.train_dataloader.sampler
    assert sampler.type == 'IdentityContiguousSampler'
    # the GPUs' batches form one contiguous chunk of the identity stream
    assert sampler.batch_size == gpus_batch
    assert cfg.sync_bn == 'torch'
    assert sampler.max_per_id == (10 if method == 'dpl' else None)
    # the head owns the loss, mined over the batches of all GPUs
    loss = MODELS.build(cfg.model).head.loss_triplet
    assert (loss.margin, loss.mining, loss.squared,
            loss.gather_across_ranks) == (0.2, 'all', True, True)
    opt = cfg.optim_wrapper.optimizer
    assert (opt.type, opt.lr, opt.momentum, opt.weight_decay) == ('SGD',
                                                                  0.01, 0.9,
                                                                  2e-4)
    assert cfg.param_scheduler[0].gamma == 0.2
    assert cfg.train_cfg.type == 'ResumableIterBasedTrainLoop'
    assert cfg.train_cfg.max_iters == (100000 if method == 'dpl' else 75000)
    assert cfg.model.backbone.init_cfg.checkpoint.startswith('https://')
    if method == 'pabr':
        assert cfg.model.backbone.dilation == 2
        est = cfg.model.part_stream.estimator
        assert est.checkpoint.startswith('https://') and not est['freeze']
        assert cfg.param_scheduler[0].milestones == [20000, 40000, 60000]


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, ROOT))
def test_multi_gpu_settings(path):
    """The multi-GPU configs: global batches and SyncBN; the CPU demos
    (run on 2 gloo processes, where SyncBN cannot run) have no SyncBN."""
    cfg = Config.fromfile(path)
    loader = cfg.train_dataloader
    if 'demo' in path:
        assert cfg.get('sync_bn') is None
        return
    assert loader.sampler.type == 'IdentityContiguousSampler'
    assert loader.sampler.batch_size == loader.batch_size
    assert loader.drop_last
    assert cfg.sync_bn == 'torch'


def test_sync_bn_is_plain_bn_in_one_process():
    """Converted to SyncBN, a model still trains in one process (no
    process group): same outputs as with BatchNorm."""
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'pabr', 'market_appearance_only.py'))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    bn = torch.nn.modules.batchnorm._BatchNorm
    num_bn = sum(isinstance(m, bn) for m in model.modules())
    assert num_bn > 0
    synced = convert_sync_batchnorm(copy.deepcopy(model), cfg.sync_bn)
    assert sum(
        isinstance(m, torch.nn.SyncBatchNorm)
        for m in synced.modules()) == num_bn
    x = torch.randn(4, 3, 160, 80)
    model.train()
    synced.train()
    expected = model(x, mode='tensor')
    torch.testing.assert_close(synced(x, mode='tensor'), expected)
    # the running statistics were updated the same way
    torch.testing.assert_close(
        [m.running_mean for m in synced.modules() if isinstance(m, bn)],
        [m.running_mean for m in model.modules() if isinstance(m, bn)])
    reverted = revert_sync_batchnorm(synced)
    assert not any(
        isinstance(m, torch.nn.SyncBatchNorm) for m in reverted.modules())
