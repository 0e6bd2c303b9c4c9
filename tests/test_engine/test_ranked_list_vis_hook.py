# Copyright (c) mmreid contributors. All rights reserved.
"""RankedListVisHook and rank_queries: ranked lists to the visualizer."""
import glob
import importlib.util
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmreid.registry import RUNNERS
from mmreid.utils import register_all_modules
from mmreid.visualization import rank_queries
from mmreid.visualization.ranked_list import GREEN, RED

register_all_modules()

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMO = dict(
    num_train_ids=4,
    num_test_ids=4,
    num_cameras=2,
    images_per_id=4,
    img_size=(64, 32),
    num_distractors=1,
    num_junk=1)


def test_rank_queries_matches_a_naive_loop():
    g = torch.Generator().manual_seed(0)
    recs = []
    for i in range(30):
        recs.append(
            dict(
                feat=torch.randn(5, generator=g),
                pid=int(torch.randint(-1, 4, (1, ), generator=g)),
                camid=int(torch.randint(0, 2, (1, ), generator=g)),
                split='query' if i < 6 else 'gallery',
                img_path=str(i)))
    for r in recs[:6]:
        r['pid'] = max(r['pid'], 1)  # queries have real identities
    out = rank_queries(recs, num_queries=3, topk=4)
    gallery = recs[6:]
    assert [r['img_path'] for r in out['query']] == ['0', '2', '5']
    for q, ranked, matches in zip(out['query'], out['ranked'],
                                  out['matches']):
        # naive: Euclidean distance, drop junk and same pid + same camera
        cands = [(float((q['feat'] - r['feat']).norm()), j)
                 for j, r in enumerate(gallery) if r['pid'] != -1 and not (
                     r['pid'] == q['pid'] and r['camid'] == q['camid'])]
        want = [j for _, j in sorted(cands)[:4]]
        assert ranked == want
        assert matches == [gallery[j]['pid'] == q['pid'] for j in want]
    # without cameras, same-camera matches stay
    out = rank_queries(recs, 6, 30, protocol='no_camera')
    for q, ranked in zip(out['query'], out['ranked']):
        assert len(ranked) == sum(r['pid'] != -1 for r in gallery)
    with pytest.raises(ValueError, match='0 query'):
        rank_queries(gallery, 2, 2)


def tiny_cfg(tmp_path, backends):
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'baseline', 'demo.py'))
    data = str(tmp_path / 'demo')
    pipe = [
        dict(type='LoadReIDImage'),
        dict(type='ReIDResize', scale=(32, 64)),
        dict(type='PackReIDInputs')
    ]
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[key].update(num_workers=0, persistent_workers=False, batch_size=8)
        cfg[key].dataset.update(data_root=data, pipeline=pipe, **DEMO)
    cfg.model.backbone.update(depth=18)
    cfg.train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=1,
                         val_interval=1)
    cfg.param_scheduler = []
    cfg.custom_hooks = [
        dict(type='RankedListVisHook', num_queries=3, topk=4,
             img_size=(32, 16))
    ]
    cfg.visualizer = dict(type='Visualizer', vis_backends=backends)
    cfg.work_dir = str(tmp_path / 'work')
    return cfg


def hook_of(runner):
    return [h for h in runner.hooks
            if type(h).__name__ == 'RankedListVisHook'][0]


def check_picture(img, hook_rgb, num_queries=3):
    # rows of (32 + 2 * 4 border + 20 caption) px, one per query
    assert img.shape[0] == num_queries * (32 + 8 + 20)
    np.testing.assert_array_equal(img, hook_rgb[..., ::-1])
    # every gallery thumbnail is framed green or red
    frame = img[20 + 1, 24 + 12 + 1]  # top-left frame pixel of rank 1
    assert tuple(int(v) for v in frame) in (GREEN, RED)


def test_hook_writes_val_and_test_lists_to_local_backend(tmp_path):
    cfg = tiny_cfg(tmp_path, [dict(type='LocalVisBackend')])
    runner = RUNNERS.build(cfg)
    runner.train()
    hook = hook_of(runner)
    files = glob.glob(
        osp.join(cfg.work_dir, '*', 'vis_data', 'vis_image',
                 'val_ranked_list_*.png'))
    # one validation after the single epoch, at the iteration count
    assert [osp.basename(f) for f in files] == [
        f'val_ranked_list_{runner.iter}.png'
    ]
    check_picture(cv2.imread(files[0]), hook.last_image)
    runner.test()
    files = glob.glob(
        osp.join(cfg.work_dir, '*', 'vis_data', 'vis_image',
                 'test_ranked_list_0.png'))
    assert len(files) == 1
    check_picture(cv2.imread(files[0]), hook.last_image)


def test_hook_writes_to_tensorboard(tmp_path):
    if importlib.util.find_spec('tensorboard') is None:
        pytest.skip('tensorboard is not installed (requirements/optional.txt)')
    from tensorboard.backend.event_processing.event_accumulator import \
        EventAccumulator
    cfg = tiny_cfg(tmp_path, [dict(type='TensorboardVisBackend')])
    runner = RUNNERS.build(cfg)
    runner.test()
    events = glob.glob(
        osp.join(cfg.work_dir, '*', 'vis_data', 'events.out.tfevents.*'))
    assert events
    acc = EventAccumulator(osp.dirname(events[0]))
    acc.Reload()
    assert 'test_ranked_list' in acc.Tags()['images']
    image = acc.Images('test_ranked_list')[0]
    h, w = hook_of(runner).last_image.shape[:2]
    assert (image.height, image.width) == (h, w)
