# Copyright (c) mmreid contributors. All rights reserved.
"""Find PN-GAN's canonical poses: k-means over a training set's poses.

The poses come from a keypoint cache (``keypoint_file`` of a dataset
config, or ``--root`` + ``--keypoint-file``); the clustering is
:func:`mmreid.structures.pose_clustering.cluster_poses` (body-frame
normalisation, masked k-means with k-means++ init, medoid poses).

Outputs in ``--out-dir`` (default: ``<work_dir>/canonical_poses`` of the
config, ``work_dir`` from the config or ``work_dirs/<config name>``, so the
poses are computed once per dataset and kept with the config that uses
them; ``work_dirs/canonical_poses`` with ``--root``):

- ``canonical_poses.json``: the k poses as keypoints in a ``--size`` canvas
  (``format``, ``canvas_size``, ``keypoints`` k x K x 3) plus their
  normalised form, cluster sizes and the medoid images;
- ``canonical_pose_{i}.png``: each pose rendered as a PN-GAN skeleton image;
- ``canonical_poses.png``: a grid of the k skeletons (cluster sizes in the
  labels) above ``--members`` member images of each cluster with their
  keypoints.

Examples::

    python tools/misc/cluster_poses.py configs/pngan/demo_gan.py
    python tools/misc/cluster_poses.py --root data/market1501 \\
        --keypoint-file keypoints.json --prefix bounding_box_train/
"""
import argparse
import json
import os
import os.path as osp

import cv2
import numpy as np

from mmreid.datasets.keypoint_cache import load_keypoint_cache
from mmreid.datasets.transforms.pose_targets import render_pose_image
from mmreid.structures.pose_clustering import cluster_poses, pose_to_canvas
from mmreid.visualization.pose import draw_keypoints, make_grid, put_label


def parse_args(argv=None):
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', nargs='?', help='an mmreid config')
    parser.add_argument('--root', help='dataset root (instead of a config)')
    parser.add_argument(
        '--keypoint-file',
        help='keypoint cache (relative to the root unless absolute)')
    parser.add_argument(
        '--prefix',
        default='bounding_box_train/',
        help='with --root: only cache entries under this folder '
        '(default: bounding_box_train/; "" for all)')
    parser.add_argument('--k', type=int, default=8, help='number of poses')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--n-init', type=int, default=10)
    parser.add_argument(
        '--min-visible',
        type=int,
        default=6,
        help='leave out poses with fewer visible keypoints (default: 6)')
    parser.add_argument(
        '--representative', choices=['medoid', 'mean'], default='medoid')
    parser.add_argument(
        '--size',
        type=int,
        nargs=2,
        default=[128, 256],
        metavar=('W', 'H'),
        help='canvas of the canonical poses (default: 128 256)')
    parser.add_argument(
        '--members',
        type=int,
        default=3,
        help='member images shown per cluster in the grid (default: 3)')
    parser.add_argument(
        '--out-dir',
        help='default: <work_dir>/canonical_poses of the config '
        '(work_dirs/canonical_poses with --root)')
    parser.add_argument('--cfg-options', nargs='+', default=[])
    return parser.parse_args(argv)


def load_records(args):
    """``(img_paths, keypoints (N, K, 3), format)`` of the training set."""
    if args.root:
        if not args.keypoint_file:
            raise SystemExit('--root needs --keypoint-file')
        path = args.keypoint_file if osp.isabs(
            args.keypoint_file) else osp.join(args.root, args.keypoint_file)
        cache = load_keypoint_cache(path)
        items = sorted((rel, k) for rel, k in cache['keypoints'].items()
                       if rel.startswith(args.prefix))
        if not items:
            raise SystemExit(f'{path}: no entry under {args.prefix!r}')
        return ([osp.join(args.root, rel) for rel, _ in items],
                np.stack([k for _, k in items]), cache['format'])
    if not args.config:
        raise SystemExit('give a config or --root')
    from mmengine.config import DictAction

    from mmreid.datasets.config_datasets import (build_plain_datasets,
                                                 load_config)
    options = None
    if args.cfg_options:
        ns = argparse.Namespace()
        DictAction(option_strings=[], dest='x')(None, ns, args.cfg_options)
        options = ns.x
    dataset, = build_plain_datasets(
        load_config(args.config, options), ['train'], args.keypoint_file)
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    if not infos or infos[0].get('keypoints') is None:
        raise SystemExit(f'{args.config}: the train set has no keypoints; '
                         'pass --keypoint-file')
    return ([d['img_path'] for d in infos],
            np.stack([d['keypoints']
                      for d in infos]), infos[0].get('keypoint_format',
                                                     'coco17'))


