# Copyright (c) mmreid contributors. All rights reserved.
"""model_part_maps / draw_part_maps: the maps the part-aligned models pool
with, drawn on their inputs."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from mmreid.models import DPL
from mmreid.utils import register_all_modules
from mmreid.visualization import (draw_part_maps, model_part_maps,
                                  overlay_heatmaps)

register_all_modules()


def test_dpl_maps_are_the_ones_its_head_pools_with():
    model = DPL(backbone=dict(type='InceptionV1'))
    model.train()
    x = torch.randn(2, 3, 64, 32)
    maps = model_part_maps(model, x)['part']
    assert model.training  # mode restored
    assert maps.shape == (2, 8, 4, 2)
    assert ((maps >= 0) & (maps <= 1)).all()
    # the descriptor, rebuilt from the returned maps, is the model's
    model.eval()
    with torch.no_grad():
        feat = model.head.reduce(model.backbone(x)[-1])
        pooled = torch.einsum('nchw,nkhw->nkc', feat, maps) / (4 * 2)
        parts = [fc(pooled[:, k]) for k, fc in enumerate(model.head.part_fcs)]
        want = F.normalize(torch.cat(parts, 1), dim=1)
        torch.testing.assert_close(model.extract_feat(x), want)


def test_pabr_maps():
    from tests.test_models.test_pabr import tiny_pabr
    model = tiny_pabr()
    x = torch.randn(2, 3, 64, 32)
    maps = model_part_maps(model, x, num_channels=5)
    assert set(maps) == {'keypoints', 'stream'}
    assert maps['keypoints'].shape[:2] == (2, 17)
    assert maps['stream'].shape == (2, 5, 8, 4)
    with torch.no_grad():
        _, p = model.eval().streams(x)
    top = p.mean((0, 2, 3)).argsort(descending=True)[:5]
    for n in range(2):
        for j, c in enumerate(top.tolist()):
            m = p[n, c]
            torch.testing.assert_close(maps['stream'][n, j],
                                       (m - m.min()) / (m.max() - m.min()))


def test_models_without_part_maps_are_refused():
    from mmreid.models import Baseline
    model = Baseline(
        backbone=dict(type='mmpretrain.ResNet', depth=18, out_indices=(3, )),
        head=dict(type='BNNeckHead', in_channels=512, num_classes=None,
                  loss_cls=None))
    with pytest.raises(TypeError, match='no part maps'):
        model_part_maps(model, torch.randn(1, 3, 64, 32))


def test_draw_part_maps_layout_and_tiles():
    rng = np.random.default_rng(0)
    imgs = [rng.integers(0, 255, (16, 8, 3), dtype=np.uint8) for _ in range(2)]
    maps = dict(a=torch.rand(2, 2, 4, 2), b=torch.rand(2, 9, 4, 2))
    grid = draw_part_maps(imgs, maps, max_tiles=8)
    # image + (2 maps + all) + (only all: 9 > max_tiles) = 5 tiles per row
    assert grid.shape == (2 * 18 + 2, 5 * 10 + 2, 3)
    row = grid[20:36]  # second row (no labels)
    np.testing.assert_array_equal(row[:, 2:10], imgs[1])
    np.testing.assert_array_equal(
        row[:, 22:30], overlay_heatmaps(imgs[1], maps['a'][1, 1:2].numpy()))
    np.testing.assert_array_equal(
        row[:, 42:50], overlay_heatmaps(imgs[1], maps['b'][1].numpy()))
    with pytest.raises(ValueError, match='2 images'):
        draw_part_maps(imgs, dict(a=torch.rand(3, 2, 4, 2)))
