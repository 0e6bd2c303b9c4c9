# Copyright (c) mmreid contributors. All rights reserved.
"""Speed and memory of mmreid's k-reciprocal re-ranking vs the dense one.

Usage::

    python benchmarks/rerank_speed.py                # Market size
    python benchmarks/rerank_speed.py --size small   # a quick check

Problem: the Market-size synthetic features of ``eval_speed.py`` (3368
queries, 15913 gallery images, 2048-d), k1=20, k2=6, lambda=0.3, euclidean.

Implementations (the same variant: squared distances normalised by their
row maximum, stable neighbour order; see
:mod:`mmreid.evaluation.functional.rerank`):

- ``mmreid``: :func:`mmreid.evaluation.functional.iter_k_reciprocal_rerank`
  (neighbour lists, sparse V, inverted-index Jaccard, query blocks);
- ``dense``: ``dense_rerank`` of ``tests/test_evaluation/reference.py``
  (the tests' reference), a transcription of the classic ``re_ranking``
  code of Zhong et al. in numpy: the q_g, q_q and g_g distance blocks concatenated into the
  (Q+G) x (Q+G) matrix, normalised distance, argsort, V and query-expanded
  V matrices, Python loops for V, the inverted index and the Jaccard
  distance. Its blocks come from the same function in the same 256-row
  blocks as mmreid's, so both start from bitwise the same numbers.

Each runs in its own subprocess, alternately (ABBA...) for ``--rounds``
rounds; the stage tables are those of round 1 and the ratios use all
rounds. Memory is the peak RSS (``VmHWM`` reset before each stage) minus
the RSS with the features loaded, as in ``eval_speed.py``. The final Q x G
distances of both are compared (the dense result is saved to disk and read
back block by block, outside the timed and measured stages).
"""
import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The repository root, for the dense baseline shared with the tests.
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from eval_speed import PROBLEMS, PeakRSS, Stages  # noqa: E402
from eval_speed import make_problem, print_rounds, print_stages  # noqa
from tests.test_evaluation.reference import \
    dense_rerank as reference_dense_rerank  # noqa: E402

SIZES = dict(
    market=PROBLEMS['market'],
    small=dict(
        num_query=300,
        num_gallery=1700,
        num_ids=100,
        num_cams=6,
        num_distractors=200))
K1, K2, LAMBDA = 20, 6, 0.3


def dense_rerank(prob: dict, chunk_size: int, stages: Stages) -> np.ndarray:
    """The classic dense algorithm (same variant as mmreid's): the tests'
    reference :func:`tests.test_evaluation.reference.dense_rerank`, timed
    stage by stage."""
    from mmreid.evaluation.functional import compute_distance

    def dist_all() -> np.ndarray:
        q, g = prob['query'], prob['gallery']
        q_g_dist = compute_distance(q, g, chunk_size=chunk_size).numpy()
        q_q_dist = compute_distance(q, q, chunk_size=chunk_size).numpy()
        g_g_dist = compute_distance(g, g, chunk_size=chunk_size).numpy()
        return np.concatenate([
            np.concatenate([q_q_dist, q_g_dist], axis=1),
            np.concatenate([q_g_dist.T, g_g_dist], axis=1)
        ],
                              axis=0)

    running = []  # the stage being timed, if any

    def stage(name) -> None:
        if running:
            stages.stop()
            running.pop()
        if name is not None:
            stages.start(name)
            running.append(name)

    return reference_dense_rerank(
        dist_all, len(prob['query']), K1, K2, LAMBDA, stage=stage)