def default_out_dir(args) -> str:
    """``<work_dir>/canonical_poses`` of the config (see the module doc)."""
    if not args.config:
        return 'work_dirs/canonical_poses'
    from mmreid.datasets.config_datasets import load_config
    work_dir = load_config(args.config).get('work_dir') or osp.join(
        'work_dirs', osp.splitext(osp.basename(args.config))[0])
    return osp.join(work_dir, 'canonical_poses')


def main(argv=None) -> dict:
    """Cluster, save and draw; returns the clustering result."""
    args = parse_args(argv)
    paths, kpts, fmt = load_records(args)
    res = cluster_poses(
        kpts,
        k=args.k,
        kpt_format=fmt,
        seed=args.seed,
        n_init=args.n_init,
        min_visible=args.min_visible,
        representative=args.representative)
    if args.out_dir is None:
        args.out_dir = default_out_dir(args)
    w, h = args.size
    canvas = np.stack([pose_to_canvas(p, (w, h)) for p in res['poses']])
    os.makedirs(args.out_dir, exist_ok=True)
    out = dict(
        format=fmt,
        k=args.k,
        canvas_size=[w, h],
        keypoints=np.round(canvas, 2).tolist(),
        normalized=np.round(res['poses'], 4).tolist(),
        cluster_sizes=res['sizes'].tolist(),
        medoid_images=[paths[i] for i in res['medoids']],
        representative=args.representative,
        num_poses=len(kpts),
        num_clustered=res['num_valid'],
        seed=args.seed,
        source=args.config or osp.join(args.root, args.keypoint_file))
    with open(osp.join(args.out_dir, 'canonical_poses.json'), 'w') as f:
        json.dump(out, f, indent=1)
    skeletons = []
    for i, pose in enumerate(canvas):
        img = render_pose_image(pose, (w, h), fmt, max(2, w // 32))
        cv2.imwrite(osp.join(args.out_dir, f'canonical_pose_{i}.png'), img)
        skeletons.append(put_label(img, f'#{i} n={res["sizes"][i]}'))
    rows = [skeletons]
    members = []
    labels = res['labels']
    for c in range(args.k):
        idx = np.flatnonzero(labels == c)
        rng = np.random.default_rng(args.seed + c)
        members.append(
            rng.choice(idx, min(args.members, len(idx)), replace=False))
    for j in range(args.members):
        row = []
        for c in range(args.k):
            if j >= len(members[c]):
                row.append(np.full((h, w, 3), 255, np.uint8))
                continue
            i = members[c][j]
            img = cv2.imread(paths[i], cv2.IMREAD_COLOR)
            sx, sy = w / img.shape[1], h / img.shape[0]
            img = cv2.resize(img, (w, h))
            k = kpts[i].copy()
            k[:, 0] = (k[:, 0] + 0.5) * sx - 0.5
            k[:, 1] = (k[:, 1] + 0.5) * sy - 0.5
            row.append(draw_keypoints(img, k, fmt, radius=2))
        rows.append(row)
    grid_path = osp.join(args.out_dir, 'canonical_poses.png')
    cv2.imwrite(grid_path, make_grid(rows))
    print(f'clustered {res["num_valid"]} of {len(kpts)} poses into '
          f'{args.k}: sizes {res["sizes"].tolist()}; wrote {grid_path}')
    return res


if __name__ == '__main__':
    main()
