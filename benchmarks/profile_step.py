# Copyright (c) mmreid contributors. All rights reserved.
"""Where the time of one mmreid training step goes.

Usage::

    python benchmarks/profile_step.py                   # 30 steps
    python benchmarks/profile_step.py --steps 40 --warmup 5 \\
        --cfg-options model.data_preprocessor.channels_last=True

The Runner of ``benchmarks/train_speed.py``'s config (ResNet-50, last
stride 2, 128 x 64, P8 x K4, Adam, the demo's augmentation, 2 workers) is
built as ``tools/train.py`` builds it and trained for ``--steps`` steps,
with the pieces of a step timed in place (wall clock, medians over the
steps after ``--warmup``):

- ``data wait``: the main process waiting for the next batch from the
  loader workers;
- ``data preprocessor``: stacking, normalising (and channels-last);
- ``forward (backbone + neck)``: ``model.pooled_feat`` (``Baseline``)
  or ``model.extract_feat``;
- ``head + losses``: ``model.head.loss`` (BNNeck, CE, triplet, accuracy);
- ``backward``, ``optimizer step``, ``zero_grad``: the optimizer
  wrapper's;
- ``hooks``: every ``before_train_iter`` / ``after_train_iter`` hook
  (timer, logger, scheduler, checkpoint, ...);
- ``rest of the loop``: the step's time not in any of the above
  (``train_step`` glue, loss parsing, the per-step reseed, the loop).

Then the loader workers' side, measured in this process on the same
samples: the time of one sample through ``dataset[i]`` and through each
transform of the pipeline (a worker's CPU time per image; the workers run
in parallel with the main process, so on a 2-core machine their time is
taken from the main process's cores).
"""
import argparse
import copy
import functools
import os.path as osp
import statistics
import sys
import tempfile
import time
from collections import defaultdict

HERE = osp.dirname(osp.abspath(__file__))
REPO = osp.dirname(HERE)


