# Copyright (c) mmreid contributors. All rights reserved.
"""Hooks that make a training run fail on purpose (resume and DDP tests).

Loaded into a run with ``custom_imports=dict(imports=[
'tests.test_engine.fault_hooks'])`` and ``custom_hooks=[dict(
type='KillAtIterHook', at_iter=N)]`` (after iteration ``N``, 1-based, and
its checkpoint, the process dies as from ``kill -9``: no clean-up, no
``after_train`` hooks, nothing flushed) or ``dict(type='FailOnRankHook',
rank=1, at_iter=N)`` (an exception on one rank of a distributed run).
"""
import os
import signal

from mmengine.dist import get_rank
from mmengine.hooks import Hook

from mmreid.registry import HOOKS


@HOOKS.register_module()
class KillAtIterHook(Hook):
    """SIGKILL the process after iteration ``at_iter`` (1-based).

    Args:
        at_iter (int): The iteration after which to die.
    """

    priority = 'LOWEST'  # after CheckpointHook (VERY_LOW) saved

    def __init__(self, at_iter: int) -> None:
        self.at_iter = at_iter

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.at_iter:
            os.kill(os.getpid(), signal.SIGKILL)


@HOOKS.register_module()
class FailOnRankHook(Hook):
    """Raise ``RuntimeError`` on one rank before iteration ``at_iter``.

    Args:
        rank (int): The rank that fails.
        at_iter (int): The iteration (1-based) it fails before.
    """

    def __init__(self, rank: int, at_iter: int) -> None:
        self.rank = rank
        self.at_iter = at_iter

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if get_rank() == self.rank and runner.iter + 1 == self.at_iter:
            raise RuntimeError(f'deliberate failure on rank {self.rank} '
                               f'before iteration {self.at_iter}')


@HOOKS.register_module()
class RecordBatchesHook(Hook):
    """Write the sample keys of every training batch of this rank to
    ``<work_dir>/batches_rank<r>.json`` at the end of training.

    A sample's key is its ``pair_idx`` (pairs) or ``img_path``.
    """

    def __init__(self) -> None:
        self.batches = []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        keys = []
        for sample in data_batch['data_samples']:
            pair = sample.metainfo.get('pair_idx')
            keys.append(list(pair) if pair is not None else
                        sample.metainfo['img_path'])
        self.batches.append(dict(epoch=runner.epoch, iter=runner.iter,
                                 keys=keys))

    def after_train(self, runner):
        import json
        path = os.path.join(runner.work_dir,
                            f'batches_rank{get_rank()}.json')
        with open(path, 'w') as f:
            json.dump(self.batches, f)
