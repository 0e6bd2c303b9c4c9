# Copyright (c) mmreid contributors. All rights reserved.
"""Speed and memory of mmreid's evaluation vs a straightforward one.

Usage::

    python benchmarks/eval_speed.py                 # Market + MSMT17 size
    python benchmarks/eval_speed.py --size market
    python benchmarks/eval_speed.py --size msmt17 --force-baseline

Problems (synthetic features, 2048-d float32, realistic pid/camera layout):

- ``market``: 3368 queries, 15913 gallery images (13115 of 750 identities
  + 2798 distractors with pid 0), 6 cameras;
- ``msmt17``: 11659 queries, 82161 gallery images of 3060 identities,
  15 cameras.

Implementations (euclidean distance, ``market`` protocol, finite-sum AP):

- ``mmreid``: :func:`mmreid.evaluation.functional.iter_distance_chunks`
  (256-query blocks) fed to
  :func:`mmreid.evaluation.functional.evaluate_distance_chunks` (ranks of
  the true matches by counting, no Q x G sort or index matrix);
- ``straightforward``: the same distance function (same 256-query blocks,
  so both rank bitwise-identical distances) written into a full Q x G
  matrix, a stable ``np.argsort`` of every row, a boolean match matrix and
  a per-query loop (CMC, AP, INP), as torchreid's Python evaluator does.

Each implementation runs in its own subprocess, alternately (ABBA...) for
``--rounds`` rounds so that both see the same machine load on average; the
stage tables are those of round 1 and the ratios use all rounds. Memory is
the peak resident set size (Linux ``VmHWM``, reset through
``/proc/self/clear_refs`` before each step) minus the resident size just
before the evaluation, when the features are already in memory: it counts
everything the evaluation allocates (torch, numpy, Python). Times are
wall-clock.
"""
import argparse
import gc
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from typing import Dict, Optional

import numpy as np
import torch

PROBLEMS = dict(
    market=dict(
        num_query=3368,
        num_gallery=15913,
        num_ids=750,
        num_cams=6,
        num_distractors=2798,
        centre_scale=0.45),
    msmt17=dict(
        num_query=11659,
        num_gallery=82161,
        num_ids=3060,
        num_cams=15,
        num_distractors=0,
        centre_scale=0.35),
)
DIM = 2048
GIB = 1024**3


