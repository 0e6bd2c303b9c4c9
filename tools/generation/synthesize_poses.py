# Copyright (c) mmreid contributors. All rights reserved.
"""PN-GAN's synthesis step: every image of a split in the canonical poses.

    python tools/generation/synthesize_poses.py GAN_CONFIG CHECKPOINT \
        --split {train,test} [--poses canonical_poses.json] [--out-dir DIR]

The generator (a PN-GAN GAN-stage config and its checkpoint) draws every
image of the config's training set (``--split train``: the training data of
ResNet-50-B) or test set (``--split test``: query + gallery, read by
``PoseNormalizedDataset`` at evaluation) in each of the K canonical poses
(``tools/misc/cluster_poses.py``; by default the config's
``canonical_poses`` file), rendered by ``RenderSkeleton`` at the
generator's input size. Images go through the config's ``synth_pipeline``
(deterministic: load, resize, pack).

Written to ``--out-dir`` (default: the config's ``synth_root_train`` /
``synth_root_test``, else ``<work_dir>/synth/<split>``), with a progress
bar. The images are those of the config's ``synth_datasets[split]``
(else its train / test dataloader's dataset):

- ``<image path relative to data_root, no extension>_pose<k>.png`` for
  every image and pose (``synth_image_path``). Images already there are
  kept (the step is a cache: re-running it only makes the missing ones;
  ``--overwrite`` redoes all);
- ``list.txt``: ``<file> <pid> <camid>`` per synthesised image, the
  ``FileListReID`` list of ResNet-50-B's training set (each image keeps its
  source identity);
- ``canonical_poses.png``: the K rendered pose images;
- ``meta.json``: config, checkpoint, poses file, sizes and counts;
- with ``--grid N``: ``grid.png``, N seeded images of the split (one per
  row: the image, then it in each canonical pose, under the pose images);
  ``--grid-only`` writes just the grid (no cache, no list).

CHECKPOINT ``init`` is the model as training starts: built and initialised
under the config's ``randomness.seed``, as ``tools/train.py`` does before
its first iteration (for "start of training" grids).
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import Optional, Sequence

import mmcv
import numpy as np
import torch
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmengine.utils import ProgressBar


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Synthesise every image of a split in the canonical '
        'poses with a PN-GAN generator (cached).')
    parser.add_argument('config', help='PN-GAN GAN-stage config')
    parser.add_argument(
        'checkpoint',
        help="its checkpoint, or 'init' (the model before training)")
    parser.add_argument('--split', choices=['train', 'test'],
                        required=True)
    parser.add_argument('--poses', help='canonical_poses.json (default: the '
                        "config's canonical_poses)")
    parser.add_argument('--out-dir', help='output folder (see the doc)')
    parser.add_argument('--batch-size', type=int, default=8,
                        help='source images per forward (x K generations)')
    parser.add_argument('--overwrite', action='store_true',
                        help='regenerate images already in the cache')
    parser.add_argument('--grid', type=int, default=0, metavar='N',
                        help='also write grid.png of N seeded images')
    parser.add_argument('--grid-only', action='store_true',
                        help='write only the grid (needs --grid)')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the grid images')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args(argv)
    if args.batch_size < 1:
        parser.error('--batch-size must be >= 1')
    if args.grid_only and args.grid < 1:
        parser.error('--grid-only needs --grid N')
    return args


def default_out_dir(cfg: Config, config_path: str, split: str) -> str:
    """The config's ``synth_root_<split>``, else ``<work_dir>/synth/..``."""
    key = f'synth_root_{split}'
    if cfg.get(key):
        return cfg[key]
    work_dir = cfg.get('work_dir') or osp.join(
        'work_dirs', osp.splitext(osp.basename(config_path))[0])
    return osp.join(work_dir, 'synth', split)


