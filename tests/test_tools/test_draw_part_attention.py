# Copyright (c) mmreid contributors. All rights reserved.
"""``tools/misc/draw_part_attention.py`` on a tiny demo set."""
import importlib.util
import os.path as osp

import cv2
import pytest

from mmreid.datasets.demo import generate_demo_dataset

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SMALL = dict(
    num_train_ids=3,
    num_test_ids=2,
    num_cameras=2,
    images_per_id=4,
    img_size=(64, 32),
    num_distractors=1,
    num_junk=1)


def _tool():
    spec = importlib.util.spec_from_file_location(
        'draw_part_attention',
        osp.join(ROOT, 'tools', 'misc', 'draw_part_attention.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_draw_part_attention(tmp_path, capsys):
    root = str(tmp_path / 'demo')
    generate_demo_dataset(root, **SMALL)
    cfg = tmp_path / 'ppa.py'
    cfg.write_text(
        f"_base_ = [{osp.join(ROOT, 'configs', 'aacn', 'demo_ppa.py')!r}]\n"
        f'held_out_dataset = dict(data_root={root!r}, **{SMALL!r})\n')
    out = _tool().main([
        str(cfg), 'none', '--num', '2', '--size', '32', '64', '--out',
        str(tmp_path / 'ppa.png')
    ])
    img = cv2.imread(out)
    # 2 rows x 7 tiles of 64 x 32 with 2 px gaps
    assert img.shape == (2 * 66 + 2, 7 * 34 + 2, 3)
    # the target tiles differ from the plain keypoint tile
    tile = img[2 + 66:2 + 66 + 64]
    assert (tile[:, 2:34].astype(int) - tile[:, 36:68]).any()
    report = capsys.readouterr().out
    assert 'visibility target | predicted' in report
    assert 'loss_k_s1' in report and 'loss_r_s2' in report
    cfg.write_text(
        f"_base_ = [{osp.join(ROOT, 'configs', 'aacn', 'demo_gcn.py')!r}]\n")
    with pytest.raises(SystemExit, match='held_out_dataset'):
        _tool().main([str(cfg), 'none', '--out', str(tmp_path / 'x.png')])
