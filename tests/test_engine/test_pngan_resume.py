# Copyright (c) mmreid contributors. All rights reserved.
"""Resuming a PN-GAN GAN run restores both optimizers and schedulers."""
import os.path as osp

from mmengine.config import Config

from mmreid.utils import register_all_modules
from .gan_resume_utils import check_resume_restores_everything, \
    tiny_resume_cfg

register_all_modules()

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
KEYS = ('generator', 'discriminator')


def test_resume_restores_both_optimizers_and_schedulers(tmp_path):

    def make_cfg(work_dir):
        cfg = Config.fromfile(
            osp.join(ROOT, 'configs', 'pngan', 'demo_gan.py'))
        cfg.model.generator.update(ngf=4, num_blocks=1)
        cfg.model.discriminator.update(ndf=4)
        return tiny_resume_cfg(cfg, tmp_path, work_dir, KEYS)

    # Adam moments of both are really restored
    check_resume_restores_everything(
        make_cfg, KEYS, dict(generator='exp_avg', discriminator='exp_avg'))
