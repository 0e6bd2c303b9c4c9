# Copyright (c) mmreid contributors. All rights reserved.
"""Browse a dataset config: what its pipeline feeds the model, as a PNG.

One row per sample (``--num`` samples drawn with ``--seed``), captions on
the first row. Modes (as mmpretrain's ``browse_dataset.py``):

- ``transformed`` (default): the image the pipeline packs, then every
  pose target the pipeline computes (``C x H x W`` maps such as
  ``heatmaps`` / ``part_maps`` / ``pose_maps`` blended over the image,
  image-like targets such as ``pose_img``) and the keypoints, if any;
- ``original``: the loaded image, before any other transform;
- ``pipeline``: the image after each transform of the pipeline;
- ``pose-targets``: the pose targets of every pose-guided method drawn
  from the sample's keypoints (keypoints, AACN's heatmaps and part maps,
  PN-GAN's skeleton image, FD-GAN's 18-channel maps, the flipped
  heatmaps: :func:`mmreid.visualization.pose_targets.pose_target_tiles`);
  needs keypoints (``--keypoint-file`` or the config's).

Examples::

    python tools/analysis_tools/browse_dataset.py configs/baseline/demo.py \\
        --mode pipeline --out work_dirs/browse/pipeline.png
    python tools/analysis_tools/browse_dataset.py configs/baseline/demo.py \\
        --mode pose-targets --keypoint-file keypoints_coco17.json \\
        --out work_dirs/browse/pose_targets.png
    # without a config: a root and its keypoint cache
    python tools/analysis_tools/browse_dataset.py --root data/demo \\
        --keypoint-file keypoints_coco17.json --mode pose-targets \\
        --out work_dirs/browse/pose_targets.png
"""
import argparse
import copy
import os
import os.path as osp
from typing import List, Optional, Tuple

import cv2
import numpy as np
from mmengine.config import DictAction

MODES = ('transformed', 'original', 'pipeline', 'pose-targets')
PHASES = {
    'train': ['train_dataloader'],
    'val': ['val_dataloader'],
    'test': ['test_dataloader', 'val_dataloader']
}


def parse_args(argv=None):
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', nargs='?', help='an mmreid config')
    parser.add_argument(
        '--root',
        help='a dataset root with a keypoint cache, instead of a config '
        '(pose-targets mode only)')
    parser.add_argument('--mode', choices=MODES, default='transformed')
    parser.add_argument(
        '--phase',
        choices=sorted(PHASES),
        default='train',
        help='which dataloader of the config (default: train)')
    parser.add_argument(
        '--keypoint-file',
        help='keypoint cache (relative to the data root unless absolute); '
        'overrides the config\'s')
    parser.add_argument('--num', type=int, default=6, help='samples')
    parser.add_argument(
        '--seed',
        type=int,
        default=0,
        help='seed of the sample choice; sample i\'s random transforms are '
        'seeded with seed + i (default: 0)')
    parser.add_argument(
        '--size',
        type=int,
        nargs=2,
        metavar=('W', 'H'),
        help='size of each tile (default: the first packed image\'s; '
        '128 256 in pose-targets mode)')
    parser.add_argument('--out', default='work_dirs/browse_dataset.png')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='key=value overrides of the config')
    return parser.parse_args(argv)


def dataset_and_pipeline(cfg, phase: str,
                         keypoint_file: Optional[str]) -> Tuple:
    """The plain dataset of a dataloader and its pipeline's transforms."""
    from mmengine.registry import DefaultScope

    from mmreid.registry import DATASETS, TRANSFORMS
    for key in PHASES[phase]:
        if cfg.get(key) and cfg[key].get('dataset'):
            ds = copy.deepcopy(cfg[key]['dataset'])
            break
    else:
        raise SystemExit(f'the config has no {" or ".join(PHASES[phase])}'
                         '.dataset')
    while 'dataset' in ds:  # dataset wrappers (pairs, repeats, ...)
        ds = ds['dataset']
    pipeline = ds.pop('pipeline', [])
    ds['pipeline'] = []
    if keypoint_file is not None:
        ds['keypoint_file'] = keypoint_file or None
    scope = cfg.get('default_scope', 'mmreid') or 'mmreid'
    with DefaultScope.overwrite_default_scope(scope):
        dataset = DATASETS.build(ds)
        transforms = [TRANSFORMS.build(t) for t in pipeline]
    return dataset, transforms


def run_pipeline(info: dict, transforms: list) -> List[Tuple[str, dict]]:
    """Apply the transforms up to the packing one; return every step's
    ``(name, results)`` (copies), the packing transform excluded."""
    steps = []
    results = copy.deepcopy(info)
    for t in transforms:
        name = type(t).__name__
        if name.startswith('Pack'):
            break
        results = t(results)
        if results is None:
            raise SystemExit(f'{name} dropped sample {info.get("img_path")}')
        steps.append((name, copy.deepcopy(results)))
    if not steps or 'img' not in steps[-1][1]:
        raise SystemExit('the pipeline loads no image (no LoadReIDImage?)')
    return steps


