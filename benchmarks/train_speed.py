# Copyright (c) mmreid contributors. All rights reserved.
"""Training step time: mmreid's Runner vs a bare loop vs torchreid.

Usage::

    python benchmarks/train_speed.py                  # 3 ways, 2 rounds
    python benchmarks/train_speed.py --ways runner bare --rounds 1
    python benchmarks/train_speed.py --mmreid-root /path/to/other/checkout

The same network and data, trained three ways, each in its own process:

- ``runner``: ``tools/train.py`` (MMEngine's Runner, ``ReIDRunner``) on
  ``configs/baseline/demo.py`` with a ResNet-50 trunk of last stride 2
  (``strides=(1, 2, 2, 2)``, from scratch), 128 x 64 input, P8 x K4 = 32
  images per step, Adam; the demo's augmentation (resize, flip, pad 5 +
  random crop, random erasing), 2 loader workers; no validation or
  checkpoint; ``--cfg-options`` apply to it and to ``bare``;
- ``bare``: a plain PyTorch loop over the same mmreid model, dataloader
  and optimizer, built from the same config (the data preprocessor, the
  model's ``loss`` mode, ``zero_grad`` / ``backward`` / ``step``);
- ``torchreid``: torchreid 0.2.5's ``ImageTripletEngine`` on its
  ResNet-50 (last stride 2, from scratch; triplet 0.3 + label-smoothed
  CE), its ``RandomIdentitySampler`` (32 images, 4 per identity), the same
  augmentation written with torchvision, 2 workers, Adam with the same
  learning rate and weight decay. torchreid is an optional benchmark
  dependency (``pip install torchreid==0.2.5 gdown``), never a runtime one.

Each run trains ``--epochs`` epochs of the demo training set (generated
into ``--data-root`` if missing). The ways run alternately (A B C, then C B
A, ...) for ``--rounds`` rounds so they see the same machine load on
average. Printed per way (medians over rounds):

- **step**: the median time between the ends of consecutive steps, after
  ``--warmup`` steps (everything per step: waiting for data, forward,
  backward, optimizer, hooks, logging); images/s = 32 / step;
- **launch**: from starting the process to the end of its first step
  (imports, building data and model, worker start, the first step);
- **total**: from starting the process to the end of its last step;
- **peak RSS**: the main process's peak resident set size (``VmHWM``;
  loader workers are separate processes and not counted);
- **CPU s / step**, **minor faults / step**: the main process's CPU time
  (user + system, all its threads) and minor page faults per step after
  warm-up (means; ``getrusage``): more CPU per step is work, the same CPU
  over a longer step is waiting or a busy machine.
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
from typing import Dict, List

HERE = osp.dirname(osp.abspath(__file__))
REPO = osp.dirname(HERE)
WAYS = ('runner', 'bare', 'torchreid')
BATCH = 32
NUM_INSTANCES = 4
SIZE_HW = (128, 64)
LR = 1e-3
WEIGHT_DECAY = 5e-4
# The ImageNet mean / std (RGB), as the demo config normalises.
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)


# ------------------------------------------------------------- the config --
def speed_config(mmreid_root: str,
                 data_root: str,
                 epochs: int,
                 cfg_options: List[str],
                 with_test: bool = False):
    """The benchmark's config: the demo baseline with a ResNet-50 trunk
    (with ``with_test``, also its test loader and evaluator on
    ``data_root``)."""
    from mmengine.config import Config, DictAction
    cfg = Config.fromfile(osp.join(mmreid_root, 'configs/baseline/demo.py'))
    cfg.model.backbone.update(depth=50, strides=(1, 2, 2, 2), init_cfg=None)
    cfg.model.head.in_channels = 2048
    cfg.train_dataloader.dataset.data_root = data_root
    cfg.train_cfg = dict(type='ResumableEpochBasedTrainLoop',
                         max_epochs=epochs)
    cfg.param_scheduler = []
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    if with_test:
        cfg.test_dataloader.dataset.data_root = data_root
    else:
        cfg.test_cfg = cfg.test_dataloader = cfg.test_evaluator = None
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook',
                                        interval=10**6,
                                        save_last=False)
    cfg.custom_hooks = []
    if cfg_options:
        parser = argparse.ArgumentParser()
        parser.add_argument('--o', nargs='+', action=DictAction)
        cfg.merge_from_dict(parser.parse_args(['--o', *cfg_options]).o)
    return cfg


# ------------------------------------------------------------ the children --
def write_steps(out: str, step_ends: List[float], launch: float,
                step_usage: List[list]) -> None:
    """Write a child's records as :class:`StepTimeProbeHook` writes them."""
    import torch
    from train_speed_probe import peak_rss_kib
    with open(out, 'w') as f:
        json.dump(
            dict(step_ends=step_ends,
                 usage=step_usage,
                 launch=launch,
                 peak_rss_kib=peak_rss_kib(),
                 torch_threads=torch.get_num_threads()), f)


