# Copyright (c) mmreid contributors. All rights reserved.
"""tools/train.py --amp on single- and multi-optimizer configs."""
import importlib.util
import os.path as osp

import pytest
from mmengine.config import Config

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def load_train_tool():
    spec = importlib.util.spec_from_file_location(
        'mmreid_train_tool', osp.join(ROOT, 'tools', 'train.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_amp_on_every_sub_wrapper_of_a_gan():
    tool = load_train_tool()
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'fdgan', 'market_stage3.py'))
    tool.enable_amp(cfg.optim_wrapper, accelerator=True)
    assert cfg.optim_wrapper.constructor == 'MultiOptimWrapperConstructor'
    assert 'type' not in cfg.optim_wrapper
    for key in ('generator', 'disc_id', 'disc_pose'):
        sub = cfg.optim_wrapper[key]
        assert (sub.type, sub.loss_scale) == ('AmpOptimWrapper', 'dynamic')
    assert cfg.optim_wrapper.generator.modules == ['generator', 'encoder']


def test_amp_on_a_single_wrapper_and_custom_type_refused():
    tool = load_train_tool()
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'fdgan', 'market_stage1.py'))
    tool.enable_amp(cfg.optim_wrapper, accelerator=True)
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    with pytest.raises(AssertionError, match='not supported'):
        tool.enable_amp(dict(type='MyWrapper', optimizer=dict(type='SGD')))


def test_amp_without_an_accelerator_is_bfloat16_autocast():
    tool = load_train_tool()
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'fdgan', 'market_stage3.py'))
    tool.enable_amp(cfg.optim_wrapper, accelerator=False)
    for key in ('generator', 'disc_id', 'disc_pose'):
        sub = cfg.optim_wrapper[key]
        assert sub.type == 'BF16OptimWrapper' and 'loss_scale' not in sub
    single = dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.1))
    tool.enable_amp(single)  # this machine's device decides
    from mmengine.device import get_device
    assert single['type'] == ('BF16OptimWrapper' if get_device() == 'cpu'
                              else 'AmpOptimWrapper')
