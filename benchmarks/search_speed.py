# Copyright (c) mmreid contributors. All rights reserved.
"""Gallery search: exact torch search vs faiss indexes (mmreid.apis.search).

    python benchmarks/search_speed.py            # 100,000 x 2048 gallery
    python benchmarks/search_speed.py --gallery 20000 --queries 200

Random 2048-d float32 features (standard normal): a gallery of
``--gallery`` rows and two query sets of ``--queries`` rows:

- ``random``: independent random vectors (no structure: every gallery
  item is about as far as any other, the hardest case for an
  approximate index);
- ``near``: gallery items plus noise (``--noise`` times a random unit-scale
  vector), so each query has one clear neighbour, as in retrieval.

For each backend the build time (index construction, training included),
the search time and the top-k agreement with the exact torch search
(mean fraction of the exact top-k found, the fraction of queries with the
same top-1 and with the identical ordered list) and the largest distance
difference are printed. Nothing is asserted.
"""
import argparse
import os
import time

import numpy as np
import torch

from mmreid.apis import build_faiss_index, search


def agreement(ref: torch.Tensor, got: torch.Tensor):
    """Mean |top-k ∩ exact top-k| / k, the fraction of queries with the
    same top-1 and with the identical ordered list."""
    k = ref.shape[1]
    overlap = [len(set(a) & set(b)) / k
               for a, b in zip(ref.tolist(), got.tolist())]
    top1 = (ref[:, 0] == got[:, 0]).float().mean().item()
    same = (ref == got).all(1).float().mean().item()
    return float(np.mean(overlap)), top1, same


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--gallery', type=int, default=100000)
    parser.add_argument('--queries', type=int, default=1000)
    parser.add_argument('--dim', type=int, default=2048)
    parser.add_argument('--topk', type=int, default=10)
    parser.add_argument(
        '--metric', default='euclidean',
        choices=['euclidean', 'sqeuclidean', 'cosine'])
    parser.add_argument('--noise', type=float, default=0.5)
    parser.add_argument('--ivf', default='IVF256,Flat',
                        help='approximate faiss index factory string')
    parser.add_argument('--nprobe', type=int, nargs='+', default=[8, 32])
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()

    import faiss
    gen = torch.Generator().manual_seed(args.seed)
    gallery = torch.randn(args.gallery, args.dim, generator=gen)
    queries = dict(
        random=torch.randn(args.queries, args.dim, generator=gen),
        near=gallery[torch.randperm(args.gallery, generator=gen)
                     [:args.queries]] + args.noise * torch.randn(
                         args.queries, args.dim, generator=gen))
    print(f'=== search: {args.queries} queries x {args.gallery} gallery, '
          f'{args.dim}-d float32 ({gallery.numel() * 4 / 2**30:.2f} GiB), '
          f'top-{args.topk}, {args.metric} ===')
    print(f'torch {torch.__version__} ({torch.get_num_threads()} threads), '
          f'faiss {faiss.__version__} ({faiss.omp_get_max_threads()} '
          f'threads), load average '
          f'{" ".join(f"{x:.2f}" for x in os.getloadavg())}')

    flat, flat_build = timed(
        lambda: build_faiss_index(gallery, args.metric, 'Flat'))
    ivf, ivf_build = timed(
        lambda: build_faiss_index(gallery, args.metric, args.ivf))
    print(f'build: faiss Flat {flat_build:.2f} s, faiss {args.ivf} '
          f'{ivf_build:.2f} s (training included); torch: none')
    for name, q in queries.items():
        print(f'-- queries: {name}')
        exact, t_exact = timed(
            lambda: search(q, gallery, args.topk, args.metric))
        print(f'   {"torch exact":<30}search {t_exact:7.2f} s   '
              f'({1e3 * t_exact / len(q):.2f} ms / query)')
        runs = [('faiss Flat', flat, None)] + [
            (f'faiss {args.ivf} nprobe={n}', ivf, n) for n in args.nprobe]
        for label, index, nprobe in runs:
            res, t = timed(lambda: search(
                q, gallery, args.topk, args.metric, backend='faiss',
                faiss_index=index, nprobe=nprobe))
            overlap, top1, same = agreement(exact.indices, res.indices)
            dist_diff = (res.distances - exact.distances).abs().max().item()
            print(f'   {label:<30}search {t:7.2f} s   '
                  f'({1e3 * t / len(q):.2f} ms / query)   top-{args.topk} '
                  f'agreement {100 * overlap:6.2f} %, same top-1 '
                  f'{100 * top1:6.2f} %, identical lists {100 * same:6.2f} '
                  f'%, max |d - d_exact| {dist_diff:.2e}')


if __name__ == '__main__':
    main()
