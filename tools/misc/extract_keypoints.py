# Copyright (c) mmreid contributors. All rights reserved.
"""Run an MMPose estimator over a dataset and write its keypoint cache.

Every image of the config's datasets (train, query and gallery; junk images
are not part of the datasets) is resized to ``--crop-size``, passed through
:class:`mmreid.models.pose.MMPoseEstimator` in batches, and its COCO-17
keypoints are mapped back to original pixels. The result is a keypoint
cache (``docs/en/dataset_preparation.md``;
``mmreid.datasets.save_keypoint_cache``),
recording the estimator's config, checkpoint and keypoint format; datasets
load it with ``keypoint_file=``.

- **Scores**: keypoints whose score (heatmap maximum) is below
  ``--score-thr``, or that fall outside the image (the estimator sees some
  context around it), are written with score 0 ("missing"), coordinates
  kept (the convention of ``mmreid.datasets.transforms.geometric``).
- **Resume**: results are flushed every ``--save-every`` images to
  ``<out>.partial.json``; a re-run with the same estimator continues from
  it (``--restart`` discards it). ``--max-images`` stops after that many
  new images (time-boxed jobs), leaving the partial file.
- ``--show N`` draws the skeletons of the first N images into
  ``--show-dir``.

Examples::

    # COCO-trained HRNet-W32 (downloads the MMPose checkpoint)
    python tools/misc/extract_keypoints.py configs/baseline/market.py \\
        --out data/market1501/keypoints_hrnet-w32.json --batch-size 32
    # random weights, for a dry run without internet
    python tools/misc/extract_keypoints.py configs/baseline/demo.py \\
        --checkpoint none --out work_dirs/kpts.json --show 16
"""
import argparse
import json
import os
import os.path as osp
import sys
import time
from typing import Dict, List, Tuple

import cv2
import numpy as np
import torch

from mmreid.datasets.config_datasets import (build_plain_datasets, load_config)
from mmreid.datasets.keypoint_cache import save_keypoint_cache
from mmreid.models.pose.mmpose_estimator import (HRNET_W32_COCO_CHECKPOINT,
                                                 HRNET_W32_COCO_CONFIG,
                                                 MMPoseEstimator)
from mmreid.visualization.pose import draw_keypoints

MEAN = np.array([123.675, 116.28, 103.53], np.float32)
STD = np.array([58.395, 57.12, 57.375], np.float32)


def parse_args(argv=None):
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='an mmreid config (its datasets)')
    parser.add_argument(
        '--out',
        help='the cache file (default: <data_root>/keypoints_<pose config '
        'name>.json)')
    parser.add_argument(
        '--pose-config',
        default=HRNET_W32_COCO_CONFIG,
        help='MMPose config (mmpose::... or a path); default HRNet-W32 '
        'COCO 256x192')
    parser.add_argument(
        '--checkpoint',
        default=None,
        help='weights: URL or path, "auto" (MMPose metafile), "none" '
        '(random init); default: the HRNet-W32 COCO URL for the default '
        'config, else "auto"')
    parser.add_argument(
        '--splits',
        nargs='+',
        default=['train', 'test'],
        choices=['train', 'test'],
        help='datasets of the config to cover')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--num-workers', type=int, default=2)
    parser.add_argument(
        '--crop-size',
        type=int,
        nargs=2,
        default=[128, 256],
        metavar=('W', 'H'),
        help='images are resized to this (default: '
        '128 256)')
    parser.add_argument(
        '--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--score-thr', type=float, default=0.3)
    parser.add_argument(
        '--seed', type=int, default=0, help='seed of a random initialisation')
    parser.add_argument('--flip-test', action='store_true')
    parser.add_argument('--save-every', type=int, default=500)
    parser.add_argument(
        '--max-images',
        type=int,
        default=None,
        help='stop after this many new images (partial file kept)')
    parser.add_argument(
        '--restart',
        action='store_true',
        help='ignore an existing partial file')
    parser.add_argument(
        '--show',
        type=int,
        default=0,
        help='draw the keypoints of this many images')
    parser.add_argument('--show-dir', default=None)
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        default=[],
        help='key=value overrides of the mmreid config')
    return parser.parse_args(argv)