def run_worker(args) -> None:
    """Run one implementation; print a JSON line."""
    from mmreid.evaluation.functional import (evaluate_distance_chunks,
                                              iter_k_reciprocal_rerank)
    prob = make_problem(**SIZES[args.size])
    gc.collect()
    mem = PeakRSS()
    stages = Stages(mem, mem.rss())
    total = time.perf_counter()
    extra = {}
    if args.worker == 'dense':
        final = dense_rerank(prob, args.chunk_size, stages)
        total = time.perf_counter() - total
        if args.out:
            np.save(args.out, final)
        res = evaluate_distance_chunks([(0, torch.from_numpy(final))],
                                       prob['q_pids'], prob['g_pids'],
                                       prob['q_cams'], prob['g_cams'])
    else:
        order = [
            'neighbours', 'k_reciprocal', 'query_expansion', 'inverted_index'
        ]
        names = dict(
            neighbours='distances + k1 neighbours',
            k_reciprocal='k-reciprocal sets + V (sparse)',
            query_expansion='local query expansion',
            inverted_index='inverted index')

        def hook(stage: str) -> None:
            stages.stop()
            nxt = order.index(stage) + 1
            stages.start(names[order[nxt]] if nxt <
                         len(order) else 'Jaccard + final (query blocks)')

        dense_file = open(args.compare, 'rb') if args.compare else None
        if dense_file is not None:
            np.lib.format.read_magic(dense_file)
            shape, _, _ = np.lib.format.read_array_header_1_0(dense_file)
            offset = dense_file.tell()
        max_diff = 0.0
        blocks = iter_k_reciprocal_rerank(
            prob['query'],
            prob['gallery'],
            K1,
            K2,
            LAMBDA,
            chunk_size=args.chunk_size,
            stage_hook=hook)

        def timed():
            nonlocal max_diff, total
            stages.start(names['neighbours'])
            for start, block in blocks:
                stages.stop()
                t0 = time.perf_counter()
                if dense_file is not None:  # not timed, not in the peaks
                    dense_file.seek(offset + start * shape[1] * 4)
                    ref = np.fromfile(dense_file, np.float32,
                                      block.numel()).reshape(block.shape)
                    max_diff = max(max_diff,
                                   float(np.abs(block.numpy() - ref).max()))
                total += time.perf_counter() - t0
                yield start, block
                stages.start('Jaccard + final (query blocks)')
            stages.stop()

        res = evaluate_distance_chunks(timed(), prob['q_pids'], prob['g_pids'],
                                       prob['q_cams'], prob['g_cams'])
        # evaluating the blocks is not part of the re-ranking time
        total = sum(stages.time.values())
        extra = dict(max_diff=max_diff if dense_file else None)
    print(
        json.dumps(
            dict(
                extra,
                time=stages.time,
                peak=stages.peak,
                total_time=total,
                total_peak=max(stages.peak.values()),
                mAP=res['mAP'],
                rank1=res['rank1'],
                mem_method=mem.method,
                threads=torch.get_num_threads())))


def launch(worker: str, args, out: str, compare: str = '') -> dict:
    """Run a worker in a fresh process and parse its JSON line."""
    cmd = [
        sys.executable,
        os.path.abspath(__file__), '--worker', worker, '--size', args.size,
        '--chunk-size',
        str(args.chunk_size), '--out', out, '--compare', compare
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f'{worker} worker failed:\n{proc.stderr}')
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--size', choices=list(SIZES), default='market')
    parser.add_argument('--chunk-size', type=int, default=256)
    parser.add_argument(
        '--rounds',
        type=int,
        default=2,
        help='runs of each implementation, alternating (ABBA...)')
    parser.add_argument('--worker', choices=['mmreid', 'dense'])
    parser.add_argument('--out', default='')
    parser.add_argument('--compare', default='')
    args = parser.parse_args()
    if args.worker:
        run_worker(args)
        return
    spec = SIZES[args.size]
    print(f'=== re-ranking, {args.size}: {spec["num_query"]} queries x '
          f'{spec["num_gallery"]} gallery, 2048-d, k1={K1}, k2={K2}, '
          f'lambda={LAMBDA} ===')
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        ref = f'{tmp}/dense.npy'  # the dense result (deterministic)
        for i in range(args.rounds):
            # ABBA...: both see the same machine load on average
            if i % 2 == 0:
                dense = launch('dense', args, ref if i == 0 else '')
                ours = launch('mmreid', args, '', ref)
            else:
                ours = launch('mmreid', args, '', ref)
                dense = launch('dense', args, '')
            runs.append((os.getloadavg()[0], ours, dense))
    ours, dense = runs[0][1], runs[0][2]
    print(f'torch threads {ours["threads"]}; memory = {ours["mem_method"]}, '
          'minus the RSS with the features loaded')
    for name, res in (('mmreid', ours), ('dense (classic)', dense)):
        print_stages(f'{name} (round 1)', res)
        print(f'   after re-ranking: mAP {100 * res["mAP"]:.4f}  rank1 '
              f'{100 * res["rank1"]:.4f}')
    diff = max(r[1]['max_diff'] for r in runs)
    print(f'-- largest |mmreid - dense| over the final distances (all '
          f'rounds): {diff:.3e}')
    print_rounds(runs, 'mmreid', 'dense')
    other = [k for k in dense['time'] if not k.startswith('distances')]
    t_dense = sum(r[2]['time'][k] for r in runs for k in other)
    t_ours = sum(t for r in runs for k, t in r[1]['time'].items()
                 if not k.startswith('distances'))
    print(f'   stages after the distances (distance products and k1 '
          f'neighbours excluded): {t_dense / t_ours:.2f}x faster')


if __name__ == '__main__':
    main()
