# Copyright (c) mmreid contributors. All rights reserved.
"""PoseTransferVisHook: grids and SSIM of fixed held-out transfers."""
import json
import os.path as osp

import mmcv
import numpy as np
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mmreid.engine.hooks import generate_transfer_batch
from mmreid.evaluation.functional import ssim
from mmreid.registry import DATASETS
from mmreid.utils import register_all_modules

from .test_gan_resume import make_cfg

register_all_modules()


def test_hook_writes_grids_and_ssim(tmp_path):
    cfg = make_cfg(tmp_path, 'vis')
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=3)
    base = Config.fromfile(
        osp.join(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
                 'configs', 'fdgan', 'demo_stage2.py'))
    dataset = base.custom_hooks[-1]['dataset']
    dataset['dataset'].update(data_root=str(tmp_path / 'demo'),
                              num_train_ids=4,
                              num_test_ids=2,
                              num_cameras=2,
                              images_per_id=4,
                              num_distractors=1,
                              num_junk=0)
    cfg.custom_hooks = [
        dict(type='PoseTransferVisHook',
             dataset=dataset,
             num_samples=3,
             interval=2,
             columns=1)
    ]
    runner = Runner.from_cfg(cfg)
    runner.train()
    out_dir = osp.join(cfg.work_dir, 'vis')
    records = json.load(open(osp.join(out_dir, 'ssim.json')))
    # start, every 2 iterations, end (3 is not a multiple of 2)
    assert [r['iter'] for r in records] == [0, 2, 3]
    for r in records:
        grid = mmcv.imread(r['grid'])
        # 3 rows x 4 columns of 128 x 64 tiles with 2-pixel gaps
        assert grid.shape == (3 * 130 + 2, 4 * 66 + 2, 3)
        assert -1 <= r['ssim'] <= 1 and -1 <= r['id_cos'] <= 1

    # the last record is reproducible from the final model, independently
    ds = DATASETS.build(dataset)
    pairs = ds.fixed_transfer_pairs(3, seed=0)
    out = generate_transfer_batch(runner.model, ds, pairs, noise_seed=0)
    want = ssim(
        torch.from_numpy(out['generated']).permute(0, 3, 1, 2),
        torch.from_numpy(out['targets']).permute(0, 3, 1, 2))
    np.testing.assert_allclose(records[-1]['ssim'], float(want), rtol=1e-5)
    # the targets are the dataset's own images of the same identity
    for (o, t), target in zip(pairs, out['targets']):
        assert ds.pids[o] == ds.pids[t]
        real = mmcv.imread(ds.img_paths[t], channel_order='rgb')
        real = mmcv.imresize(real, (64, 128))
        np.testing.assert_array_equal(target, real)
