# Copyright (c) mmreid contributors. All rights reserved.
"""Mine hard negative pairs for IDLA's second training stage.

Scores negative pairs of the training set of CONFIG with the model of
CKPT (the trunk runs once per image on the test pipeline, without
augmentation; the pair head runs over the candidate pairs in batches) and
writes the highest-scoring ones, i.e. those the model finds most alike,
to a JSON file that ``PairDataset(hard_negatives=...)`` reads::

    python tools/misc/mine_hard_negatives.py configs/idla/demo.py \\
        work_dirs/idla_demo/iter_168.pth \\
        --out work_dirs/idla_demo/hard_negatives.json

By default every negative pair (both orders) is a candidate; with
``--num-candidates N`` a seeded random sample of N distinct negative pairs
is scored instead (the number of negatives grows as the square of the
number of images). ``--keep`` defaults to ``neg_per_pos`` x the number of
positive pairs, the negatives one epoch needs.
"""
import argparse
import json
import os
import os.path as osp
import time

import numpy as np
import torch
from mmengine.config import Config, DictAction
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint


def parse_args():
    parser = argparse.ArgumentParser(
        description='Mine hard negative pairs with a trained pair model')
    parser.add_argument('config', help='the stage-1 training config')
    parser.add_argument('checkpoint', help='the stage-1 checkpoint')
    parser.add_argument('--out', required=True, help='output JSON file')
    parser.add_argument(
        '--num-candidates',
        type=int,
        default=None,
        help='score a random sample of this many negative pairs (default: '
        'all of them)')
    parser.add_argument(
        '--keep', type=int, default=None, help='hard negatives to keep')
    parser.add_argument('--batch-size', type=int, default=64,
                        help='images per trunk batch')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config (xxx=yyy)')
    return parser.parse_args()


def negative_candidates(pids: np.ndarray, num: int,
                        rng: np.random.Generator) -> np.ndarray:
    """Ordered negative pairs (i, j): all, or ``num`` distinct random ones.

    Args:
        pids (np.ndarray): The identity of each image.
        num (int | None): How many; None (or more than exist) for all.
        rng (np.random.Generator): The generator.

    Returns:
        np.ndarray: K x 2 index pairs.
    """
    n = len(pids)
    total = int((pids[:, None] != pids[None]).sum())
    if num is None or num >= total:
        i, j = np.nonzero(pids[:, None] != pids[None])
        return np.stack([i, j], 1)
    codes = set()
    while len(codes) < num:
        i = rng.integers(0, n, 2 * (num - len(codes)))
        j = rng.integers(0, n, len(i))
        keep = pids[i] != pids[j]
        codes.update((i[keep] * n + j[keep]).tolist())
    codes = rng.permutation(np.asarray(sorted(codes), dtype=np.int64))[:num]
    return np.stack([codes // n, codes % n], 1)


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmreid'))
    from mmreid.registry import DATASETS, MODELS

    pair_cfg = cfg.train_dataloader.dataset.copy()
    if pair_cfg.get('type') != 'PairDataset':
        raise SystemExit('mine_hard_negatives: the config\'s training set '
                         f'is {pair_cfg.get("type")!r}, not a PairDataset')
    image_cfg = pair_cfg.dataset.copy()
    # No augmentation: the images as the model sees them at test time.
    image_cfg.pipeline = cfg.test_dataloader.dataset.pipeline
    pair_cfg.dataset = image_cfg
    pair_cfg.hard_negatives = None
    pairs = DATASETS.build(pair_cfg)
    images = pairs.dataset

    model = MODELS.build(cfg.model)
    load_checkpoint(model, args.checkpoint, map_location='cpu')
    model.eval()

    t0 = time.time()
    feats = []
    with torch.no_grad():
        for s in range(0, len(images), args.batch_size):
            batch = pseudo_collate([
                images[i]
                for i in range(s, min(s + args.batch_size, len(images)))
            ])
            data = model.data_preprocessor(batch, False)
            feats.append(model.extract_feat(data['inputs']))
    feats = torch.cat(feats)
    t_trunk = time.time() - t0

    rng = np.random.default_rng(args.seed)
    cand = negative_candidates(pairs.pids, args.num_candidates, rng)
    t0 = time.time()
    with torch.no_grad():
        idx = torch.from_numpy(cand)
        scores = model.score_pairs(feats[idx[:, 0]], feats[idx[:, 1]])
    t_head = time.time() - t0
    keep = args.keep if args.keep is not None else pairs.num_negatives
    order = torch.argsort(scores, descending=True)[:keep]
    out = dict(
        config=args.config,
        checkpoint=args.checkpoint,
        num_images=len(images),
        num_positive_pairs=pairs.num_positives,
        num_candidates=len(cand),
        num_kept=len(order),
        pairs=[[
            pairs.img_paths[int(cand[k, 0])],
            pairs.img_paths[int(cand[k, 1])],
            round(float(scores[k]), 6)
        ] for k in order.tolist()])
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(out, f, indent=0)
    kept = scores[order]
    print(f'scored {len(cand)} negative pairs of {len(images)} images '
          f'(trunk {t_trunk:.1f} s, pair head {t_head:.1f} s); kept the '
          f'{len(order)} hardest, P(same) {kept.min():.3f}-{kept.max():.3f} '
          f'(mean over all candidates {scores.mean():.3f}) -> {args.out}')


if __name__ == '__main__':
    main()
