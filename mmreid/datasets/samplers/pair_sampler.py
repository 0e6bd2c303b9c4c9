# Copyright (c) mmreid contributors. All rights reserved.
"""The sampler of :class:`~mmreid.datasets.PairDataset` (IDLA, FD-GAN).

:class:`PairSampler` asks the pair dataset for the pairs of the current
epoch (:meth:`PairDataset.draw_pairs`), shuffles them and yields ``(i, j)``
index tuples, which the dataset loads. The draw happens in the main
process at the start of every epoch (:meth:`PairSampler.set_epoch`, called
by MMEngine's ``DistSamplerSeedHook``), so it stays correct with
persistent workers. Like the identity samplers it can skip the start of
an epoch and seeds every pair (:class:`ResumableSamplerMixin`).
"""
import math
from typing import TYPE_CHECKING, Iterator, Optional, Tuple

import numpy as np
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import Sampler

from mmreid.registry import DATA_SAMPLERS
from .resumable import ResumableSamplerMixin

if TYPE_CHECKING:  # for the annotation only
    from ..pair_dataset import PairDataset

Pair = Tuple[int, int]


@DATA_SAMPLERS.register_module()
class PairSampler(ResumableSamplerMixin, Sampler):
    """Draw a :class:`~mmreid.datasets.PairDataset`'s pairs anew every
    epoch and shuffle them.

    Every rank builds the same epoch list from ``seed + epoch``
    (:meth:`~mmreid.datasets.PairDataset.draw_pairs`), shuffles it, pads
    it (by repeating its start) to a multiple of the world size and takes
    its contiguous share. It yields ``(i, j)`` tuples, which the dataset loads.

    Args:
        dataset (PairDataset): The pair dataset (any object with
            ``draw_pairs(epoch, seed)`` and ``__len__``).
        shuffle (bool): Shuffle the epoch's pairs. Defaults to True.
        seed (int, optional): Same on all ranks; None draws one on rank 0
            and broadcasts it. Defaults to None.

    Examples:
        >>> from mmreid.testing import make_market_tree
        >>> from mmreid.datasets import Market1501, PairDataset
        >>> import tempfile
        >>> root = make_market_tree(tempfile.mkdtemp())
        >>> ds = PairDataset(Market1501(data_root=root))
        >>> sampler = PairSampler(ds, seed=0)
        >>> len(sampler), len(list(sampler))
        (6, 6)
    """

    def __init__(self,
                 dataset: 'PairDataset',
                 shuffle: bool = True,
                 seed: Optional[int] = None) -> None:
        if not hasattr(dataset, 'draw_pairs'):
            raise TypeError('PairSampler needs a PairDataset (an object '
                            'with draw_pairs(epoch, seed)), got '
                            f'{type(dataset).__name__}')
        self.dataset = dataset
        self.shuffle = shuffle
        self.rank, self.world_size = get_dist_info()
        self.seed = sync_random_seed() if seed is None else int(seed)
        self.epoch = 0
        self.num_samples = math.ceil(len(dataset) / self.world_size)

    def __iter__(self) -> Iterator[Pair]:
        pairs = self.dataset.draw_pairs(self.epoch, self.seed)
        order = np.arange(len(pairs))
        if self.shuffle:
            order = np.random.default_rng([self.seed, self.epoch,
                                           1]).permutation(len(pairs))
        total = self.num_samples * self.world_size
        order = np.resize(order, total)
        mine = order[self.rank * self.num_samples:(self.rank + 1) *
                     self.num_samples]
        return self.seeded_iter([pairs[k] for k in mine])

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Set the epoch: re-draws the negatives and reshuffles.

        Args:
            epoch (int): The epoch number.
        """
        self.epoch = epoch