def tool_env(mmreid_root: str) -> dict:
    """The environment of a child: the measured checkout and ``benchmarks/``
    (the probe hook) first on ``PYTHONPATH``."""
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [mmreid_root, HERE, env.get('PYTHONPATH', '')])
    return env


def run_tool(tool: str, cfg, out: str, mmreid_root: str,
             quiet: bool) -> float:
    """Run ``tools/<tool>`` of ``mmreid_root`` on ``cfg`` with
    :class:`StepTimeProbeHook` writing to ``out``; return the launch time.
    """
    cfg.custom_imports = dict(imports=['train_speed_probe'],
                              allow_failed_imports=False)
    cfg.custom_hooks = [dict(type='StepTimeProbeHook', out_file=out)]
    work = tempfile.mkdtemp(prefix='mmreid_speed_')
    cfg_file = osp.join(work, 'speed_cfg.py')
    cfg.dump(cfg_file)
    launch = time.time()
    subprocess.run(
        [sys.executable,
         osp.join(mmreid_root, 'tools', tool), cfg_file, '--work-dir', work],
        check=True,
        env=tool_env(mmreid_root),
        cwd=mmreid_root,
        stdout=subprocess.DEVNULL if quiet else None)
    return launch


def child_runner(args, out: str) -> None:
    """``tools/train.py`` on the benchmark config, with the probe hook."""
    cfg = speed_config(args.mmreid_root, args.data_root, args.epochs,
                       args.cfg_options)
    launch = run_tool('train.py', cfg, out, args.mmreid_root, args.quiet)
    with open(out) as f:
        res = json.load(f)
    res['launch'] = launch
    with open(out, 'w') as f:
        json.dump(res, f)


def child_bare(args, out: str, launch: float) -> None:
    """A plain PyTorch loop over the same mmreid model / data / optimizer."""
    sys.path.insert(0, args.mmreid_root)
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import init_default_scope
    from mmengine.runner import set_random_seed

    from mmreid.engine.runners.reid_runner import ReIDRunner
    from mmreid.models.utils import fill_train_set_markers
    from mmreid.registry import MODELS
    from train_speed_probe import usage

    cfg = speed_config(args.mmreid_root, args.data_root, args.epochs,
                       args.cfg_options)
    init_default_scope('mmreid')
    set_random_seed(cfg.randomness.seed)
    loader = ReIDRunner.build_dataloader(cfg.train_dataloader,
                                         seed=cfg.randomness.seed)
    model_cfg = cfg.model.to_dict()
    fill_train_set_markers(model_cfg, loader.dataset.metainfo, 'model')
    model = MODELS.build(model_cfg)
    model.init_weights()
    model.train()
    # the Runner's optimizer (same parameter groups), stepped by hand
    optimizer = build_optim_wrapper(model, cfg.optim_wrapper).optimizer
    step_ends, step_usage = [], []
    for epoch in range(args.epochs):
        loader.sampler.set_epoch(epoch)
        for data in loader:
            data = model.data_preprocessor(data, True)
            losses = model(**data, mode='loss')
            loss = sum(v for k, v in losses.items() if 'loss' in k)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step_ends.append(time.time())
            step_usage.append(usage())
    write_steps(out, step_ends, launch, step_usage)


