# Copyright (c) mmreid contributors. All rights reserved.
"""Training loops that resume exactly in the middle of an epoch.

MMEngine's ``EpochBasedTrainLoop`` restarts the epoch of a checkpoint
saved in its middle (``CheckpointHook(by_epoch=False, interval=...)``), so
the iterations done before a kill are trained twice; its
``IterBasedTrainLoop`` loads and drops every batch trained before. Neither
restores the model's own randomness (dropout, a GAN's noise). The two
loops here

1. continue where the checkpoint left off: the sampler
   (:class:`~mmreid.datasets.samplers.ResumableSamplerMixin`) skips the
   ``iterations done x batch size`` items of the epoch this rank already
   trained on, without loading them (:func:`skip_trained`);
2. reseed Python's, NumPy's and torch's global generators before every
   step from ``(seed, rank, iteration)`` (:func:`step_seed`), so the
   randomness of the model after a resume is what it would have been,
   with no generator state in the checkpoint.

With the samplers' per-sample seeds (data augmentation independent of the
workers and of what was skipped; :mod:`mmreid.datasets.sample_rng`), a run
killed and resumed ends with the same weights as an uninterrupted one with
the same seed, and ``num_workers`` does not change the result.
"""
import logging
import random
from typing import Iterator, Optional, Sequence

import numpy as np
import torch
from mmengine.dist import get_dist_info
from mmengine.logging import print_log
from mmengine.runner import EpochBasedTrainLoop, IterBasedTrainLoop

from mmreid.registry import LOOPS


def step_seed(seed: int, rank: int, step: int) -> int:
    """The seed of training step ``step`` on ``rank``.

    Args:
        seed (int): The run's seed (``randomness.seed``).
        rank (int): The process rank.
        step (int): The global iteration.

    Returns:
        int: A seed in ``[0, 2**32)``.

    Examples:
        >>> step_seed(0, 0, 5) == step_seed(0, 0, 5) != step_seed(0, 1, 5)
        True
    """
    return int(
        np.random.SeedSequence([int(seed), int(rank),
                                int(step)]).generate_state(1)[0])


def reseed_step(runner, step: int) -> None:
    """Seed the global generators for training step ``step``.

    Args:
        runner (Runner): The runner (its ``seed``).
        step (int): The global iteration about to run.
    """
    seed = step_seed(runner.seed or 0, get_dist_info()[0], step)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def skip_trained(dataloader, epoch: int, done: int) -> Iterator:
    """An iterator over ``dataloader`` starting after ``done`` batches.

    A sampler with ``skip`` leaves those samples out (nothing is loaded);
    any other sampler gets the batches loaded and dropped, with a warning
    (its augmentation of the rest may then differ from the uninterrupted
    run).

    Args:
        dataloader (DataLoader): The training loader, its sampler already
            set to ``epoch``.
        epoch (int): The epoch, for the log.
        done (int): Batches of the epoch trained before the resume.

    Returns:
        Iterator: The epoch's remaining batches.
    """
    sampler = dataloader.sampler
    per_batch = dataloader.batch_size
    if hasattr(sampler, 'skip'):
        sampler.skip(done * per_batch)
        print_log(
            f'Resuming epoch {epoch} at iteration {done} of '
            f'{len(dataloader)}: {type(sampler).__name__} skips the '
            f'{done * per_batch} samples already trained on',
            logger='current')
        return iter(dataloader)
    print_log(
        f'{type(sampler).__name__} cannot skip samples: loading and '
        f'dropping the {done} batches of epoch {epoch} trained before the '
        'resume',
        logger='current',
        level=logging.WARNING)
    batches = iter(dataloader)
    for _ in range(done):
        next(batches)
    return batches


def _check_position(done: int, length: int, it: int) -> None:
    if not 0 <= done <= length:
        raise RuntimeError(
            f'resumed at iteration {it}, but the training dataloader has '
            f'{length} iterations per epoch: the checkpoint comes from a run '
            'with another dataset, batch size or number of processes')


