# Copyright (c) mmreid contributors. All rights reserved.
"""IDLA pair evaluation: cached trunk vs the whole network per pair.

IDLA scores (query, gallery) pairs. Its trunk (layers 1-4) is per image,
so the evaluation runs it once per image, caches the outputs and runs only
the pair head (layers 5-11) over the q x g pairs
(``IDLA.distance_matrix``). The naive alternative runs the whole network
on every pair (``IDLA.forward_pair``): 2 q g trunk passes instead of
q + g. This script times both on a config's test set, in one run, checks
that they give the same distances, and prints the ratio::

    python benchmarks/idla_pair_eval.py configs/idla/demo.py [CKPT]

Nothing here asserts a time.
"""
import argparse
import time

import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint', nargs='?', default=None)
    parser.add_argument('--pair-batch-size', type=int, default=128)
    parser.add_argument('--threads', type=int, default=None)
    return parser.parse_args()


def main():
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'mmreid'))
    from mmreid.registry import DATASETS, MODELS
    model = MODELS.build(cfg.model)
    if args.checkpoint:
        load_checkpoint(model, args.checkpoint, map_location='cpu')
    else:
        model.init_weights()
    model.eval()
    model.pair_batch_size = args.pair_batch_size
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    data = model.data_preprocessor(
        pseudo_collate([dataset[i] for i in range(len(dataset))]), False)
    imgs = data['inputs']
    is_query = [s.split == 'query' for s in data['data_samples']]
    q_idx = torch.tensor([i for i, q in enumerate(is_query) if q])
    g_idx = torch.tensor([i for i, q in enumerate(is_query) if not q])
    num_q, num_g = len(q_idx), len(g_idx)
    step = args.pair_batch_size
    print(f'{args.config}: {num_q} queries x {num_g} gallery = '
          f'{num_q * num_g} pairs, {len(imgs)} images of '
          f'{tuple(imgs.shape[1:])}, {torch.get_num_threads()} threads, '
          f'{step} pairs per batch')

    with torch.no_grad():
        t0 = time.perf_counter()
        feats = torch.cat([
            model.extract_feat(imgs[s:s + step])
            for s in range(0, len(imgs), step)
        ])
        t_trunk = time.perf_counter() - t0
        cached = model.distance_matrix(feats[q_idx], feats[g_idx])
        t_cached = time.perf_counter() - t0

        t0 = time.perf_counter()
        pair_q = q_idx.repeat_interleave(num_g)
        pair_g = g_idx.repeat(num_q)
        whole = torch.cat([
            1 - model.forward_pair(imgs[pair_q[s:s + step]],
                                   imgs[pair_g[s:s + step]])
            for s in range(0, num_q * num_g, step)
        ]).view(num_q, num_g)
        t_whole = time.perf_counter() - t0
    diff = (cached - whole).abs().max().item()
    print(f'cached trunk : {t_cached:8.2f} s  (trunk on {len(imgs)} images '
          f'{t_trunk:.2f} s + pair head {t_cached - t_trunk:.2f} s)')
    print(f'whole network: {t_whole:8.2f} s  (trunk on '
          f'{2 * num_q * num_g} images + pair head)')
    print(f'ratio whole / cached: {t_whole / t_cached:.2f}x; max |distance '
          f'difference| {diff:.2e}')


if __name__ == '__main__':
    main()