def child_torchreid(args, out: str, launch: float) -> None:
    """torchreid 0.2.5's ImageTripletEngine on the same data."""
    import torch
    import torchvision.transforms as T
    from train_speed_probe import usage
    try:
        import torchreid
        from torchreid.reid.data import ImageDataset
    except ImportError as e:
        raise SystemExit(f'torchreid is not installed ({e}); pip install '
                         'torchreid==0.2.5 gdown, or drop it from --ways')
    data_root = osp.abspath(args.data_root)

    class DemoSet(ImageDataset):
        """The demo set (Market-1501 file names) for torchreid."""

        def __init__(self, root='', **kwargs):
            def read(sub, relabel):
                items = []
                for name in sorted(os.listdir(osp.join(data_root, sub))):
                    if not name.endswith('.jpg'):
                        continue
                    pid, cam = name.split('_')[:2]
                    pid, cam = int(pid), int(cam[1]) - 1
                    if pid >= 0:
                        items.append((osp.join(data_root, sub, name), pid,
                                      cam))
                if relabel:
                    ids = {p: i for i, p in enumerate(
                        sorted({p for _, p, _ in items}))}
                    items = [(f, ids[p], c) for f, p, c in items]
                return items

            super().__init__(read('bounding_box_train', True),
                             read('query', False),
                             read('bounding_box_test', False), **kwargs)

    torchreid.data.register_image_dataset('mmreid_demo', DemoSet)
    torch.manual_seed(0)
    dm = torchreid.data.ImageDataManager(root=data_root,
                                         sources='mmreid_demo',
                                         height=SIZE_HW[0],
                                         width=SIZE_HW[1],
                                         batch_size_train=BATCH,
                                         batch_size_test=64,
                                         workers=2,
                                         num_instances=NUM_INSTANCES,
                                         train_sampler='RandomIdentitySampler',
                                         transforms=['random_flip'],
                                         use_gpu=False)
    # The demo config's augmentation, in torchvision.
    dm.train_loader.dataset.transform = T.Compose([
        T.Resize(SIZE_HW),
        T.RandomHorizontalFlip(0.5),
        T.Pad(5),
        T.RandomCrop(SIZE_HW),
        T.ToTensor(),
        T.Normalize(MEAN, STD),
        T.RandomErasing(p=0.5, scale=(0.02, 0.4), ratio=(0.3, 3.33)),
    ])
    model = torchreid.models.build_model('resnet50',
                                         num_classes=dm.num_train_pids,
                                         loss='triplet',
                                         pretrained=False)
    optimizer = torchreid.optim.build_optimizer(model,
                                                optim='adam',
                                                lr=LR,
                                                weight_decay=WEIGHT_DECAY)
    step_ends, step_usage = [], []

    class Done(Exception):
        pass

    total = args.epochs * len(dm.train_loader)

    class Engine(torchreid.engine.ImageTripletEngine):

        def forward_backward(self, data):
            summary = super().forward_backward(data)
            step_ends.append(time.time())
            step_usage.append(usage())
            if len(step_ends) == total:
                raise Done
            return summary

    # a constant lr (torchreid's engine saves a scheduler state)
    scheduler = torchreid.optim.build_lr_scheduler(
        optimizer, lr_scheduler='single_step', stepsize=10**6)
    engine = Engine(dm, model, optimizer, margin=0.3, weight_t=1.,
                    weight_x=1., scheduler=scheduler, use_gpu=False,
                    label_smooth=True)
    try:
        engine.run(save_dir=tempfile.mkdtemp(prefix='train_speed_trd_'),
                   max_epoch=args.epochs, print_freq=10, eval_freq=-1)
    except Done:
        pass
    write_steps(out, step_ends, launch, step_usage)


# ------------------------------------------------------------- the parent --
def run_way(way: str, args) -> Dict:
    """Run one way in a fresh process; return its step records."""
    fd, out = tempfile.mkstemp(suffix=f'_{way}.json')
    os.close(fd)
    cmd = [
        sys.executable, osp.abspath(__file__), '--child', way, '--out', out,
        '--launch', repr(time.time()), '--mmreid-root', args.mmreid_root,
        '--data-root', args.data_root, '--epochs', str(args.epochs)
    ]
    if args.quiet:
        cmd.append('--quiet')
    if args.cfg_options:
        cmd += ['--cfg-options', *args.cfg_options]
    subprocess.run(cmd, check=True, env=tool_env(args.mmreid_root),
                   stdout=subprocess.DEVNULL if args.quiet else None)
    with open(out) as f:
        res = json.load(f)
    os.remove(out)
    return res