def collect_images(cfg, splits) -> Tuple[str, List[Tuple[str, str]]]:
    """``(data_root, [(relative path, absolute path), ...])`` of a config."""
    roots, items = set(), {}
    for ds in build_plain_datasets(cfg, splits, keypoint_file=''):
        root = osp.abspath(ds.data_root)
        roots.add(root)
        for i in range(len(ds)):
            path = ds.get_data_info(i)['img_path']
            rel = osp.relpath(path, root).replace(osp.sep, '/')
            items[rel] = path
    if len(roots) != 1:
        raise SystemExit(f'the datasets have different data_root {roots}; '
                         'one keypoint cache needs one root (use --splits)')
    return roots.pop(), sorted(items.items())


class _Images(torch.utils.data.Dataset):
    """Reads, resizes and normalises images for the estimator."""

    def __init__(self, items, crop_size):
        self.items, self.crop_size = items, tuple(crop_size)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        rel, path = self.items[i]
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            raise RuntimeError(f'cannot read image {path}')
        h, w = img.shape[:2]
        x = cv2.resize(img, self.crop_size, interpolation=cv2.INTER_LINEAR)
        x = (x[..., ::-1].astype(np.float32) - MEAN) / STD  # RGB
        return torch.from_numpy(x.transpose(2, 0, 1).copy()), rel, (h, w)


def _collate(batch):
    x = torch.stack([b[0] for b in batch])
    return x, [b[1] for b in batch], [b[2] for b in batch]


def _write_json(path: str, payload: dict) -> None:
    """Atomic JSON write."""
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(payload, f)
    os.replace(tmp, path)


def load_partial(path: str, estimator: dict, restart: bool) -> Dict:
    """Keypoints already extracted by an interrupted run."""
    if restart or not osp.isfile(path):
        return {}
    with open(path) as f:
        payload = json.load(f)
    if payload.get('estimator') != estimator:
        raise SystemExit(
            f'{path} was written by another estimator setting '
            f'({payload.get("estimator")}); pass --restart to discard it')
    done = {
        k: np.asarray(v, np.float32)
        for k, v in payload['keypoints'].items()
    }
    print(f'resuming from {path}: {len(done)} images done')
    return done


