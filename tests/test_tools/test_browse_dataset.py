# Copyright (c) mmreid contributors. All rights reserved.
"""``tools/analysis_tools/browse_dataset.py``: pipeline outputs and pose
targets of a dataset config."""
import importlib.util
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.config import Config
from mmengine.runner import set_random_seed

from mmreid.datasets.demo import generate_demo_dataset
from mmreid.datasets.transforms.pose_targets import KeypointsToHeatmaps
from mmreid.visualization import overlay_heatmaps

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SMALL = dict(
    num_train_ids=6,
    num_test_ids=3,
    num_cameras=3,
    images_per_id=4,
    img_size=(64, 32),
    num_distractors=1,
    num_junk=1)
PIPELINE = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(32, 64)),
    dict(type='ReIDPad', padding=2),
    dict(type='ReIDRandomCrop', crop_size=(32, 64)),
    dict(type='KeypointsToHeatmaps', sigma=2, stride=4),
    dict(type='PackReIDInputs', pose_keys=['heatmaps']),
]


def _tool():
    path = osp.join(ROOT, 'tools', 'analysis_tools', 'browse_dataset.py')
    spec = importlib.util.spec_from_file_location('browse_dataset', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope='module')
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('browse')
    root = str(tmp / 'demo')
    generate_demo_dataset(root, **SMALL)
    cfg = tmp / 'cfg.py'
    cfg.write_text(
        'default_scope = "mmreid"\n'
        'train_dataloader = dict(dataset=dict(type="DemoReID", '
        f'data_root={root!r}, keypoint_file="keypoints_coco17.json", '
        f'pipeline={PIPELINE!r}, ' +
        ', '.join(f'{k}={v!r}' for k, v in SMALL.items()) + '))\n')
    return tmp, root, str(cfg)


def grid_shape(rows, cols, h, w, pad=2):
    return (rows * (h + pad) + pad, cols * (w + pad) + pad, 3)


def test_transformed_mode_draws_the_pipelines_targets(demo):
    tmp, root, cfg = demo
    tool = _tool()
    out = tool.main([cfg, '--num', '3', '--out', str(tmp / 't.png')])
    img = cv2.imread(out)
    # packed image, keypoints, heatmaps: 3 tiles of 64 x 32 per sample
    assert img.shape == grid_shape(3, 3, 64, 32)
    # the second row is the pipeline's own output for that sample,
    # re-run independently with the tool's seeding (seed + index)
    ds, transforms = tool.dataset_and_pipeline(Config.fromfile(cfg), 'train',
                                               None)
    picks = sorted(
        np.random.default_rng(0).choice(len(ds), 3, replace=False).tolist())
    set_random_seed(picks[1])
    steps = tool.run_pipeline(ds.get_data_info(picks[1]), transforms)
    assert [n for n, _ in steps] == [
        'LoadReIDImage', 'ReIDResize', 'ReIDPad', 'ReIDRandomCrop',
        'KeypointsToHeatmaps'
    ]
    res = steps[-1][1]
    assert res['heatmaps'].shape == (17, 16, 8)
    y = 2 + 66
    packed = img[y:y + 64, 2:2 + 32]
    np.testing.assert_array_equal(packed[20:], res['img'][20:])
    tile = img[y:y + 64, 2 + 2 * 34:2 + 2 * 34 + 32]
    np.testing.assert_array_equal(
        tile, overlay_heatmaps(res['img'], res['heatmaps']))


def test_pipeline_and_original_modes(demo):
    tmp, root, cfg = demo
    tool = _tool()
    out = tool.main(
        [cfg, '--mode', 'pipeline', '--num', '2', '--out',
         str(tmp / 'p.png')])
    # LoadReIDImage, ReIDResize, ReIDPad (36 x 68), ReIDRandomCrop,
    # KeypointsToHeatmaps: 5 tiles resized to the first (64 x 32)
    assert cv2.imread(out).shape == grid_shape(2, 5, 64, 32)
    out = tool.main([
        cfg, '--mode', 'original', '--num', '4', '--size', '16', '32',
        '--out',
        str(tmp / 'o.png')
    ])
    assert cv2.imread(out).shape == grid_shape(4, 1, 32, 16)


def test_pose_targets_mode(demo):
    tmp, root, cfg = demo
    tool = _tool()
    out = tool.main([
        '--root', root, '--keypoint-file', 'keypoints_coco17.json',
        '--mode', 'pose-targets', '--num', '2', '--size', '32', '64',
        '--out',
        str(tmp / 'a.png')
    ])
    img = cv2.imread(out)
    # 2 rows x 7 tiles of 64 x 32 with 2 px gaps
    assert img.shape == grid_shape(2, 7, 64, 32)
    out = tool.main([
        cfg, '--mode', 'pose-targets', '--num', '3', '--out',
        str(tmp / 'b.png')
    ])
    assert cv2.imread(out).shape == grid_shape(3, 7, 256, 128)
    # the second tile of a row is the COCO-17 heatmaps over the image
    info = tool.dataset_and_pipeline(Config.fromfile(cfg), 'train',
                                     None)[0].get_data_info(0)
    from mmreid.visualization import pose_target_tiles
    tiles = pose_target_tiles(
        cv2.imread(info['img_path']), info['keypoints'], size=(32, 64))
    res = KeypointsToHeatmaps(sigma=2, stride=4)(
        dict(
            img=cv2.resize(cv2.imread(info['img_path']), (32, 64)),
            img_shape=(64, 32),
            keypoints=np.asarray(info['keypoints'], np.float32),
            keypoint_format='coco17'))
    np.testing.assert_array_equal(
        tiles[1], overlay_heatmaps(res['img'], res['heatmaps']))
    with pytest.raises(SystemExit, match='no keypoints'):
        tool.main([
            cfg, '--mode', 'pose-targets', '--keypoint-file', '', '--out',
            str(tmp / 'c.png')
        ])
    with pytest.raises(SystemExit, match='pose-targets only'):
        tool.main(['--root', root, '--out', str(tmp / 'd.png')])