def summarise(res: Dict, warmup: int) -> Dict:
    ends = res['step_ends']
    steps = [b - a for a, b in zip(ends[warmup:], ends[warmup + 1:])]
    step = statistics.median(steps)
    # per step after warm-up: main-process CPU seconds, minor page faults,
    # involuntary context switches (means)
    use = res['usage']
    n = len(use) - 1 - warmup
    cpu, faults, switches = ((use[-1][i] - use[warmup][i]) / n
                             for i in range(3))
    return dict(step=step,
                cpu=cpu,
                faults=faults,
                switches=switches,
                ips=BATCH / step,
                launch=ends[0] - res['launch'],
                total=ends[-1] - res['launch'],
                steps=len(ends),
                rss=res['peak_rss_kib'] / 2**20,
                threads=res['torch_threads'])


def ensure_data(data_root: str, mmreid_root: str) -> None:
    if osp.isdir(osp.join(data_root, 'bounding_box_train')):
        return
    subprocess.run([
        sys.executable,
        osp.join(mmreid_root, 'tools/misc/make_demo_dataset.py'), data_root
    ],
                   check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--ways', nargs='+', choices=WAYS, default=WAYS)
    parser.add_argument('--rounds', type=int, default=2)
    parser.add_argument('--epochs', type=int, default=2)
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument('--mmreid-root', default=REPO,
                        help='the mmreid checkout to measure (its '
                        'tools/train.py, configs and package)')
    parser.add_argument('--data-root', default=osp.join(REPO, 'data/demo'))
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='overrides of the runner / bare config')
    parser.add_argument('--json', help='also write the results here')
    parser.add_argument('--quiet', action='store_true',
                        help="hide the children's training logs")
    parser.add_argument('--child', choices=WAYS, help=argparse.SUPPRESS)
    parser.add_argument('--out', help=argparse.SUPPRESS)
    parser.add_argument('--launch', type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.mmreid_root = osp.abspath(args.mmreid_root)
    args.data_root = osp.abspath(args.data_root)
    if args.child == 'runner':
        return child_runner(args, args.out)
    if args.child == 'bare':
        return child_bare(args, args.out, args.launch)
    if args.child == 'torchreid':
        return child_torchreid(args, args.out, args.launch)

    ensure_data(args.data_root, args.mmreid_root)
    results: Dict[str, List[Dict]] = {w: [] for w in args.ways}
    for r in range(args.rounds):
        order = list(args.ways) if r % 2 == 0 else list(args.ways)[::-1]
        for way in order:
            print(f'round {r + 1}/{args.rounds}: {way} ...', flush=True)
            res = summarise(run_way(way, args), args.warmup)
            results[way].append(res)
            print(f'  step {res["step"]:.3f} s, launch '
                  f'{res["launch"]:.1f} s, total {res["total"]:.1f} s '
                  f'({res["steps"]} steps); per step: CPU '
                  f'{res["cpu"]:.3f} s, {res["faults"]:.0f} minor faults, '
                  f'{res["switches"]:.0f} involuntary switches', flush=True)

    def med(way, key):
        return statistics.median(r[key] for r in results[way])

    print(f'\n{args.epochs} epochs of the demo set, {BATCH} images / step, '
          f'{SIZE_HW[0]} x {SIZE_HW[1]}, ResNet-50 (last stride 2), '
          f'{args.rounds} round(s), medians; mmreid at {args.mmreid_root}; '
          f'load average before: {os.getloadavg()[0]:.2f}')
    head = ('| way | step (s) | images/s | launch to 1st step end (s) | '
            'total (s) | steps | peak RSS (GiB) | torch threads | '
            'CPU s / step | minor faults / step |')
    print(head)
    print('|' + '---|' * 10)
    for way in args.ways:
        print(f'| {way} | {med(way, "step"):.3f} | {med(way, "ips"):.1f} | '
              f'{med(way, "launch"):.1f} | {med(way, "total"):.1f} | '
              f'{results[way][0]["steps"]} | {med(way, "rss"):.2f} | '
              f'{results[way][0]["threads"]} | {med(way, "cpu"):.3f} | '
              f'{med(way, "faults"):.0f} |')
    if 'runner' in results:
        for other in [w for w in args.ways if w != 'runner']:
            print(f'runner / {other}: step x'
                  f'{med("runner", "step") / med(other, "step"):.3f}, '
                  f'launch x'
                  f'{med("runner", "launch") / med(other, "launch"):.2f}')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