def target_tiles(results: dict) -> List[Tuple[str, np.ndarray]]:
    """The pose targets of pipeline results, drawn as image tiles."""
    from mmreid.visualization import draw_keypoints, overlay_heatmaps
    img = results['img']
    h, w = img.shape[:2]
    tiles = []
    if results.get('keypoints') is not None:
        tiles.append(('keypoints',
                      draw_keypoints(img, results['keypoints'],
                                     results.get('keypoint_format'))))
    for key, value in results.items():
        if key == 'img' or not isinstance(value, np.ndarray):
            continue
        if value.ndim == 3 and value.dtype == np.uint8 and \
                value.shape[2] == 3:
            tiles.append((key, cv2.resize(value, (w, h))))
        elif value.ndim == 3 and value.dtype.kind == 'f':
            tiles.append((key, overlay_heatmaps(img, value)))
    return tiles


def caption(info: dict) -> str:
    """pid / camera of a sample."""
    cam = info.get('camid')
    return f'pid {info.get("pid")}' + ('' if cam is None else f' c{cam}')


def render(info: dict, transforms: list, mode: str,
           size) -> Tuple[List[str], List[np.ndarray]]:
    """Names and tiles of one sample."""
    from mmreid.visualization.pose_targets import (POSE_TARGET_TITLES,
                                                   pose_target_tiles)
    if mode == 'pose-targets':
        img = cv2.imread(info['img_path'], cv2.IMREAD_COLOR)
        if img is None:
            raise SystemExit(f'cannot read image {info["img_path"]}')
        if info.get('keypoints') is None:
            raise SystemExit(
                f'{info["img_path"]} has no keypoints; pass --keypoint-file '
                '(see tools/misc/extract_keypoints.py)')
        tiles = pose_target_tiles(img, info['keypoints'],
                                  info.get('keypoint_format', 'coco17'),
                                  size or (128, 256))
        return list(POSE_TARGET_TITLES), tiles
    steps = run_pipeline(info, transforms)
    if mode == 'original':
        named = [('loaded ' + caption(info), steps[0][1]['img'])]
    elif mode == 'pipeline':
        named = [(n, r['img']) for n, r in steps if 'img' in r]
    else:
        named = [('packed ' + caption(info), steps[-1][1]['img'])]
        named += target_tiles(steps[-1][1])
    names = [n for n, _ in named]
    return names, [t for _, t in named]


def infos_from_root(root: str, keypoint_file: Optional[str]) -> List[dict]:
    """Samples of a keypoint cache (every image it lists)."""
    from mmreid.datasets.keypoint_cache import load_keypoint_cache
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


def main(argv=None) -> str:
    """Draw the PNG; return its path."""
    from mmengine.runner import set_random_seed

    from mmreid.datasets.config_datasets import load_config
    from mmreid.visualization import make_grid, put_label
    args = parse_args(argv)
    transforms: list = []
    if args.root:
        if args.mode != 'pose-targets':
            raise SystemExit('--root works with --mode pose-targets only')
        infos = infos_from_root(args.root, args.keypoint_file)
        pick_from = len(infos)
    elif args.config:
        cfg = load_config(args.config, args.cfg_options)
        dataset, transforms = dataset_and_pipeline(cfg, args.phase,
                                                   args.keypoint_file)
        pick_from = len(dataset)
    else:
        raise SystemExit('give a config or --root')
    if pick_from == 0:
        raise SystemExit('the dataset is empty')
    rng = np.random.default_rng(args.seed)
    picks = sorted(rng.choice(pick_from, min(args.num, pick_from),
                              replace=False).tolist())
    rows, names, size = [], None, args.size
    for i in picks:
        info = infos[i] if args.root else dataset.get_data_info(i)
        # random transforms draw the same for a sample on every run
        set_random_seed(args.seed + i)
        row_names, tiles = render(info, transforms, args.mode, size)
        size = size or (tiles[0].shape[1], tiles[0].shape[0])
        tiles = [cv2.resize(t, tuple(size)) for t in tiles]
        if names is None:
            names = row_names
            tiles = [put_label(t, s) for t, s in zip(tiles, names)]
        elif 'pid' in info:
            tiles[0] = put_label(tiles[0], caption(info))
        rows.append(tiles)
    grid = make_grid(rows)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    if not cv2.imwrite(args.out, grid):
        raise SystemExit(f'cannot write {args.out}')
    print(f'wrote {args.out} ({len(rows)} samples, mode {args.mode}: '
          f'{", ".join(names)})')
    return args.out


if __name__ == '__main__':
    main()
