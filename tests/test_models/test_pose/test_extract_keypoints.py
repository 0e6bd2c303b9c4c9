# Copyright (c) mmreid contributors. All rights reserved.
import importlib.util
import json
import os
import os.path as osp

import numpy as np
import pytest

pytest.importorskip('mmpose')

from mmreid.datasets import Market1501  # noqa: E402
from mmreid.datasets.keypoint_cache import load_keypoint_cache  # noqa: E402
from mmreid.models.pose.mmpose_estimator import \
    HRNET_W32_COCO_CONFIG  # noqa: E402
from mmreid.testing import make_market_tree  # noqa: E402

TOOL = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.dirname(__file__)))), 'tools',
    'misc', 'extract_keypoints.py')


def _tool():
    spec = importlib.util.spec_from_file_location('extract_keypoints', TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('extract')
    root = make_market_tree(str(tmp / 'market'))
    cfg = tmp / 'cfg.py'
    cfg.write_text(f'train_dataloader = dict(dataset=dict(type="Market1501", '
                   f'data_root={root!r}, pipeline=[dict(type="Foo")]))\n'
                   f'test_dataloader = dict(dataset=dict(type="Market1501", '
                   f'data_root={root!r}, test_mode=True))\n')
    pose = tmp / 'tiny_pose.py'
    pose.write_text(f'_base_ = {HRNET_W32_COCO_CONFIG!r}\n'
                    'codec = dict(type="MSRAHeatmap", input_size=(64, 96), '
                    'heatmap_size=(16, 24), sigma=2)\n')
    return tmp, root, str(cfg), str(pose)


def _args(cfg, pose, out, *extra):
    return [
        cfg, '--pose-config', pose, '--checkpoint', 'none', '--out', out,
        '--batch-size', '2', '--num-workers', '0', '--crop-size', '16', '32',
        '--score-thr', '0', *extra
    ]


def test_extract_resume_and_load(setup):
    tmp, root, cfg, pose = setup
    tool = _tool()
    out = str(tmp / 'kpts.json')
    # interrupted after 3 images: partial file only
    s = tool.main(
        _args(cfg, pose, out, '--max-images', '3', '--save-every', '2'))
    assert not s['complete'] and s['num_new'] == 3 and s['num_images'] == 10
    assert not osp.exists(out)
    with open(out + '.partial.json') as f:
        assert len(json.load(f)['keypoints']) == 3
    # resumed: the other 7, then the final cache
    s = tool.main(_args(cfg, pose, out, '--show', '2'))
    assert s['complete'] and s['num_new'] == 7
    assert not osp.exists(out + '.partial.json')
    assert len(os.listdir(s['show_dir'])) == 2
    cache = load_keypoint_cache(out)
    assert cache['format'] == 'coco17' and len(cache['keypoints']) == 10
    assert cache['estimator']['config'] == pose
    assert cache['estimator']['checkpoint'] is None
    assert s['seconds_per_image'] > 0
    # the datasets load it
    for test_mode in (False, True):
        ds = Market1501(root, test_mode=test_mode, keypoint_file=out)
        info = ds.get_data_info(0)
        assert info['keypoints'].shape == (17, 3)
        assert info['keypoint_format'] == 'coco17'
    # resumed == uninterrupted (seeded random init)
    full = str(tmp / 'full.json')
    tool.main(_args(cfg, pose, full))
    a, b = load_keypoint_cache(out), load_keypoint_cache(full)
    for rel in a['keypoints']:
        np.testing.assert_allclose(
            a['keypoints'][rel], b['keypoints'][rel], atol=1e-3)
    # keypoints are in original pixels of the 16 x 8 images; the visible
    # ones are inside them (random weights: scores ~1e-10, saved as 0)
    k = np.stack(list(a['keypoints'].values()))
    vis = k[..., 2] > 0
    assert np.abs(k[..., :2]).max() < 20
    assert ((k[vis][:, 0] >= -0.5) & (k[vis][:, 0] <= 7.5)).all()
    assert ((k[vis][:, 1] >= -0.5) & (k[vis][:, 1] <= 15.5)).all()


def test_partial_of_another_estimator_is_refused(setup):
    tmp, root, cfg, pose = setup
    tool = _tool()
    out = str(tmp / 'other.json')
    tool.main(_args(cfg, pose, out, '--max-images', '1'))
    with pytest.raises(SystemExit, match='--restart'):
        tool.main(_args(cfg, pose, out, '--flip-test'))
    s = tool.main(
        _args(cfg, pose, out, '--flip-test', '--restart', '--max-images', '1'))
    with open(out + '.partial.json') as f:
        partial = json.load(f)
    assert partial['estimator']['flip_test'] is True
    assert len(partial['keypoints']) == 1
