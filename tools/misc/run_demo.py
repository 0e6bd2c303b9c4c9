# Copyright (c) mmreid contributors. All rights reserved.
"""The README's main job on the demo dataset, end to end.

1. evaluate the untrained model (random initialisation) on the demo test set;
2. train with ``tools/train.py`` (which generates the demo data on first use
   and evaluates during training);
3. evaluate the last checkpoint with ``tools/test.py``, dumping features;
4. draw a ranked list of a few queries
   (``tools/analysis_tools/visualize_ranks.py``);
5. print untrained vs trained metrics and the wall times.

Each step is the public tool a user would run, called as a subprocess.
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import time

from mmreid.utils import load_last_metrics

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
KEYS = ('reid/mAP', 'reid/rank1', 'reid/rank5', 'reid/rank10', 'reid/mINP')


def run(cmd, log_file):
    """Run a command, teeing its output to ``log_file``; return the time."""
    print('+', ' '.join(cmd), flush=True)
    t0 = time.time()
    # This checkout's mmreid, whatever other copy is installed.
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [ROOT] + [p for p in [env.get('PYTHONPATH')] if p])
    with open(log_file, 'w') as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, env=env)
        for line in proc.stdout:
            sys.stdout.write(line)
            log.write(line)
        if proc.wait() != 0:
            raise SystemExit(f'command failed ({proc.returncode}): '
                             f'{" ".join(cmd)}; log: {log_file}')
    return time.time() - t0


def test_metrics(cmd, work_dir, log_file):
    """Run tools/test.py into a fresh work dir; return (metrics, seconds)."""
    seconds = run(cmd + ['--work-dir', work_dir], log_file)
    metrics = load_last_metrics(work_dir)
    if metrics is None:
        raise SystemExit(f'no reid metrics found in {work_dir}')
    return metrics, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default='configs/baseline/demo.py')
    parser.add_argument('--work-dir', default='work_dirs/baseline_demo')
    parser.add_argument('--cfg-options', nargs='*', default=[])
    args = parser.parse_args()
    py = sys.executable
    work_dir = osp.abspath(osp.join(ROOT, args.work_dir))
    os.makedirs(work_dir, exist_ok=True)
    extra = ['--cfg-options'] + args.cfg_options if args.cfg_options else []

    times = {}
    # Training first: it generates the demo data (if missing) in one process.
    times['train (incl. data generation)'] = run(
        [py, 'tools/train.py', args.config, '--work-dir', work_dir] + extra,
        osp.join(work_dir, 'train.log'))
    untrained, times['evaluate untrained'] = test_metrics(
        [py, 'tools/test.py', args.config] + extra,
        osp.join(work_dir, 'untrained'),
        osp.join(work_dir, 'test_untrained.log'))
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        ckpt = f.read().strip()
    results = osp.join(work_dir, 'results.pkl')
    trained, times['evaluate trained'] = test_metrics(
        [py, 'tools/test.py', args.config, ckpt, '--out', results] + extra,
        osp.join(work_dir, 'trained'), osp.join(work_dir, 'test.log'))
    ranked = osp.join(work_dir, 'ranked_list.png')
    times['draw ranked list'] = run([
        py, 'tools/analysis_tools/visualize_ranks.py', results, '--out',
        ranked
    ], osp.join(work_dir, 'vis.log'))

    print('\n==== mmreid demo: ' + args.config + ' ====')
    print(f'{"metric":<14}{"untrained":>12}{"trained":>12}')
    for key in KEYS:
        if key in trained:
            print(f'{key:<14}{untrained.get(key, float("nan")):>12.2f}'
                  f'{trained[key]:>12.2f}')
    for step, seconds in times.items():
        print(f'time {step:<32}{seconds:>8.1f} s')
    print(f'checkpoint:  {ckpt}')
    print(f'ranked list: {ranked}')
    with open(osp.join(work_dir, 'demo_summary.json'), 'w') as f:
        json.dump(
            dict(untrained=untrained, trained=trained, times=times,
                 checkpoint=ckpt, ranked_list=ranked), f, indent=1)


if __name__ == '__main__':
    main()
