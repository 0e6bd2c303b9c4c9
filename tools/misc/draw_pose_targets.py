# Copyright (c) mmreid contributors. All rights reserved.
"""Draw the pose targets of a few images of a dataset into one PNG.

Each row is one image, resized to ``--size``; the columns are what the
pose-guided pipelines feed their models:

1. the image with its keypoints;
2. COCO-17 Gaussian keypoint heatmaps (``KeypointsToHeatmaps``, AACN);
3. AACN's rigid part maps (``PartMaps``: head, upper / lower torso);
4. AACN's non-rigid part maps (limb bands) with part visibility;
5. PN-GAN's skeleton image (``RenderSkeleton``, OpenPose-18 on black);
6. FD-GAN's 18-channel pose heatmaps (sigma 5 px, full size);
7. the flipped image with its flipped heatmaps (left/right swapped).

Examples::

    # from a dataset config (its train set, keypoints from its cache)
    python tools/misc/draw_pose_targets.py configs/baseline/demo.py \\
        --keypoint-file keypoints_coco17.json --out work_dirs/targets.png
    # from a root and a keypoint cache
    python tools/misc/draw_pose_targets.py --root data/demo \\
        --keypoint-file keypoints_coco17.json --out work_dirs/targets.png
"""
import argparse
import copy
import os
import os.path as osp
from typing import List

import cv2
import numpy as np

from mmreid.datasets.keypoint_cache import load_keypoint_cache
from mmreid.datasets.transforms.geometric import ReIDRandomFlip, ReIDResize
from mmreid.datasets.transforms.pose_targets import (KeypointsToHeatmaps,
                                                     PartMaps, RenderSkeleton)
from mmreid.visualization.pose import (colorize_maps, draw_keypoints,
                                       make_grid, overlay_heatmaps, put_label)


def parse_args(argv=None):
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', nargs='?', help='an mmreid config')
    parser.add_argument('--root', help='dataset root (instead of a config)')
    parser.add_argument(
        '--keypoint-file',
        help='keypoint cache (relative to the root unless absolute); '
        'overrides the config\'s')
    parser.add_argument(
        '--split',
        choices=['train', 'test'],
        default='train',
        help='which set of the config (default: train)')
    parser.add_argument('--num', type=int, default=6, help='images to draw')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--size',
        type=int,
        nargs=2,
        default=[128, 256],
        metavar=('W', 'H'),
        help='size of each tile (default: 128 256)')
    parser.add_argument('--out', default='work_dirs/pose_targets.png')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        default=[],
        help='key=value overrides of the config')
    return parser.parse_args(argv)


def records_from_config(config: str, split: str, keypoint_file: str,
                        cfg_options: List[str]) -> List[dict]:
    """Data infos (with keypoints) of a config's train or test dataset."""
    from mmengine.config import DictAction

    from mmreid.datasets.config_datasets import (build_plain_datasets,
                                                 load_config)
    options = None
    if cfg_options:
        ns = argparse.Namespace()
        DictAction(option_strings=[], dest='x')(None, ns, cfg_options)
        options = ns.x
    cfg = load_config(config, options)
    dataset, = build_plain_datasets(cfg, [split], keypoint_file or None)
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    if not infos or infos[0].get('keypoints') is None:
        raise SystemExit(
            f'{config}: the {split} dataset has no keypoints; pass '
            '--keypoint-file (see tools/misc/extract_keypoints.py)')
    return infos


def records_from_root(root: str, keypoint_file: str) -> List[dict]:
    """Data infos of every image of a keypoint cache."""
    if not keypoint_file:
        raise SystemExit('--root needs --keypoint-file')
    path = keypoint_file if osp.isabs(keypoint_file) else osp.join(
        root, keypoint_file)
    cache = load_keypoint_cache(path)
    return [
        dict(
            img_path=osp.join(root, rel),
            keypoints=k,
            keypoint_format=cache['format'])
        for rel, k in sorted(cache['keypoints'].items())
    ]


def render_row(info: dict, size) -> List[np.ndarray]:
    """The tiles of one image (see the module doc)."""
    img = cv2.imread(info['img_path'], cv2.IMREAD_COLOR)
    if img is None:
        raise SystemExit(f'cannot read image {info["img_path"]}')
    res = dict(
        img=img,
        img_shape=img.shape[:2],
        img_path=info['img_path'],
        keypoints=np.asarray(info['keypoints'], np.float32),
        keypoint_format=info.get('keypoint_format', 'coco17'))
    res = ReIDResize(scale=tuple(size))(res)
    w, h = size
    hm = KeypointsToHeatmaps(sigma=2, stride=4, target_format='coco17')
    parts = PartMaps(stride=4)
    res = hm(res)
    res = parts(res)
    res = RenderSkeleton(stick_width=max(2, w // 32))(res)
    res = KeypointsToHeatmaps(
        sigma=5, target_format='openpose18', out_key='pose_maps')(
            res)
    nrig = len(parts.rigid_parts)
    vis = res['part_visibility']
    limb_tile = overlay_heatmaps(res['img'], res['part_maps'][nrig:])
    lines = [
        ''.join(s[0] for s in name.split('_')).upper() + f' {v:.1f}'
        for name, v in zip(parts.part_names[nrig:], vis[nrig:])
    ]
    for i, line in enumerate(lines):
        cv2.putText(limb_tile, line, (2, h - 3 - (len(lines) - 1 - i) * 9),
                    cv2.FONT_HERSHEY_PLAIN, 0.6, (255, 255, 255), 1)
    flipped = ReIDRandomFlip(prob=1.)(
        copy.deepcopy(
            dict(
                img=res['img'],
                img_shape=res['img_shape'],
                keypoints=res['keypoints'],
                keypoint_format=res['keypoint_format'])))
    flipped = hm(flipped)
    return [
        draw_keypoints(
            res['img'],
            res['keypoints'],
            res['keypoint_format'],
            radius=max(2, w // 48)),
        overlay_heatmaps(res['img'], res['heatmaps']),
        overlay_heatmaps(res['img'], res['part_maps'][:nrig]),
        limb_tile,
        res['pose_img'],
        colorize_maps(res['pose_maps']),
        overlay_heatmaps(flipped['img'], flipped['heatmaps']),
    ]


def main(argv=None) -> str:
    """Draw the PNG; returns its path."""
    args = parse_args(argv)
    if args.root:
        infos = records_from_root(args.root, args.keypoint_file)
    elif args.config:
        infos = records_from_config(args.config, args.split,
                                    args.keypoint_file, args.cfg_options)
    else:
        raise SystemExit('give a config or --root')
    rng = np.random.default_rng(args.seed)
    pick = rng.choice(len(infos), min(args.num, len(infos)), replace=False)
    rows = [render_row(infos[i], args.size) for i in sorted(pick)]
    titles = [
        'keypoints', 'heatmaps', 'rigid parts', 'limbs + vis', 'skeleton',
        'FD-GAN 18ch', 'flip+heatmaps'
    ]
    rows[0] = [put_label(t, s) for t, s in zip(rows[0], titles)]
    grid = make_grid(rows)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    cv2.imwrite(args.out, grid)
    print(f'wrote {args.out} ({len(rows)} images x {len(titles)} targets)')
    return args.out


if __name__ == '__main__':
    main()
