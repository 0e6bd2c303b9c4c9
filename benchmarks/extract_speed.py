# Copyright (c) mmreid contributors. All rights reserved.
"""Feature extraction speed: ``tools/test.py`` vs a bare forward pass.

Usage::

    python benchmarks/extract_speed.py                # 2 rounds
    python benchmarks/extract_speed.py --cfg-options \\
        model.data_preprocessor.channels_last=True

The network of ``benchmarks/train_speed.py`` (ResNet-50, last stride 2,
from scratch: the weights do not change the time) on the demo test set
(query + gallery, 128 x 64, batches of 64, 2 loader workers), two ways,
each in its own process, alternately:

- ``test.py``: ``tools/test.py`` (MMEngine's test loop: the loader, the
  data preprocessor, ``predict``, ``ReIDMetric.process`` and the hooks of
  every batch), timed from the start of the test epoch to the end of its
  last batch (the metric's final computation is not included);
- ``bare``: the same dataloader and model, ``model.data_preprocessor`` +
  ``model.extract_feat`` under ``torch.no_grad()`` in a plain loop.

Printed: images per second of each (median over rounds) and the ratio.
"""
import argparse
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import tempfile
import time

HERE = osp.dirname(osp.abspath(__file__))
REPO = osp.dirname(HERE)
sys.path.insert(0, HERE)  # train_speed
WAYS = ('test.py', 'bare')


def test_config(args):
    from train_speed import speed_config
    cfg = speed_config(args.mmreid_root, args.data_root, 1,
                       args.cfg_options, with_test=True)
    cfg.train_dataloader = cfg.train_cfg = cfg.optim_wrapper = None
    cfg.param_scheduler = None
    # the training set's 100 identities (test-only: no training set)
    cfg.model.head.num_classes = 100
    return cfg


def child_test(args, out):
    from train_speed import run_tool
    run_tool('test.py', test_config(args), out, args.mmreid_root, True)
    with open(out) as f:
        res = json.load(f)
    res['seconds'] = res['step_ends'][-1] - res['test_start']
    with open(out, 'w') as f:
        json.dump(res, f)


def child_bare(args, out):
    sys.path.insert(0, args.mmreid_root)
    import torch
    from mmengine.registry import init_default_scope

    from mmreid.engine.runners.reid_runner import ReIDRunner
    from mmreid.registry import MODELS
    cfg = test_config(args)
    init_default_scope('mmreid')
    loader = ReIDRunner.build_dataloader(cfg.test_dataloader, seed=0)
    model = MODELS.build(cfg.model.to_dict())
    model.init_weights()
    model.eval()
    num = 0
    with torch.no_grad():
        start = time.time()
        for data in loader:
            data = model.data_preprocessor(data, False)
            model.extract_feat(data['inputs'])
            num += len(data['data_samples'])
        seconds = time.time() - start
    with open(out, 'w') as f:
        json.dump(dict(seconds=seconds, num_images=num), f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rounds', type=int, default=2)
    parser.add_argument('--mmreid-root', default=REPO)
    parser.add_argument('--data-root', default=osp.join(REPO, 'data/demo'))
    parser.add_argument('--cfg-options', nargs='+', default=[])
    parser.add_argument('--child', choices=WAYS, help=argparse.SUPPRESS)
    parser.add_argument('--out', help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.mmreid_root = osp.abspath(args.mmreid_root)
    args.data_root = osp.abspath(args.data_root)
    if args.child == 'test.py':
        return child_test(args, args.out)
    if args.child == 'bare':
        return child_bare(args, args.out)
    ips = {w: [] for w in WAYS}
    for r in range(args.rounds):
        for way in (WAYS if r % 2 == 0 else WAYS[::-1]):
            fd, out = tempfile.mkstemp(suffix='.json')
            os.close(fd)
            cmd = [
                sys.executable,
                osp.abspath(__file__), '--child', way, '--out', out,
                '--mmreid-root', args.mmreid_root, '--data-root',
                args.data_root
            ]
            if args.cfg_options:
                cmd += ['--cfg-options', *args.cfg_options]
            subprocess.run(cmd, check=True)
            with open(out) as f:
                res = json.load(f)
            os.remove(out)
            ips[way].append(res['num_images'] / res['seconds'])
            print(f'round {r + 1}: {way}: {res["num_images"]} images in '
                  f'{res["seconds"]:.2f} s', flush=True)
    print('\n| way | images/s |\n|---|---|')
    for way in WAYS:
        print(f'| {way} | {statistics.median(ips[way]):.1f} |')
    ratio = statistics.median(ips['test.py']) / statistics.median(ips['bare'])
    print(f'test.py / bare: x{ratio:.3f}')


if __name__ == '__main__':
    main()