def build_model(cfg: Config, checkpoint: str, device: str):
    """The PN-GAN model of the config, loaded strictly (or initialised as
    training starts for ``'init'``), in eval mode."""
    from mmengine.runner import set_random_seed

    from mmreid.registry import MODELS
    if checkpoint == 'init':
        set_random_seed(cfg.get('randomness', {}).get('seed', 0))
    model = MODELS.build(cfg.model)
    if not hasattr(model, 'synthesize'):
        sys.exit(f'synthesize_poses.py: {type(model).__name__} has no '
                 'synthesize(); use a PN-GAN GAN-stage config')
    if checkpoint == 'init':
        model.init_weights()
    else:
        if '://' not in checkpoint and not osp.isfile(checkpoint):
            sys.exit('synthesize_poses.py: checkpoint not found: '
                     f'{checkpoint}')
        load_checkpoint(model, checkpoint, map_location='cpu', strict=True)
    return model.to(device).eval()


def normalised_poses(model, pose_imgs: np.ndarray) -> torch.Tensor:
    """K x H x W x 3 BGR pose images -> K x 3 x H x W, normalised."""
    pre = model.data_preprocessor
    device = next(model.parameters()).device
    return pre(
        dict(inputs=[torch.from_numpy(p).permute(2, 0, 1) for p in pose_imgs]),
        False)['inputs'].to(device)


def draw_grid(model, dataset, pose_imgs: np.ndarray, num: int,
              seed: int = 0) -> np.ndarray:
    """``num`` seeded images of ``dataset`` and their synthesised versions.

    Returns:
        np.ndarray: BGR grid: a first row of the pose images (after a blank
        tile), then one row per image: the image, then it in each pose.
    """
    from mmreid.visualization.pose import make_grid
    pre = model.data_preprocessor
    rng = np.random.default_rng(seed)
    pids = np.array([dataset.get_data_info(i)['pid']
                     for i in range(len(dataset))])
    persons = np.flatnonzero(pids > 0)
    pick = persons[rng.permutation(len(persons))[:num]]
    poses = normalised_poses(model, pose_imgs)
    x = pre(dict(inputs=[dataset[int(i)]['inputs'] for i in pick]),
            False)['inputs'].to(poses.device)
    with torch.no_grad():
        out = pre.destruct(model.synthesize(x, poses)).cpu().numpy()
    src = pre.destruct(x).cpu().numpy()
    blank = np.full_like(pose_imgs[0], 255)
    rows = [[blank] + list(pose_imgs)]
    for j in range(len(pick)):
        rows.append([src[j][..., ::-1]] +
                    [out[j, p][..., ::-1] for p in range(len(pose_imgs))])
    return make_grid([[np.ascontiguousarray(t) for t in r] for r in rows])


