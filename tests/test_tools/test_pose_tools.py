# Copyright (c) mmreid contributors. All rights reserved.
"""``tools/misc/cluster_poses.py`` (pose targets: test_browse_dataset.py)."""
import importlib.util
import json
import os.path as osp

import cv2
import numpy as np
import pytest

from mmreid.datasets.demo import generate_demo_dataset

TOOLS = osp.join(
    osp.dirname(osp.dirname(osp.dirname(__file__))), 'tools', 'misc')
SMALL = dict(
    num_train_ids=6,
    num_test_ids=3,
    num_cameras=3,
    images_per_id=4,
    img_size=(64, 32),
    num_distractors=1,
    num_junk=1)


def _tool(name):
    spec = importlib.util.spec_from_file_location(
        name, osp.join(TOOLS, f'{name}.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope='module')
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('posetools')
    root = str(tmp / 'demo')
    generate_demo_dataset(root, **SMALL)
    cfg = tmp / 'cfg.py'
    cfg.write_text('train_dataloader = dict(dataset=dict(type="DemoReID", '
                   f'data_root={root!r}, ' +
                   ', '.join(f'{k}={v!r}' for k, v in SMALL.items()) + '))\n')
    return tmp, root, str(cfg)


def test_cluster_poses(demo):
    tmp, root, cfg = demo
    tool = _tool('cluster_poses')
    out_dir = str(tmp / 'poses')
    res = tool.main([
        cfg, '--keypoint-file', 'keypoints_coco17.json', '--k', '4',
        '--out-dir', out_dir, '--members', '2', '--n-init', '2'
    ])
    assert res['sizes'].sum() == res['num_valid'] <= 24
    with open(osp.join(out_dir, 'canonical_poses.json')) as f:
        saved = json.load(f)
    assert saved['format'] == 'coco17' and saved['k'] == 4
    kpts = np.array(saved['keypoints'])
    assert kpts.shape == (4, 17, 3)
    vis = kpts[..., 2] > 0
    assert (kpts[vis][:, 0] <= 127.5).all() and (kpts[vis][:, 1]
                                                 <= 255.5).all()
    for i in range(4):
        img = cv2.imread(osp.join(out_dir, f'canonical_pose_{i}.png'))
        assert img.shape == (256, 128, 3) and img.max() > 0
    grid = cv2.imread(osp.join(out_dir, 'canonical_poses.png'))
    assert grid.shape == (3 * 258 + 2, 4 * 130 + 2, 3)
    # --root mode, train folder only
    res2 = tool.main([
        '--root', root, '--keypoint-file', 'keypoints_coco17.json', '--k', '4',
        '--out-dir', out_dir, '--members', '0', '--n-init', '2'
    ])
    np.testing.assert_array_equal(res2['sizes'], res['sizes'])
