# Copyright (c) mmreid contributors. All rights reserved.
"""Shared pieces of the GAN resume tests (FD-GAN, PN-GAN): a tiny run of a
GAN config, interrupted after 2 of 4 iterations and resumed, and the check
that every optimizer, scheduler and parameter came back."""
import copy
import os.path as osp
from typing import Callable, Sequence

import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner

TINY = dict(num_train_ids=4,
            num_test_ids=2,
            num_cameras=2,
            images_per_id=4,
            num_distractors=1,
            num_junk=0)


def shrink_demo(node, data_root):
    """Point every DemoReID of a config at a tiny generated set."""
    if isinstance(node, dict):
        if node.get('type') == 'DemoReID':
            node.update(data_root=data_root, **TINY)
        for v in node.values():
            shrink_demo(v, data_root)
    elif isinstance(node, (list, tuple)):
        for v in node:
            shrink_demo(v, data_root)


class CaptureHook(Hook):
    """Deep copies of the optimizer / scheduler states, the learning rates
    of ``keys`` and the parameters, before training or after the
    ``at_iter``-th iteration."""

    priority = 'LOWEST'  # after the schedulers stepped

    def __init__(self, keys: Sequence[str], at_iter=None):
        self.keys = tuple(keys)
        self.at_iter = at_iter
        self.state = None

    def _capture(self, runner):
        self.state = dict(
            iter=runner.iter,
            optim=copy.deepcopy(runner.optim_wrapper.state_dict()),
            sched={
                k: [s.state_dict() for s in v]
                for k, v in runner.param_schedulers.items()
            },
            lr={
                k: runner.optim_wrapper[k].param_groups[0]['lr']
                for k in self.keys
            },
            params={
                k: v.detach().clone()
                for k, v in runner.model.state_dict().items()
            })

    def before_train(self, runner):
        if self.at_iter is None:
            self._capture(runner)

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if self.at_iter is not None and runner.iter + 1 == self.at_iter:
            self._capture(runner)


def tiny_resume_cfg(cfg, tmp_path, work_dir: str, keys: Sequence[str]):
    """A 4-iteration run of a GAN config on a tiny demo set, checkpointed
    every 2 iterations, each optimizer's lr decaying linearly."""
    cfg.work_dir = str(tmp_path / work_dir)
    cfg.train_dataloader.update(batch_size=2,
                                num_workers=0,
                                persistent_workers=False)
    shrink_demo(cfg._cfg_dict, str(tmp_path / 'demo'))
    for key in ('val_dataloader', 'val_evaluator', 'val_cfg',
                'test_dataloader', 'test_evaluator', 'test_cfg'):
        cfg[key] = None
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=4)
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook',
                                        by_epoch=False,
                                        interval=2,
                                        save_best=None)
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1)
    decay = [
        dict(type='LinearLR',
             start_factor=1.,
             end_factor=0.25,
             by_epoch=False,
             begin=0,
             end=4)
    ]
    cfg.param_scheduler = {k: decay for k in keys}
    cfg.custom_hooks = []
    return cfg


def check_resume_restores_everything(make_cfg: Callable, keys: Sequence[str],
                                     moments: dict) -> None:
    """Train 4 iterations, resume a second run from ``iter_2.pth`` and
    compare its state before training with the first run's after 2.

    Args:
        make_cfg (callable): ``make_cfg(work_dir)`` -> the run's config.
        keys (Sequence[str]): The optimizer / scheduler keys.
        moments (dict): Optimizer key -> a state entry it must have (e.g.
            ``'exp_avg'`` for Adam, ``'momentum_buffer'`` for SGD), so the
            comparison is not between empty states.
    """
    cfg = make_cfg('a')
    runner = Runner.from_cfg(cfg)
    at2 = CaptureHook(keys, at_iter=2)
    runner.register_hook(at2)
    runner.train()
    ckpt = osp.join(cfg.work_dir, 'iter_2.pth')
    assert osp.isfile(ckpt) and at2.state['iter'] == 1

    cfg_b = make_cfg('b')
    cfg_b.resume = True
    cfg_b.load_from = ckpt
    runner_b = Runner.from_cfg(cfg_b)
    resumed = CaptureHook(keys)
    runner_b.register_hook(resumed)
    runner_b.train()
    got, want = resumed.state, at2.state
    assert got['iter'] == 2
    for key in keys:
        g_opt, w_opt = got['optim'][key], want['optim'][key]
        assert w_opt['state'], f'{key}: no optimizer state to compare'
        assert g_opt['state'].keys() == w_opt['state'].keys()
        for pid, w_state in w_opt['state'].items():
            for name, value in w_state.items():
                torch.testing.assert_close(g_opt['state'][pid][name],
                                           value,
                                           msg=f'{key} {name}')
        assert [g['lr'] for g in g_opt['param_groups']
                ] == [g['lr'] for g in w_opt['param_groups']]
        assert got['sched'][key] == want['sched'][key]
        # the lr after 2 of 4 linear-decay steps, not the initial one
        assert got['lr'][key] == want['lr'][key] < cfg.optim_wrapper[key][
            'optimizer']['lr']
    for key, entry in moments.items():
        assert entry in next(iter(got['optim'][key]['state'].values()))
    for name, value in want['params'].items():
        torch.testing.assert_close(got['params'][name], value, msg=name)