def synthesize(model, dataset, pose_imgs: np.ndarray, out_dir: str,
               batch_size: int = 8, overwrite: bool = False) -> dict:
    """Write every image of ``dataset`` in every pose of ``pose_imgs``.

    Args:
        model (PNGAN): The GAN (eval mode).
        dataset (BaseReIDDataset): Images with a deterministic pipeline
            ending in ``PackReIDInputs``.
        pose_imgs (np.ndarray): K x H x W x 3 uint8 BGR pose images (the
            pipeline's image size).
        out_dir (str): The cache folder.
        batch_size (int): Source images per forward. Defaults to 8.
        overwrite (bool): Regenerate cached images. Defaults to False.

    Returns:
        dict: ``num_images``, ``num_poses``, ``generated`` (images written
        now), ``cached`` (kept) and ``list`` (the list file).
    """
    from mmreid.datasets import synth_image_path
    pre = model.data_preprocessor
    device = next(model.parameters()).device
    k = len(pose_imgs)
    poses = normalised_poses(model, pose_imgs)
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    paths = [[
        synth_image_path(d['img_path'], dataset.data_root, out_dir, p)
        for p in range(k)
    ] for d in infos]
    todo = [
        i for i in range(len(dataset))
        if overwrite or not all(osp.isfile(p) for p in paths[i])
    ]
    bar = ProgressBar(len(todo)) if todo else None
    with torch.no_grad():
        for s in range(0, len(todo), batch_size):
            chunk = todo[s:s + batch_size]
            items = [dataset[i]['inputs'] for i in chunk]
            if tuple(items[0].shape[-2:]) != pose_imgs.shape[1:3]:
                raise ValueError(
                    f'synthesize_poses: images of {tuple(items[0].shape)} '
                    f'but pose images of {pose_imgs.shape[1:3]}; render the '
                    "poses at synth_pipeline's size")
            x = pre(dict(inputs=items), False)['inputs'].to(device)
            out = pre.destruct(model.synthesize(x, poses)).cpu().numpy()
            for j, i in enumerate(chunk):
                for p in range(k):
                    os.makedirs(osp.dirname(paths[i][p]), exist_ok=True)
                    mmcv.imwrite(np.ascontiguousarray(out[j, p][..., ::-1]),
                                 paths[i][p])
                bar.update()
    if bar is not None:
        print()
    list_path = osp.join(out_dir, 'list.txt')
    os.makedirs(out_dir, exist_ok=True)
    with open(list_path, 'w') as f:
        f.write('# <synthesised image> <source pid> <camid>\n')
        for d, ps in zip(infos, paths):
            for p in ps:
                f.write(f'{osp.relpath(p, out_dir)} {int(d["pid"])} '
                        f'{int(d.get("camid", 0))}\n')
    return dict(num_images=len(dataset), num_poses=k,
                generated=len(todo), cached=len(dataset) - len(todo),
                list=list_path)


def main(argv: Optional[Sequence[str]] = None) -> dict:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmreid'))
    from mmreid.datasets import render_canonical_poses
    from mmreid.datasets.config_datasets import build_plain_datasets
    from mmreid.utils import register_all_modules
    from mmreid.visualization.pose import make_grid
    register_all_modules(init_default_scope=False)
    poses_file = args.poses or cfg.get('canonical_poses')
    if not poses_file:
        sys.exit('synthesize_poses.py: give --poses or set canonical_poses '
                 'in the config')
    pipeline = cfg.get('synth_pipeline')
    if not pipeline:
        sys.exit('synthesize_poses.py: the config has no synth_pipeline '
                 '(load, resize to the GAN size, pack)')
    size = cfg.get('gan_input_size')
    render_cfg = cfg.get('skeleton_cfg', {})
    if cfg.get('synth_datasets'):
        from mmreid.registry import DATASETS
        dataset = DATASETS.build(
            dict(cfg.synth_datasets[args.split], pipeline=pipeline))
    else:
        dataset, = build_plain_datasets(cfg, [args.split],
                                        pipeline=pipeline)
    pose_imgs = render_canonical_poses(poses_file, size, **render_cfg)
    model = build_model(cfg, args.checkpoint, args.device)
    out_dir = args.out_dir or default_out_dir(cfg, args.config, args.split)
    os.makedirs(out_dir, exist_ok=True)
    mmcv.imwrite(make_grid([list(pose_imgs)]),
                 osp.join(out_dir, 'canonical_poses.png'))
    if args.grid:
        grid = osp.join(out_dir, 'grid.png')
        mmcv.imwrite(draw_grid(model, dataset, pose_imgs, args.grid,
                               args.seed), grid)
        print(f'grid of {args.grid} images x {len(pose_imgs)} poses: {grid}')
        if args.grid_only:
            return dict(grid=grid)
    res = synthesize(model, dataset, pose_imgs, out_dir, args.batch_size,
                     args.overwrite)
    meta = dict(config=args.config, checkpoint=args.checkpoint,
                split=args.split, poses=poses_file, image_size=list(size),
                **res)
    with open(osp.join(out_dir, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    print(f'{res["num_images"]} images x {res["num_poses"]} poses in '
          f'{out_dir}: {res["generated"]} synthesised now, {res["cached"]} '
          f'cached; list {res["list"]}')
    return meta


if __name__ == '__main__':
    main()
