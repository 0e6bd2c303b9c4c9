# Copyright (c) mmreid contributors. All rights reserved.
"""Resuming a PN-GAN GAN run restores both optimizers and schedulers."""
import copy
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmreid.utils import register_all_modules
from .test_gan_resume import shrink_demo

register_all_modules()

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
KEYS = ('generator', 'discriminator')


class CaptureHook(Hook):
    """Copies of the optimizer / scheduler states and parameters."""

    priority = 'LOWEST'  # after the schedulers stepped

    def __init__(self, at_iter=None):
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
            lr={k: runner.optim_wrapper[k].param_groups[0]['lr']
                for k in KEYS},
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


def make_cfg(tmp_path, work_dir):
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'pngan', 'demo_gan.py'))
    cfg.work_dir = str(tmp_path / work_dir)
    cfg.model.generator.update(ngf=4, num_blocks=1)
    cfg.model.discriminator.update(ndf=4)
    cfg.train_dataloader.update(batch_size=2, num_workers=0,
                                persistent_workers=False)
    shrink_demo(cfg._cfg_dict, str(tmp_path / 'demo'))
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=4)
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook',
                                        by_epoch=False, interval=2)
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1)
    decay = [dict(type='LinearLR', start_factor=1., end_factor=0.25,
                  by_epoch=False, begin=0, end=4)]
    cfg.param_scheduler = {k: decay for k in KEYS}
    cfg.custom_hooks = []
    return cfg


def test_resume_restores_both_optimizers_and_schedulers(tmp_path):
    cfg = make_cfg(tmp_path, 'a')
    runner = Runner.from_cfg(cfg)
    at2 = CaptureHook(at_iter=2)
    runner.register_hook(at2)
    runner.train()
    ckpt = osp.join(cfg.work_dir, 'iter_2.pth')
    assert osp.isfile(ckpt) and at2.state['iter'] == 1

    cfg_b = make_cfg(tmp_path, 'b')
    cfg_b.resume = True
    cfg_b.load_from = ckpt
    runner_b = Runner.from_cfg(cfg_b)
    resumed = CaptureHook()
    runner_b.register_hook(resumed)
    runner_b.train()
    got, want = resumed.state, at2.state
    assert got['iter'] == 2
    for key in KEYS:
        g_opt, w_opt = got['optim'][key], want['optim'][key]
        assert w_opt['state'], f'{key}: no optimizer state to compare'
        for pid, w_state in w_opt['state'].items():
            assert 'exp_avg' in w_state  # Adam moments
            for name, value in w_state.items():
                torch.testing.assert_close(g_opt['state'][pid][name], value,
                                           msg=f'{key} {name}')
        assert got['sched'][key] == want['sched'][key]
        assert got['lr'][key] == want['lr'][key] < cfg.optim_wrapper[key][
            'optimizer']['lr']
    for name, value in want['params'].items():
        torch.testing.assert_close(got['params'][name], value, msg=name)