def main(argv=None) -> dict:
    """Extract; returns a summary (paths, counts, seconds per image)."""
    args = parse_args(argv)
    options = None
    if args.cfg_options:
        from mmengine.config import DictAction
        ns = argparse.Namespace()
        DictAction(option_strings=[], dest='x')(None, ns, args.cfg_options)
        options = ns.x
    cfg = load_config(args.config, options)
    data_root, items = collect_images(cfg, args.splits)

    checkpoint = args.checkpoint
    if checkpoint is None:
        checkpoint = HRNET_W32_COCO_CHECKPOINT if (
            args.pose_config == HRNET_W32_COCO_CONFIG) else 'auto'
    if checkpoint.lower() == 'none':
        checkpoint = None
    t_build = time.time()
    torch.manual_seed(args.seed)
    model = MMPoseEstimator(
        config=args.pose_config,
        checkpoint=checkpoint,
        freeze=True,
        flip_test=args.flip_test)
    model.init_weights()
    model.to(args.device).eval()
    t_build = time.time() - t_build
    estimator = dict(
        config=args.pose_config,
        checkpoint=model.checkpoint,
        input_size=list(model.input_size),
        crop_size=list(args.crop_size),
        bbox_padding=model.bbox_padding,
        flip_test=args.flip_test,
        score_thr=args.score_thr)

    name = osp.splitext(osp.basename(args.pose_config.split('::')[-1]))[0]
    out = args.out or osp.join(data_root, f'keypoints_{name}.json')
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    partial = out + '.partial.json'
    done = load_partial(partial, estimator, args.restart)
    todo = [it for it in items if it[0] not in done]
    if args.max_images is not None:
        todo = todo[:args.max_images]
    print(f'{len(items)} images under {data_root}: {len(done)} done, '
          f'{len(todo)} to do (estimator {args.pose_config}, checkpoint '
          f'{model.checkpoint}, input {model.input_size}, {args.device})')

    def flush():
        _write_json(
            partial,
            dict(
                estimator=estimator,
                format='coco17',
                keypoints={
                    k: np.round(v, 3).tolist()
                    for k, v in done.items()
                }))

    loader = torch.utils.data.DataLoader(
        _Images(todo, args.crop_size),
        batch_size=args.batch_size,
        num_workers=args.num_workers,
        collate_fn=_collate)
    from mmengine.utils import ProgressBar
    bar = ProgressBar(len(todo)) if todo else None
    t_model = 0.
    t0 = time.time()
    since_flush = 0
    cw, ch = args.crop_size
    for x, rels, sizes in loader:
        tm = time.time()
        with torch.no_grad():
            kpts = model(x.to(args.device))['keypoints'].cpu().numpy()
        t_model += time.time() - tm
        for rel, (h, w), k in zip(rels, sizes, kpts):
            k = k.astype(np.float32)
            k[:, 0] = (k[:, 0] + 0.5) * (w / cw) - 0.5
            k[:, 1] = (k[:, 1] + 0.5) * (h / ch) - 0.5
            k[k[:, 2] < args.score_thr, 2] = 0
            # predicted in the context around the image: not visible
            out_x = (k[:, 0] < -0.5) | (k[:, 0] > w - 0.5)
            out_y = (k[:, 1] < -0.5) | (k[:, 1] > h - 0.5)
            k[out_x | out_y, 2] = 0
            done[rel] = k
            bar.update()
        since_flush += len(rels)
        if since_flush >= args.save_every:
            flush()
            since_flush = 0
    seconds = time.time() - t0
    if todo:
        sys.stdout.write('\n')
    summary = dict(
        out=out,
        num_images=len(items),
        num_new=len(todo),
        seconds=round(seconds, 3),
        seconds_per_image=round(seconds / max(len(todo), 1), 4),
        model_seconds_per_image=round(t_model / max(len(todo), 1), 4),
        build_seconds=round(t_build, 3),
        complete=len(done) == len(items))
    if len(done) < len(items):
        flush()
        summary['partial'] = partial
        print(f'stopped with {len(done)}/{len(items)} images; re-run to '
              f'continue from {partial}')
    else:
        save_keypoint_cache(
            out, {
                rel: done[rel]
                for rel, _ in items
            },
            'coco17',
            estimator=estimator)
        if osp.isfile(partial):
            os.remove(partial)
        print(f'wrote {out}: {len(items)} images')
    print(f'{len(todo)} images in {seconds:.1f} s: '
          f'{summary["seconds_per_image"]:.3f} s/image '
          f'({summary["model_seconds_per_image"]:.3f} s/image in the '
          f'estimator, {args.device}, batch {args.batch_size})')
    if args.show:
        show_dir = args.show_dir or osp.join(
            osp.dirname(osp.abspath(out)), 'keypoint_vis')
        os.makedirs(show_dir, exist_ok=True)
        for rel, path in items[:args.show]:
            if rel not in done:
                continue
            img = cv2.imread(path)
            img = cv2.resize(img, (img.shape[1] * 2, img.shape[0] * 2))
            k = done[rel].copy()
            k[:, :2] = (k[:, :2] + 0.5) * 2 - 0.5
            cv2.imwrite(
                osp.join(show_dir,
                         rel.replace('/', '__') + '.png'),
                draw_keypoints(img, k, 'coco17'))
        summary['show_dir'] = show_dir
        print(f'drew {min(args.show, len(items))} images into {show_dir}')
    return summary


if __name__ == '__main__':
    main()