def timed(store, name, fn):
    """Wrap ``fn`` so each call adds its wall time to ``store[name]``."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            store[name] += time.perf_counter() - t0

    return wrapper


def profile_runner(args):
    sys.path[:0] = [args.mmreid_root, HERE]
    from mmengine.hooks import Hook

    from mmreid.registry import RUNNERS
    from train_speed import speed_config

    cfg = speed_config(args.mmreid_root, args.data_root, 10**6,
                       args.cfg_options)
    cfg.work_dir = args.work_dir or tempfile.mkdtemp(
        prefix='mmreid_profile_step_')
    cfg.launcher = 'none'
    runner = RUNNERS.build(cfg)

    cur = defaultdict(float)
    steps = []
    names = [
        'data wait', 'data preprocessor', 'forward (backbone + neck)',
        'head + losses', 'backward', 'optimizer step', 'zero_grad', 'hooks'
    ]

    class Stop(Exception):
        pass

    class StepProfileHook(Hook):
        priority = 'LOWEST'

        def __init__(self):
            self.last = None

        def before_train(self, runner):
            model = runner.model
            pre = model.data_preprocessor
            pre.forward = timed(cur, 'data preprocessor', pre.forward)
            # Baseline's training forward is pooled_feat (backbone + neck)
            feat = 'pooled_feat' if hasattr(model, 'pooled_feat') else \
                'extract_feat'
            setattr(model, feat,
                    timed(cur, 'forward (backbone + neck)',
                          getattr(model, feat)))
            model.head.loss = timed(cur, 'head + losses', model.head.loss)
            ow = runner.optim_wrapper
            ow.backward = timed(cur, 'backward', ow.backward)
            ow.step = timed(cur, 'optimizer step', ow.step)
            ow.zero_grad = timed(cur, 'zero_grad', ow.zero_grad)
            call_hook = runner.call_hook

            def call(fn_name, **kwargs):
                if fn_name in ('before_train_iter', 'after_train_iter'):
                    return timed(cur, 'hooks', call_hook)(fn_name, **kwargs)
                return call_hook(fn_name, **kwargs)

            runner.call_hook = call
            loader = runner.train_loop.dataloader
            iter_fn = type(loader).__iter__

            def patched_iter(self):
                it = iter_fn(self)
                while True:
                    t0 = time.perf_counter()
                    try:
                        item = next(it)
                    except StopIteration:
                        return
                    finally:
                        cur['data wait'] += time.perf_counter() - t0
                    yield item

            type(loader).__iter__ = patched_iter
            self.last = time.perf_counter()

        def after_train_iter(self, runner, batch_idx, data_batch=None,
                             outputs=None):
            now = time.perf_counter()
            rec = dict(cur)
            rec['total'] = now - self.last
            steps.append(rec)
            cur.clear()
            self.last = time.perf_counter()
            if len(steps) >= args.steps:
                raise Stop

    runner.register_hook(StepProfileHook())
    try:
        runner.train()
    except Stop:
        pass
    rows = steps[args.warmup:]
    total = statistics.median(r['total'] for r in rows)
    print(f'\nmmreid step, {len(rows)} steps after {args.warmup} warm-up '
          f'(medians; torch threads {__import__("torch").get_num_threads()})')
    print('| part | ms / step | share |')
    print('|---|---|---|')
    acc = 0.
    for name in names:
        v = statistics.median(r.get(name, 0.) for r in rows)
        acc += v
        print(f'| {name} | {1e3 * v:.1f} | {100 * v / total:.1f} % |')
    print(f'| rest of the loop | {1e3 * (total - acc):.1f} | '
          f'{100 * (total - acc) / total:.1f} % |')
    print(f'| **step** | {1e3 * total:.1f} | 100 % |')
    return runner


def profile_workers(runner, num):
    import torch
    from mmreid.datasets.sample_rng import SeededIndex
    torch.set_num_threads(1)  # as in a loader worker
    dataset = runner.train_loop.dataloader.dataset
    pipe = dataset.pipeline.transforms
    per_t = [0.] * len(pipe)
    t_item = 0.
    for i in range(num):
        t0 = time.perf_counter()
        dataset[SeededIndex(i % len(dataset), i)]
        t_item += time.perf_counter() - t0
        res = copy.deepcopy(dataset.get_data_info(i % len(dataset)))
        for k, t in enumerate(pipe):
            t0 = time.perf_counter()
            res = t(res)
            per_t[k] += time.perf_counter() - t0
    print(f'\nloader worker, {num} samples (one thread, as a worker)')
    print('| part | ms / image | ms / batch of 32 |')
    print('|---|---|---|')
    for t, v in zip(pipe, per_t):
        print(f'| {type(t).__name__} | {1e3 * v / num:.3f} | '
              f'{32e3 * v / num:.1f} |')
    rest = t_item - sum(per_t)
    print(f'| dataset[i] outside the pipeline (info copy, seeding) | '
          f'{1e3 * rest / num:.3f} | {32e3 * rest / num:.1f} |')
    print(f'| **dataset[i]** | {1e3 * t_item / num:.3f} | '
          f'{32e3 * t_item / num:.1f} |')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--steps', type=int, default=30)
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument('--worker-samples', type=int, default=320)
    parser.add_argument('--mmreid-root', default=REPO)
    parser.add_argument('--data-root', default=osp.join(REPO, 'data/demo'))
    parser.add_argument('--work-dir',
                        help='the run\'s work dir (default: a new '
                        'temporary folder)')
    parser.add_argument('--cfg-options', nargs='+', default=[])
    args = parser.parse_args()
    args.mmreid_root = osp.abspath(args.mmreid_root)
    args.data_root = osp.abspath(args.data_root)
    runner = profile_runner(args)
    profile_workers(runner, args.worker_samples)


if __name__ == '__main__':
    main()
