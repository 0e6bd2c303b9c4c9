# Copyright (c) mmreid contributors. All rights reserved.
"""Train (and evaluate) a re-ID model from a config."""
import argparse
import os
import os.path as osp
from typing import Optional

from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from mmreid.datasets.config_datasets import load_config


def parse_args():
    parser = argparse.ArgumentParser(description='Train a re-ID model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='If specify checkpoint path, resume from it, while if not '
        'specify, try to auto resume from the latest checkpoint '
        'in the work directory.')
    parser.add_argument('--amp',
                        action='store_true',
                        help='enable automatic-mixed-precision training')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='whether not to evaluate the checkpoint during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='whether to auto scale the learning rate according to the '
        'actual batch size and the original batch size.')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override some settings in the used config, the key-value pair '
        'in xxx=yyy format will be merged into config file. If the value to '
        'be overwritten is a list, it should be like key="[a,b]" or key=a,b '
        'It also allows nested list/tuple values, e.g. key="[(a,b),(c,d)]" '
        'Note that the quotation marks are necessary and that no white space '
        'is allowed.')
    parser.add_argument('--launcher',
                        choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none',
                        help='job launcher')
    # torch >= 2 passes `--local-rank`; older launchers `--local_rank`.
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Merge the command-line arguments into the config."""
    cfg.launcher = args.launcher
    # work_dir priority: CLI > config > ./work_dirs/<config stem>
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.amp:
        enable_amp(cfg.optim_wrapper)
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


def enable_amp(optim_wrapper, accelerator: Optional[bool] = None) -> None:
    """Switch an optimizer wrapper config to mixed precision in place.

    With a GPU (or another accelerator MMEngine supports) it becomes
    MMEngine's ``AmpOptimWrapper`` (float16 autocast, dynamic loss
    scaling); on a CPU-only machine, where that wrapper is refused,
    :class:`~mmreid.engine.BF16OptimWrapper` (bfloat16 autocast, no loss
    scaling needed). Multi-optimizer configs (GANs: ``constructor=
    'MultiOptimWrapperConstructor'`` with one wrapper per sub-network) get
    it on every sub-wrapper, as mmagic's ``tools/train.py`` does.

    Args:
        optim_wrapper (dict): The ``optim_wrapper`` config.
        accelerator (bool, optional): Whether training runs on an
            accelerator. Defaults to None: ``get_device() != 'cpu'``.
    """
    if accelerator is None:
        from mmengine.device import get_device
        accelerator = get_device() != 'cpu'
    subs = [
        v for v in optim_wrapper.values()
        if isinstance(v, dict) and 'optimizer' in v
    ]
    targets = subs if 'optimizer' not in optim_wrapper else [optim_wrapper]
    for wrapper in targets:
        kind = wrapper.get('type', 'OptimWrapper')
        assert kind in ['OptimWrapper', 'AmpOptimWrapper',
                        'BF16OptimWrapper'], \
            '`--amp` is not supported for custom optimizer wrapper type ' \
            f'`{kind}`.'
        if accelerator:
            wrapper['type'] = 'AmpOptimWrapper'
            wrapper.setdefault('loss_scale', 'dynamic')
        else:
            wrapper['type'] = 'BF16OptimWrapper'
            wrapper.pop('loss_scale', None)


def main():
    args = parse_args()
    # a path, or `mmreid::<method>/<config>.py` of an installed mmreid
    cfg = load_config(args.config)
    cfg = merge_args(cfg, args)
    if 'runner_type' not in cfg:
        runner = Runner.from_cfg(cfg)
    else:
        from mmreid.registry import RUNNERS
        runner = RUNNERS.build(cfg)
    runner.train()


if __name__ == '__main__':
    main()