# --------------------------------------------------------------- problem --
def make_problem(num_query: int,
                 num_gallery: int,
                 num_ids: int,
                 num_cams: int,
                 num_distractors: int,
                 centre_scale: float = 0.45,
                 dim: int = DIM,
                 seed: int = 0) -> Dict[str, object]:
    """Synthetic re-ID features with a Market-like pid / camera layout.

    Each identity appears in 2..num_cams cameras; its gallery images are
    spread over them; each query comes from one of its cameras (so that
    cross-camera matches exist). A feature is an identity centre (scaled so
    that mAP is moderate, not 0 or 1) plus a camera offset plus noise;
    distractors (pid 0) are noise only.

    Returns:
        dict: ``query`` and ``gallery`` float32 tensors and the
        ``q_pids``, ``g_pids``, ``q_cams``, ``g_cams`` int64 arrays.
    """
    rng = np.random.default_rng(seed)
    per_id = np.full(num_ids, (num_gallery - num_distractors) // num_ids)
    per_id[:(num_gallery - num_distractors) % num_ids] += 1
    id_cams = [
        rng.choice(num_cams, rng.integers(2, num_cams + 1), replace=False)
        for _ in range(num_ids)
    ]
    g_pids = np.repeat(np.arange(1, num_ids + 1), per_id)
    g_cams = np.concatenate(
        [rng.choice(c, n) for c, n in zip(id_cams, per_id)])
    g_pids = np.concatenate([g_pids, np.zeros(num_distractors, np.int64)])
    g_cams = np.concatenate(
        [g_cams, rng.integers(0, num_cams, num_distractors)])
    q_pids = rng.integers(1, num_ids + 1, num_query)
    q_cams = np.array([rng.choice(id_cams[p - 1]) for p in q_pids])
    gen = torch.Generator().manual_seed(seed)
    centres = torch.randn(num_ids + 1, dim, generator=gen) * centre_scale
    cam_off = torch.randn(num_cams, dim, generator=gen) * 0.2

    def feats(pids: np.ndarray, cams: np.ndarray) -> torch.Tensor:
        out = torch.randn(len(pids), dim, generator=gen)
        pids_t = torch.from_numpy(pids)
        real = pids_t > 0
        out[real] += centres[pids_t[real]]
        out[real] += cam_off[torch.from_numpy(cams)[real]]
        return out

    return dict(
        query=feats(q_pids, q_cams),
        gallery=feats(g_pids, g_cams),
        q_pids=q_pids.astype(np.int64),
        g_pids=g_pids.astype(np.int64),
        q_cams=q_cams.astype(np.int64),
        g_cams=g_cams.astype(np.int64))


# ---------------------------------------------------------------- memory --
def _status(field: str) -> int:
    """A field of /proc/self/status, in bytes."""
    with open('/proc/self/status') as f:
        match = re.search(rf'^{field}:\s+(\d+) kB', f.read(), re.M)
    return int(match.group(1)) * 1024


class PeakRSS:
    """Peak resident set size of this process over a window.

    Uses ``VmHWM`` reset by writing 5 to ``/proc/self/clear_refs`` (exact);
    falls back to sampling ``VmRSS`` every millisecond in a thread.
    """

    def __init__(self) -> None:
        try:
            with open('/proc/self/clear_refs', 'w') as f:
                f.write('5')
            self.method = ('VmHWM (peak RSS) reset via '
                           '/proc/self/clear_refs')
        except OSError:
            self.method = 'VmRSS sampled every 1 ms in a thread'
            self._peak = 0
            threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            self._peak = max(self._peak, _status('VmRSS'))
            time.sleep(0.001)

    def reset(self) -> None:
        """Start a new window."""
        if self.method.startswith('VmHWM'):
            with open('/proc/self/clear_refs', 'w') as f:
                f.write('5')
        else:
            self._peak = _status('VmRSS')

    def peak(self) -> int:
        """Peak RSS (bytes) since the last reset."""
        if self.method.startswith('VmHWM'):
            return _status('VmHWM')
        return max(self._peak, _status('VmRSS'))

    @staticmethod
    def rss() -> int:
        """Current RSS (bytes)."""
        return _status('VmRSS')


class Stages:
    """Accumulate wall time and peak memory per named stage."""

    def __init__(self, mem: PeakRSS, base: int) -> None:
        self.mem, self.base = mem, base
        self.time: Dict[str, float] = {}
        self.peak: Dict[str, int] = {}
        self._name: Optional[str] = None

    def start(self, name: str) -> None:
        self.mem.reset()
        self._name, self._t0 = name, time.perf_counter()

    def stop(self) -> None:
        dt = time.perf_counter() - self._t0
        peak = self.mem.peak() - self.base
        self.time[self._name] = self.time.get(self._name, 0.0) + dt
        self.peak[self._name] = max(self.peak.get(self._name, 0), peak)
        self._name = None


# --------------------------------------------------------------- workers --
def straightforward_eval(distmat: np.ndarray,
                         q_pids,
                         g_pids,
                         q_cams,
                         g_cams,
                         stages: Stages,
                         max_rank: int = 10) -> dict:
    """Full stable argsort, match matrix, per-query loop (torchreid-like)."""
    stages.start('sort (argsort of every row)')
    indices = np.argsort(distmat, axis=1, kind='stable')
    stages.stop()
    stages.start('CMC / AP / INP')
    matches = g_pids[indices] == q_pids[:, None]
    first_rank = np.full(len(q_pids), -1)
    ap = np.full(len(q_pids), np.nan)
    inp = np.full(len(q_pids), np.nan)
    for i in range(len(q_pids)):
        order = indices[i]
        remove = ((g_pids[order] == q_pids[i]) &
                  (g_cams[order] == q_cams[i])) | (
                      g_pids[order] == -1)
        hits = np.flatnonzero(matches[i][~remove])
        if hits.size == 0:
            continue
        first_rank[i] = hits[0]
        ap[i] = np.mean(np.arange(1, hits.size + 1) / (hits + 1))
        inp[i] = hits.size / (hits[-1] + 1)
    valid = first_rank >= 0
    cmc = np.array([(first_rank[valid] < k).mean()
                    for k in range(1, max_rank + 1)])
    stages.stop()
    return dict(
        mAP=float(ap[valid].mean()),
        mINP=float(inp[valid].mean()),
        cmc=cmc.tolist(),
        first_rank=first_rank,
        ap=ap)


def run_worker(args) -> None:
    """Run one implementation on one problem; print a JSON line."""
    from mmreid.evaluation.functional import (compute_distance,
                                              evaluate_distance_chunks,
                                              iter_distance_chunks)
    prob = make_problem(**PROBLEMS[args.size])
    gc.collect()
    mem = PeakRSS()
    base = mem.rss()
    stages = Stages(mem, base)
    total = time.perf_counter()
    if args.worker == 'straightforward':
        stages.start('distances (full Q x G)')
        distmat = compute_distance(
            prob['query'], prob['gallery'], chunk_size=args.chunk_size)
        distmat = distmat.numpy()
        stages.stop()
        res = straightforward_eval(distmat, prob['q_pids'], prob['g_pids'],
                                   prob['q_cams'], prob['g_cams'], stages)
        first_rank, ap = res.pop('first_rank'), res.pop('ap')
    else:
        chunks = iter_distance_chunks(
            prob['query'], prob['gallery'], chunk_size=args.chunk_size)

        def timed():
            # distance blocks and ranking alternate: time each separately
            while True:
                stages.start('distances (256-query blocks)')
                block = next(chunks, None)
                stages.stop()
                if block is None:
                    stages.start('CMC / AP / INP (counting)')
                    return
                stages.start('CMC / AP / INP (counting)')
                yield block
                stages.stop()

        res = evaluate_distance_chunks(
            timed(),
            prob['q_pids'],
            prob['g_pids'],
            prob['q_cams'],
            prob['g_cams'],
            topk=tuple(range(1, 11)),
            return_per_query=True,
            check_nan=False)
        stages.stop()
        per_query = res.pop('per_query')
        first_rank = per_query['first_rank'].numpy()
        ap = per_query['ap'].numpy()
        res = dict(mAP=res['mAP'], mINP=res['mINP'], cmc=res['cmc'].tolist())
    total = time.perf_counter() - total
    np.savez(args.out, first_rank=first_rank, ap=ap)
    feat_bytes = (prob['query'].numel() + prob['gallery'].numel()) * 4
    print(
        json.dumps(
            dict(
                res,
                time=stages.time,
                peak=stages.peak,
                total_time=total,
                total_peak=max(stages.peak.values()),
                feat_bytes=feat_bytes,
                mem_method=mem.method,
                threads=torch.get_num_threads())))


# ---------------------------------------------------------------- parent --
def launch(worker: str, size: str, chunk_size: int, out: str) -> dict:
    """Run a worker in a fresh process and parse its JSON line."""
    cmd = [
        sys.executable,
        os.path.abspath(__file__), '--worker', worker, '--size', size,
        '--chunk-size',
        str(chunk_size), '--out', out
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f'{worker} worker failed:\n{proc.stderr}')
    return json.loads(proc.stdout.strip().splitlines()[-1])


def mem_available() -> int:
    """MemAvailable of /proc/meminfo, in bytes."""
    with open('/proc/meminfo') as f:
        return int(re.search(r'MemAvailable:\s+(\d+)', f.read()).group(1)) \
            * 1024


def fmt_gib(n: float) -> str:
    return f'{n / GIB:7.3f} GiB'


def print_stages(name: str, res: dict) -> None:
    """Print one run's stage table."""
    print(f'-- {name}')
    for stage, t in res['time'].items():
        print(f'   {stage:<40s} {t:8.2f} s   peak '
              f'{fmt_gib(res["peak"][stage])}')
    print(f'   {"total":<40s} {res["total_time"]:8.2f} s   peak '
          f'{fmt_gib(res["total_peak"])}')


def print_rounds(runs: list, ours: str, base: str) -> None:
    """Print the ratios of every round and over all rounds."""
    for i, (load, a, b) in enumerate(runs):
        print(f'   round {i + 1} (load {load:.2f}): {base} '
              f'{b["total_time"]:7.2f} s, {ours} {a["total_time"]:7.2f} s: '
              f'{b["total_time"] / a["total_time"]:.2f}x faster')
    t_a = sum(a['total_time'] for _, a, _ in runs)
    t_b = sum(b['total_time'] for _, _, b in runs)
    peak_a = max(a['total_peak'] for _, a, _ in runs)
    peak_b = max(b['total_peak'] for _, _, b in runs)
    print(f'-- RATIOS ({base} / {ours}, all rounds): time '
          f'{t_b / t_a:.2f}x faster; peak memory {peak_a / peak_b:.3f} of '
          f'the {base} ({peak_b / peak_a:.1f}x less)')


def report(size: str, chunk_size: int, force_baseline: bool,
           rounds: int) -> None:
    """Run both implementations on one problem and print the comparison.

    The two run alternately (ABBA...) ``rounds`` times, so that both see
    the same machine load on average.
    """
    spec = PROBLEMS[size]
    nq, ng = spec['num_query'], spec['num_gallery']
    print(f'\n=== {size}: {nq} queries x {ng} gallery, {DIM}-d float32 '
          f'features, {spec["num_cams"]} cameras ===')
    # distmat + int64 argsort + int64 gather + bool matches
    need = nq * ng * (4 + 8 + 8 + 1)
    run_base = force_baseline or need < 0.8 * mem_available()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(rounds if run_base else 1):
            order = ['mmreid', 'straightforward'][::1 if i % 2 else -1]
            res = {}
            for worker in order if run_base else ['mmreid']:
                res[worker] = launch(worker, size, chunk_size,
                                     f'{tmp}/{worker}{i}.npz')
            runs.append((os.getloadavg()[0], res['mmreid'],
                         res.get('straightforward')))
        ours, base = runs[0][1], runs[0][2]
        print(f'torch threads {ours["threads"]}; memory = '
              f'{ours["mem_method"]}, minus the RSS with the features '
              f'loaded (features: {fmt_gib(ours["feat_bytes"]).strip()})')
        print_stages('mmreid (round 1)', ours)
        print(f'   mAP {100 * ours["mAP"]:.4f}  mINP '
              f'{100 * ours["mINP"]:.4f}  rank1 '
              f'{100 * ours["cmc"][0]:.4f}  rank5 '
              f'{100 * ours["cmc"][4]:.4f}  rank10 '
              f'{100 * ours["cmc"][9]:.4f}')
        if base is None:
            print(f'-- straightforward: SKIPPED (needs about '
                  f'{need / GIB:.1f} GiB for the Q x G matrices, '
                  f'{mem_available() / GIB:.1f} GiB available; '
                  '--force-baseline runs it)')
            beyond = ours['total_peak']
            print(f'-- mmreid peak beyond the features: {fmt_gib(beyond)} '
                  f'({"under" if beyond < 4 * GIB else "OVER"} 4 GiB), '
                  f'load average {runs[0][0]:.2f}')
            return
        print_stages('straightforward (round 1)', base)
        print(f'   mAP {100 * base["mAP"]:.4f}  mINP '
              f'{100 * base["mINP"]:.4f}  rank1 '
              f'{100 * base["cmc"][0]:.4f}  rank5 '
              f'{100 * base["cmc"][4]:.4f}  rank10 '
              f'{100 * base["cmc"][9]:.4f}')
        a = np.load(f'{tmp}/mmreid0.npz')
        b = np.load(f'{tmp}/straightforward0.npz')
        same_ranks = np.array_equal(a['first_rank'], b['first_rank'])
        ap_diff = np.nanmax(np.abs(a['ap'] - b['ap']))
        print(f'-- identical? CMC: {ours["cmc"] == base["cmc"]} '
              f'(first-match rank of every query equal: {same_ranks}); '
              f'mAP diff {abs(ours["mAP"] - base["mAP"]):.2e}, '
              f'max per-query AP diff {ap_diff:.2e} (float64 '
              'summation order)')
    print_rounds(runs, 'mmreid', 'straightforward')
    rank_a = sum(a['time']['CMC / AP / INP (counting)'] for _, a, _ in runs)
    rank_b = sum(t for _, _, b in runs for k, t in b['time'].items()
                 if not k.startswith('distances'))
    print(f'   ranking stages only (the same distance computation '
          f'excluded): {rank_b / rank_a:.2f}x faster')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--size', choices=['market', 'msmt17', 'all'], default='all')
    parser.add_argument('--chunk-size', type=int, default=256)
    parser.add_argument(
        '--rounds',
        type=int,
        default=2,
        help='runs of each implementation, alternating (ABBA...)')
    parser.add_argument(
        '--force-baseline',
        action='store_true',
        help='run the straightforward implementation even when it does '
        'not seem to fit in memory')
    parser.add_argument('--worker', choices=['mmreid', 'straightforward'])
    parser.add_argument('--out')
    args = parser.parse_args()
    if args.worker:
        run_worker(args)
        return
    sizes = ['market', 'msmt17'] if args.size == 'all' else [args.size]
    for size in sizes:
        report(size, args.chunk_size, args.force_baseline, args.rounds)


if __name__ == '__main__':
    main()
