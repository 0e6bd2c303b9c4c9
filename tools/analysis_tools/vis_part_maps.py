# Copyright (c) mmreid contributors. All rights reserved.
"""Overlay a part-aligned model's part maps on its input images (a PNG).

DPL: the K learned part maps of its ``PartMapHead``; PABR: the pose
estimator's keypoint heatmaps over the crop and the strongest channels of
its ``PosePartStream`` (:func:`mmreid.visualization.model_part_maps`).
One row per image (``--num`` images of the test set, or ``--split
train``): the input, then each map over it and all maps together.

Examples::

    python tools/analysis_tools/vis_part_maps.py configs/dpl/demo.py \\
        work_dirs/dpl_demo/iter_150.pth --out work_dirs/dpl_parts.png
    # without a checkpoint: the model as its init_cfg leaves it (warns)
    python tools/analysis_tools/vis_part_maps.py configs/pabr/demo.py \\
        --out work_dirs/pabr_untrained.png
"""
import argparse
import os
import os.path as osp
import warnings

import cv2
import numpy as np
import torch
from mmengine.config import DictAction


def parse_args(argv=None):
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='a DPL or PABR config')
    parser.add_argument('checkpoint', nargs='?', help='checkpoint file')
    parser.add_argument(
        '--split', choices=['train', 'test'], default='test')
    parser.add_argument('--num', type=int, default=6, help='images')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--scale',
        type=float,
        default=2.,
        help='enlarge the tiles by this factor (default: 2)')
    parser.add_argument(
        '--channels',
        type=int,
        default=8,
        help='PABR: part-stream channels shown (default: 8)')
    parser.add_argument('--out', default='work_dirs/part_maps.png')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='key=value overrides of the config')
    return parser.parse_args(argv)


def build_model(cfg, checkpoint, device):
    """The config's model, with a checkpoint or (warning) without."""
    from mmengine.registry import DefaultScope
    from mmengine.runner import load_checkpoint
    from mmengine.utils import import_modules_from_strings

    from mmreid.models.utils import fill_train_set_markers
    from mmreid.registry import MODELS
    if cfg.get('custom_imports'):
        import_modules_from_strings(**cfg.custom_imports)
    model_cfg = cfg.model.to_dict()
    # values from the training set (e.g. num_classes): not needed to draw
    fill_train_set_markers(model_cfg, None)
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope',
                                                      'mmreid')):
        model = MODELS.build(model_cfg)
    if checkpoint:
        load_checkpoint(model, checkpoint, map_location='cpu', strict=True)
    else:
        warnings.warn(
            'vis_part_maps: no checkpoint given; the maps are those of the '
            'model as its init_cfg leaves it (untrained layers are random)')
        model.init_weights()
    return model.to(device).eval()


def main(argv=None) -> str:
    """Draw the PNG; return its path."""
    from mmengine.dataset import pseudo_collate
    from mmengine.registry import DefaultScope

    from mmreid.datasets.config_datasets import load_config
    from mmreid.registry import DATASETS
    from mmreid.visualization import draw_part_maps, model_part_maps
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    model = build_model(cfg, args.checkpoint, args.device)
    key = 'train_dataloader' if args.split == 'train' else 'test_dataloader'
    ds_cfg = cfg[key]['dataset'].to_dict()
    while 'dataset' in ds_cfg:
        ds_cfg = ds_cfg['dataset']
    if args.split == 'train':  # no augmentation: the test pipeline
        ds_cfg['pipeline'] = cfg.test_dataloader.dataset.pipeline
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope',
                                                      'mmreid')):
        dataset = DATASETS.build(ds_cfg)
    rng = np.random.default_rng(args.seed)
    picks = sorted(
        rng.choice(len(dataset), min(args.num, len(dataset)),
                   replace=False).tolist())
    data = pseudo_collate([dataset[i] for i in picks])
    images = [
        np.ascontiguousarray(x.permute(1, 2, 0).numpy())
        for x in data['inputs']
    ]
    with torch.no_grad():
        inputs = model.data_preprocessor(data, False)['inputs']
        maps = model_part_maps(model, inputs, num_channels=args.channels)
    if args.scale != 1:
        h, w = images[0].shape[:2]
        size = (round(w * args.scale), round(h * args.scale))
        images = [
            cv2.resize(im, size, interpolation=cv2.INTER_LINEAR)
            for im in images
        ]
    grid = draw_part_maps(images, maps)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    if not cv2.imwrite(args.out, grid):
        raise SystemExit(f'cannot write {args.out}')
    shapes = ', '.join(f'{k} {tuple(v.shape[1:])}' for k, v in maps.items())
    print(f'wrote {args.out} ({len(images)} images; maps: {shapes})')
    return args.out


if __name__ == '__main__':
    main()
