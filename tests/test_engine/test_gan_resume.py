# Copyright (c) mmreid contributors. All rights reserved.
"""Resuming an FD-GAN stage-II run restores every optimizer and scheduler."""
import os.path as osp

from mmengine.config import Config

from mmreid.utils import register_all_modules
from .gan_resume_utils import check_resume_restores_everything, \
    tiny_resume_cfg

register_all_modules()

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
KEYS = ('generator', 'disc_id', 'disc_pose')


def make_cfg(tmp_path, work_dir):
    """FD-GAN's demo stage II, 4 iterations on a tiny demo set."""
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'fdgan',
                                   'demo_stage2.py'))
    cfg.model.encoder.init_cfg = None
    return tiny_resume_cfg(cfg, tmp_path, work_dir, KEYS)


def test_resume_restores_every_optimizer_and_scheduler(tmp_path):
    # SGD momentum and Adam moments are really restored
    check_resume_restores_everything(
        lambda work_dir: make_cfg(tmp_path, work_dir), KEYS,
        dict(disc_id='momentum_buffer', generator='exp_avg'))
