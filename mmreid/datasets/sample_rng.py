# Copyright (c) mmreid contributors. All rights reserved.
"""Per-sample random seeds, so augmentation does not depend on workers.

A training sampler that mixes in
:class:`~mmreid.datasets.samplers.ResumableSamplerMixin` yields its
indices as :class:`SeededIndex` (an ``int``) or :class:`SeededPair` (a
``tuple``) carrying a seed drawn from ``(sampler seed, epoch, rank,
position in the epoch)``. The datasets load each item inside
:func:`sample_rng`, which seeds Python's ``random``, NumPy's global
generator and torch's CPU generator with that seed and restores their
previous states afterwards. So the random augmentation an image receives
depends only on the seed, the epoch and its place in the epoch:

- not on ``num_workers`` nor on which worker loads it (the same batches
  with 0 or 2 workers);
- not on what was loaded before it, so a resumed run that skips the first
  part of an epoch (:class:`~mmreid.engine.ResumableEpochBasedTrainLoop`)
  loads the rest exactly as the uninterrupted run did;
- and loading does not disturb the main process's generators when
  ``num_workers=0``.

A plain ``int`` index (validation, or a sampler without the mixin) is
loaded with the generators as they are.
"""
import contextlib
import random
from typing import Iterator, Optional, Sequence, Union

import numpy as np
import torch


class SeededIndex(int):
    """A dataset index carrying the random seed of its sample.

    It is an ``int`` everywhere (arithmetic, ``list[idx]``, MMEngine's
    ``get_data_info``); :func:`sample_rng` reads its ``seed``.

    Args:
        value (int): The index.
        seed (int): The sample's seed, in ``[0, 2**32)``.

    Examples:
        >>> import pickle
        >>> i = SeededIndex(7, seed=123)
        >>> i + 1, [10, 11, 12, 13, 14, 15, 16, 17][i]
        (8, 17)
        >>> j = pickle.loads(pickle.dumps(i))  # through a worker queue
        >>> int(j), j.seed
        (7, 123)
    """

    def __new__(cls, value: int, seed: int) -> 'SeededIndex':
        obj = super().__new__(cls, value)
        obj.seed = int(seed)
        return obj

    def __reduce__(self):
        return SeededIndex, (int(self), self.seed)


class SeededPair(tuple):
    """A tuple index (a pair of images, ...) carrying its sample's seed.

    Args:
        items (Sequence[int]): The indices, e.g. ``(i, j)``.
        seed (int): The sample's seed, in ``[0, 2**32)``.

    Examples:
        >>> import pickle
        >>> p = pickle.loads(pickle.dumps(SeededPair((3, 5), seed=9)))
        >>> tuple(p), p.seed, isinstance(p, tuple)
        ((3, 5), 9, True)
    """

    def __new__(cls, items: Sequence[int], seed: int) -> 'SeededPair':
        obj = super().__new__(cls, items)
        obj.seed = int(seed)
        return obj

    def __reduce__(self):
        return SeededPair, (tuple(self), self.seed)


SampleIndex = Union[int, Sequence[int]]


def with_seed(index: SampleIndex, seed: int) -> SampleIndex:
    """Attach ``seed`` to an ``int`` or tuple index.

    Args:
        index (int | Sequence[int]): A sampler item.
        seed (int): Its seed.

    Returns:
        SeededIndex | SeededPair: The same index, seeded.

    Examples:
        >>> with_seed(4, 1).seed, with_seed((1, 2), 3)
        (1, (1, 2))
    """
    if isinstance(index, (tuple, list)):
        return SeededPair(index, seed)
    return SeededIndex(index, seed)


def sample_seeds(base_seed: int, epoch: int, rank: int, start: int,
                 stop: int) -> np.ndarray:
    """The seeds of the samples ``start .. stop-1`` of an epoch on a rank.

    One NumPy generator per ``(base_seed, epoch, rank)`` draws the seeds of
    every position of the epoch in order, so skipping the first ``start``
    positions gives the same seeds for the rest.

    Args:
        base_seed (int): The sampler's seed.
        epoch (int): The epoch.
        rank (int): The process rank.
        start (int): The first position wanted.
        stop (int): One past the last position.

    Returns:
        np.ndarray: ``stop - start`` seeds (uint32).

    Examples:
        >>> full = sample_seeds(0, 2, 0, 0, 10)
        >>> bool((sample_seeds(0, 2, 0, 4, 10) == full[4:]).all())
        True
        >>> bool((sample_seeds(0, 3, 0, 0, 10) == full).all())
        False
    """
    rng = np.random.default_rng([int(base_seed), int(epoch), int(rank)])
    seeds = rng.integers(0, 2**32, size=stop, dtype=np.uint32)
    return seeds[start:stop]


@contextlib.contextmanager
def sample_rng(index: SampleIndex,
               seed: Optional[int] = None) -> Iterator[None]:
    """Load one sample with its own seed (see the module doc).

    Inside the block Python's ``random``, NumPy's global generator and
    torch's CPU generator are seeded with ``seed`` (default: the index's
    ``seed``); on exit their previous states are restored. Without a seed
    the block runs with the generators untouched. CUDA generators are not
    touched (transforms run on the CPU).

    Args:
        index (int | Sequence[int]): The sampler's item.
        seed (int, optional): Overrides the index's seed.

    Examples:
        >>> import random
        >>> random.seed(0); before = random.random(); random.seed(0)
        >>> with sample_rng(SeededIndex(1, seed=5)):
        ...     a = random.random()
        >>> with sample_rng(SeededIndex(2, seed=5)):
        ...     b = random.random()
        >>> a == b, random.random() == before  # outer stream untouched
        (True, True)
    """
    if seed is None:
        seed = getattr(index, 'seed', None)
    if seed is None:
        yield
        return
    py_state = random.getstate()
    np_state = np.random.get_state()
    torch_state = torch.get_rng_state()
    try:
        random.seed(seed)
        np.random.seed(seed)
        torch.default_generator.manual_seed(seed)
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
        torch.set_rng_state(torch_state)