@LOOPS.register_module()
class ResumableEpochBasedTrainLoop(EpochBasedTrainLoop):
    """MMEngine's ``EpochBasedTrainLoop``, resumable exactly mid-epoch.

    See the module doc for what it adds. Arguments are MMEngine's, plus
    ``seed_steps``.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): The training dataloader.
        max_epochs (int): Epochs to train.
        val_begin (int): The epoch from which to validate. Defaults to 1.
        val_interval (int): Validate every this many epochs. Defaults to 1.
        dynamic_intervals (list, optional): MMEngine's dynamic intervals.
        seed_steps (bool): Reseed the global generators before every step
            (:func:`reseed_step`). Defaults to True.

    Examples:
        >>> train_cfg = dict(type='ResumableEpochBasedTrainLoop',
        ...                  max_epochs=16, val_interval=8)
        >>> # a checkpoint every 100 iterations to resume from
        >>> default_hooks = dict(checkpoint=dict(
        ...     type='CheckpointHook', by_epoch=False, interval=100))
    """

    def __init__(self,
                 runner,
                 dataloader,
                 max_epochs: int,
                 val_begin: int = 1,
                 val_interval: int = 1,
                 dynamic_intervals: Optional[Sequence] = None,
                 seed_steps: bool = True) -> None:
        super().__init__(runner, dataloader, max_epochs, val_begin,
                         val_interval, dynamic_intervals)
        self.seed_steps = seed_steps

    def run_epoch(self) -> None:
        """Iterate over the rest of the current epoch (all of it unless
        resumed in its middle)."""
        self.runner.call_hook('before_train_epoch')
        self.runner.model.train()
        length = len(self.dataloader)
        done = self._iter - self._epoch * length
        _check_position(done, length, self._iter)
        batches = (
            skip_trained(self.dataloader, self._epoch, done)
            if done else self.dataloader)
        for idx, data_batch in enumerate(batches, start=done):
            self.run_iter(idx, data_batch)
        self.runner.call_hook('after_train_epoch')
        self._epoch += 1

    def run_iter(self, idx, data_batch) -> None:
        """Reseed the global generators for this step, then train on it."""
        if self.seed_steps:
            reseed_step(self.runner, self._iter)
        super().run_iter(idx, data_batch)


@LOOPS.register_module()
class ResumableIterBasedTrainLoop(IterBasedTrainLoop):
    """MMEngine's ``IterBasedTrainLoop``, resumable without reloading.

    The dataloader is cycled epoch after epoch (MMEngine's infinite
    iterator, ``set_epoch`` at every restart). On resume, instead of
    loading and dropping every batch trained before, it sets the sampler
    to the checkpoint's epoch and skips the part of it already trained
    (:func:`skip_trained`); it reseeds the global generators before every
    step (:func:`reseed_step`).

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): The training dataloader.
        max_iters (int): Iterations to train.
        val_begin (int): The iteration from which to validate.
            Defaults to 1.
        val_interval (int): Validate every this many iterations.
            Defaults to 1000.
        dynamic_intervals (list, optional): MMEngine's dynamic intervals.
        seed_steps (bool): Reseed the global generators before every step.
            Defaults to True.

    Examples:
        >>> train_cfg = dict(type='ResumableIterBasedTrainLoop',
        ...                  max_iters=900, val_interval=900)
    """

    def __init__(self,
                 runner,
                 dataloader,
                 max_iters: int,
                 val_begin: int = 1,
                 val_interval: int = 1000,
                 dynamic_intervals: Optional[Sequence] = None,
                 seed_steps: bool = True) -> None:
        super().__init__(runner, dataloader, max_iters, val_begin,
                         val_interval, dynamic_intervals)
        self.seed_steps = seed_steps

    def run(self) -> torch.nn.Module:
        """Train; on resume, fast-forward the data first (no reloading)."""
        if self._iter == 0 or not hasattr(self.dataloader.sampler, 'skip'):
            return super().run()
        self.runner.call_hook('before_train')
        self.runner.call_hook('before_train_epoch')
        # after the hooks (DistSamplerSeedHook sets the epoch of the loop,
        # always 0 here): the epoch of the cycled dataloader and its part
        # already trained
        epoch, done = divmod(self._iter, len(self.dataloader))
        self.dataloader.sampler.set_epoch(epoch)
        self.dataloader_iterator._epoch = epoch
        self.dataloader_iterator._iterator = skip_trained(
            self.dataloader, epoch, done)
        while self._iter < self._max_iters and not self.stop_training:
            self.runner.model.train()
            data_batch = next(self.dataloader_iterator)
            self.run_iter(data_batch)
            self._decide_current_val_interval()
            if (self.runner.val_loop is not None
                    and self._iter >= self.val_begin
                    and (self._iter % self.val_interval == 0
                         or self._iter == self._max_iters)):
                self.runner.val_loop.run()
        self.runner.call_hook('after_train_epoch')
        self.runner.call_hook('after_train')
        return self.runner.model

    def run_iter(self, data_batch) -> None:
        """Reseed the global generators for this step, then train on it."""
        if self.seed_steps:
            reseed_step(self.runner, self._iter)
        super().run_iter(data_batch)
