# Copyright (c) mmreid contributors. All rights reserved.
"""Evaluate a re-ID checkpoint on a config's test set."""
import argparse
import os
import os.path as osp

from mmengine.config import Config, DictAction
from mmengine.evaluator import DumpResults
from mmengine.runner import Runner

from mmreid.datasets.config_datasets import load_config


def parse_args():
    parser = argparse.ArgumentParser(description='Test a re-ID model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument(
        'checkpoint',
        nargs='?',
        default=None,
        help='checkpoint file; without it the model is evaluated as its '
        'init_cfg initialises it (e.g. ImageNet-only or untrained features)')
    parser.add_argument('--work-dir', help='the dir to save logs')
    parser.add_argument(
        '--out',
        help='dump the predictions (features, pids, cameras, image paths) '
        'to a pickle file, e.g. for tools/analysis_tools/visualize_ranks.py')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override some settings in the used config, the key-value pair '
        'in xxx=yyy format will be merged into config file.')
    parser.add_argument(
        '--amp', action='store_true', help='enable mixed-precision testing')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Merge the command-line arguments into the config."""
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    cfg.load_from = args.checkpoint
    cfg.resume = False
    if args.amp:
        cfg.test_cfg.fp16 = True
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


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
    if args.checkpoint is None:
        from mmreid.models.utils import unwrap_model
        unwrap_model(runner.model).init_weights()
    if args.out:
        assert args.out.endswith(('.pkl', '.pickle')), \
            'The dump file must be a pkl file.'
        runner.test_evaluator.metrics.append(
            DumpResults(out_file_path=args.out))
    runner.test()


if __name__ == '__main__':
    main()
