# Copyright (c) mmreid contributors. All rights reserved.
"""Draw AACN's predicted part attention beside its targets on held-out images.

For a PPA config (e.g. ``configs/aacn/demo_ppa.py``) and its checkpoint,
images of the config's ``held_out_dataset`` (test identities, never
trained on) go through its pipeline (which renders the targets) and the
network. Each row is
one image; the columns are:

1. the image with its ground-truth keypoints;
2. / 3. the keypoint confidence maps K: target, predicted (last stage);
4. / 5. the rigid part maps R: target, predicted (R^);
6. / 7. the non-rigid part maps N: target, predicted.

Under each pair the visibility scores ``v_p = sum |map|`` of the parts are
written (target maps | predicted maps), and the same numbers are printed
with the held-out losses of the drawn images.

Examples::

    python tools/misc/draw_part_attention.py configs/aacn/demo_ppa.py \\
        work_dirs/demo_ppa/iter_300.pth --out work_dirs/ppa.png
"""
import argparse
import os
import os.path as osp
from typing import List

import cv2
import numpy as np
import torch
from mmengine.config import Config
from mmengine.runner import load_checkpoint

from mmreid.registry import DATASETS, MODELS
from mmreid.utils import register_all_modules
from mmreid.visualization.pose import (draw_keypoints, make_grid,
                                       overlay_heatmaps, put_label)


def parse_args(argv=None):
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        'config', help='a PPA config (PoseGuidedPartAttention)')
    parser.add_argument('checkpoint', help="'none' for the initial weights")
    parser.add_argument('--num', type=int, default=4, help='images to draw')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--size',
        type=int,
        nargs=2,
        default=[128, 256],
        metavar=('W', 'H'),
        help='size of each tile (default: 128 256)')
    parser.add_argument('--out', default='work_dirs/part_attention.png')
    return parser.parse_args(argv)


def _abbrev(name: str) -> str:
    return ''.join(s[0] for s in name.split('_')).upper()


def _write_lines(tile: np.ndarray, lines: List[str]) -> np.ndarray:
    """Write lines at the bottom of a tile."""
    h = tile.shape[0]
    for i, line in enumerate(lines):
        cv2.putText(tile, line, (2, h - 3 - (len(lines) - 1 - i) * 10),
                    cv2.FONT_HERSHEY_PLAIN, 0.7, (255, 255, 255), 1)
    return tile


def render_rows(model, dataset, indices, size) -> tuple:
    """The tiles of the images ``indices`` and a printable report."""
    head = model.head
    nr = head.num_rigid
    names = head.part_names
    rows, report = [], []
    losses = {}
    for idx in indices:
        item = dataset[idx]
        data = model.data_preprocessor(
            dict(inputs=[item['inputs']], data_samples=[item['data_samples']]),
            False)
        with torch.no_grad():
            sample = model(data['inputs'], data['data_samples'],
                           'predict')[0]
            for k, v in model(data['inputs'], data['data_samples'],
                              'loss').items():
                losses.setdefault(k, []).append(float(v))
        img = cv2.resize(item['inputs'].permute(1, 2, 0).numpy(),
                         tuple(size), interpolation=cv2.INTER_LINEAR)
        h0, w0 = item['inputs'].shape[-2:]
        kpts = sample.gt_keypoints.numpy().copy()
        kpts[:, 0] = (kpts[:, 0] + 0.5) * size[0] / w0 - 0.5
        kpts[:, 1] = (kpts[:, 1] + 0.5) * size[1] / h0 - 0.5
        k_t, k_p = sample.heatmaps.numpy(), sample.pred_heatmaps.numpy()
        parts_t = sample.part_maps.numpy()
        parts_p = sample.pred_part_maps.numpy()
        v_t = np.abs(parts_t).sum(axis=(1, 2))
        v_p = sample.pred_visibility.numpy()
        row = [
            draw_keypoints(img, kpts, radius=max(2, size[0] // 48)),
            overlay_heatmaps(img, k_t),
            overlay_heatmaps(img, k_p)
        ]
        for sl in (slice(0, nr), slice(nr, len(names))):
            t_tile = overlay_heatmaps(img, parts_t[sl])
            p_tile = overlay_heatmaps(img, parts_p[sl])
            part_names = names[sl]
            _write_lines(t_tile, [
                f'{_abbrev(n)} {v:.1f}'
                for n, v in zip(part_names, v_t[sl])])
            _write_lines(p_tile, [
                f'{_abbrev(n)} {v:.1f}'
                for n, v in zip(part_names, v_p[sl])])
            row += [t_tile, p_tile]
        rows.append(row)
        report.append(
            f'{osp.basename(sample.img_path)}: visibility target | '
            'predicted: ' + ', '.join(
                f'{n} {a:.2f} | {b:.2f}'
                for n, a, b in zip(names, v_t, v_p)))
    report.append('held-out losses of these images: ' + ', '.join(
        f'{k} {np.mean(v):.4f}' for k, v in sorted(losses.items())))
    return rows, report


def main(argv=None) -> str:
    """Draw the PNG; returns its path."""
    args = parse_args(argv)
    register_all_modules()
    cfg = Config.fromfile(args.config)
    if 'held_out_dataset' not in cfg:
        raise SystemExit(f'{args.config} has no held_out_dataset (a test set '
                         'whose pipeline renders the PPA targets)')
    dataset = DATASETS.build(cfg.held_out_dataset)
    model = MODELS.build(cfg.model)
    model.init_weights()
    if args.checkpoint != 'none':
        load_checkpoint(model, args.checkpoint, map_location='cpu')
    model.eval()
    rng = np.random.default_rng(args.seed)
    pick = sorted(
        rng.choice(len(dataset), min(args.num, len(dataset)),
                   replace=False))
    rows, report = render_rows(model, dataset, pick, args.size)
    titles = [
        'keypoints', 'K target', 'K pred', 'R target', 'R pred', 'N target',
        'N pred'
    ]
    rows[0] = [put_label(t, s) for t, s in zip(rows[0], titles)]
    grid = make_grid(rows)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    cv2.imwrite(args.out, grid)
    print('\n'.join(report))
    print(f'wrote {args.out} ({len(rows)} images)')
    return args.out


if __name__ == '__main__':
    main()
