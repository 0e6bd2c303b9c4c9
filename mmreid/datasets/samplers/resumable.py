# Copyright (c) mmreid contributors. All rights reserved.
"""What makes a training sampler resumable mid-epoch and worker-independent.

:class:`ResumableSamplerMixin` gives a sampler two things:

- :meth:`~ResumableSamplerMixin.skip`: the next epoch iteration starts at
  a given position (a resumed run skips what the killed run trained on,
  without loading those images);
- seeded items: every index it yields carries a seed of its own (see
  :mod:`mmreid.datasets.sample_rng`), so the augmentation of a sample does
  not depend on the number of workers nor on what was skipped.

The sampler's ``__iter__`` builds this rank's items of the current epoch
(a deterministic function of its seed and epoch) and returns
``self.seeded_iter(items)``.
"""
from typing import Iterator, List

from ..sample_rng import SampleIndex, sample_seeds, with_seed


class ResumableSamplerMixin:
    """Skip the start of an epoch; give each item its own seed.

    A class using it has ``seed``, ``epoch`` and ``rank`` attributes (the
    identity samplers and the pair sampler do).

    Examples:
        >>> from torch.utils.data import Sampler
        >>> class Toy(ResumableSamplerMixin, Sampler):
        ...     seed, epoch, rank = 0, 0, 0
        ...     def __iter__(self):
        ...         return self.seeded_iter([5, 6, 7, 8])
        ...     def __len__(self):
        ...         return 4
        >>> s = Toy()
        >>> full = list(s)
        >>> s.skip(2)
        >>> rest = list(s)
        >>> rest == full[2:], [i.seed for i in rest] == [
        ...     i.seed for i in full[2:]]
        (True, True)
        >>> len(list(s))  # skip applies to one epoch iteration only
        4
    """

    _skip = 0

    def skip(self, num_items: int) -> None:
        """Start the next iteration over this epoch at ``num_items``.

        Args:
            num_items (int): Items of this rank's epoch to leave out (the
                iterations done times the per-rank batch size).
        """
        if num_items < 0:
            raise ValueError(f'{type(self).__name__}.skip: num_items must '
                             f'be >= 0, got {num_items}')
        self._skip = int(num_items)

    def seeded_iter(self, items: List[SampleIndex]) -> Iterator[SampleIndex]:
        """Iterate over ``items`` from the skip position, each seeded.

        Args:
            items (list): This rank's items of the epoch, in order.

        Returns:
            Iterator: Seeded items; the skip is consumed.
        """
        start, self._skip = self._skip, 0
        if start > len(items):
            raise ValueError(
                f'{type(self).__name__}: cannot skip {start} items of an '
                f'epoch of {len(items)} (resuming with another batch size '
                'or dataset?)')
        seeds = sample_seeds(self.seed, self.epoch, self.rank, start,
                             len(items))
        return iter([
            with_seed(items[p], int(s))
            for p, s in zip(range(start, len(items)), seeds)
        ])
