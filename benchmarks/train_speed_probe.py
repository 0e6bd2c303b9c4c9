# Copyright (c) mmreid contributors. All rights reserved.
"""A hook that records when each training / test step ends (for
``train_speed.py`` and ``extract_speed.py``).

The benchmarks add it to the config they give ``tools/train.py`` /
``tools/test.py`` (``custom_imports`` of this module, with ``benchmarks/``
on ``PYTHONPATH``). It is the last hook of every step, so the time between
two records is everything the Runner does per step: waiting for the batch,
the data preprocessor, forward (loss, backward, the optimizer), the
metric's ``process`` and every other hook. At the end of training (or of
the test epoch, before the metric is computed) it writes the records and
the process's peak resident set size to ``out_file`` (JSON).

Example:
    >>> hook = StepTimeProbeHook(out_file='steps.json')
    >>> hook.priority
    'LOWEST'
"""
import json
import resource
import time

import torch
from mmengine.hooks import Hook
from mmengine.registry import HOOKS


def usage() -> list:
    """This process's (main thread and its intra-op threads) CPU seconds,
    minor page faults and involuntary context switches so far:
    ``[user + system, minflt, nivcsw]``."""
    u = resource.getrusage(resource.RUSAGE_SELF)
    return [u.ru_utime + u.ru_stime, u.ru_minflt, u.ru_nivcsw]


def peak_rss_kib() -> int:
    """This process's peak resident set size in KiB (Linux ``VmHWM``)."""
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1])
    return -1


@HOOKS.register_module(force=True)
class StepTimeProbeHook(Hook):
    """Record the wall-clock end of every training step.

    Args:
        out_file (str): Where to write ``{"step_ends": [...],
            "usage": [...], "peak_rss_kib": ..., "torch_threads": ...}``
            (``usage``: :func:`usage` at every step end).
    """

    priority = 'LOWEST'

    def __init__(self, out_file: str) -> None:
        self.out_file = out_file
        self.step_ends = []
        self.usage = []

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        self.step_ends.append(time.time())
        self.usage.append(usage())

    def before_test_epoch(self, runner) -> None:
        self.test_start = time.time()

    def after_test_iter(self, runner, batch_idx, data_batch=None,
                        outputs=None) -> None:
        self.step_ends.append(time.time())
        self.num_images = getattr(self, 'num_images', 0) + len(outputs)

    def after_train(self, runner) -> None:
        self._write()

    def after_test_epoch(self, runner, metrics=None) -> None:
        self._write(test_start=self.test_start, num_images=self.num_images)

    def _write(self, **extra) -> None:
        with open(self.out_file, 'w') as f:
            json.dump(
                dict(step_ends=self.step_ends,
                     usage=self.usage,
                     peak_rss_kib=peak_rss_kib(),
                     torch_threads=torch.get_num_threads(),
                     **extra), f)
