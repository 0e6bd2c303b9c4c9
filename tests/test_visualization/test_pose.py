# Copyright (c) mmreid contributors. All rights reserved.
import numpy as np

from mmreid.visualization.pose import (colorize_maps, draw_keypoints,
                                       make_grid, overlay_heatmaps, put_label)


def test_draw_keypoints():
    img = np.zeros((40, 20, 3), np.uint8)
    k = np.zeros((17, 3), np.float32)
    k[5], k[7] = (5, 10, 1), (5, 30, 1)  # left shoulder -> left elbow
    k[9] = (15, 30, 0)  # missing: not drawn
    out = draw_keypoints(img, k, 'coco17', radius=1)
    assert img.max() == 0  # a copy
    b, g, r = out[20, 5].tolist()  # left limb: green (BGR)
    assert g > 200 and b == r == 0
    assert out[30, 15].max() == 0
    out = draw_keypoints(img, np.concatenate([k, k[:1]]), radius=1)
    assert out.max() > 0  # 18 keypoints: OpenPose-18 inferred


def test_maps_overlay_and_grid():
    img = np.full((16, 8, 3), 50, np.uint8)
    maps = np.zeros((2, 4, 2), np.float32)
    maps[0, 1, 1] = 1
    col = colorize_maps(maps, (8, 16))
    assert col.shape == (16, 8, 3) and col.max() > 0
    over = overlay_heatmaps(img, maps)
    assert over.shape == img.shape
    assert (over != img).any() and (over[0, 0] == img[0, 0]).all()
    grid = make_grid([[img, over], [col]], pad=1)
    assert grid.shape == (35, 19, 3)
    assert grid[0, 0].tolist() == [255, 255, 255]
    assert put_label(img, 'x').shape == img.shape
