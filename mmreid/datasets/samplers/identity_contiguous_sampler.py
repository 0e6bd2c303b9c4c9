# Copyright (c) mmreid contributors. All rights reserved.
"""Identity-contiguous sampler of DPL and PABR (the "Caffe sampler")."""
from typing import Iterator, Optional, Sized

import numpy as np

from mmreid.registry import DATA_SAMPLERS
from .identity_sampler import BaseIdentitySampler


@DATA_SAMPLERS.register_module()
class IdentityContiguousSampler(BaseIdentitySampler):
    """Emit all images of each identity consecutively, identities shuffled.

    Each epoch the identity list is shuffled (seeded by ``seed + epoch``)
    and the images of each identity are written one after the other, so
    that a batch, a consecutive chunk of the stream, holds complete
    identities except where a batch boundary cuts one. This is the data
    order of

    - PABR (Suh et al., ECCV 2018), whose "Caffe sampler" writes all images
      of every identity consecutively (``max_per_id=None``, batch 250,
      about 14 identities per batch on Market-1501);
    - DPL (Zhao et al., ICCV 2017), which draws identities in order from a
      shuffled list with at most 10 images each (``max_per_id=10``, batch
      300, about 30 identities per batch).

    With ``max_per_id``, an identity with more images contributes a random
    subset of ``max_per_id`` of them, drawn anew each epoch. (DPL's data
    layer takes the *first* ``max_per_id`` images in list order, so the
    other images of an identity are never used; we draw them at random so
    that every image is seen over the epochs.) With ``shuffle=True`` the
    images of an identity are also put in random order; with
    ``shuffle=False`` identities come in label order and images in dataset
    order (the first ``max_per_id`` of them).

    Under DDP every rank builds the same global stream and takes its own
    contiguous share of it (:meth:`BaseIdentitySampler.rank_share` with a
    unit of one index): the shares have exactly equal lengths and together
    cover the stream, padded by repeating it from its start
    (``round_up=True``) or with its tail dropped (``round_up=False``).
    Within a share identities stay contiguous, so each rank's batches are
    consecutive chunks exactly as in one process; only the identities on
    the ``world_size - 1`` share boundaries are split between two ranks.
    (Assigning whole identities to ranks round-robin would keep those few
    identities whole, but ranks would then differ in length by up to one
    identity's images and need per-epoch padding or trimming of their
    own, at a greater cost in repeated or dropped images.)

    Args:
        dataset (Sized): A training dataset; ``get_data_info(i)['label']``
            is read for every sample once, at construction.
        max_per_id (int, optional): At most this many images per identity
            per epoch; None takes all. Defaults to None.
        shuffle (bool): Whether to shuffle identities and images.
            Defaults to True.
        seed (int, optional): Random seed, the same on every rank; None
            draws one and syncs it across ranks. Defaults to None.
        round_up (bool): Pad (True) or trim (False) the stream so that
            every rank gets the same number of indices. Defaults to True.
        rank (int, optional): This process's rank; defaults to
            :func:`mmengine.dist.get_dist_info`. For tests.
        world_size (int, optional): The number of processes; defaults to
            :func:`mmengine.dist.get_dist_info`. For tests.

    Examples:
        >>> class ToyDataset:
        ...     labels = [0, 0, 0, 1, 1, 2, 2, 2, 2]
        ...     def __len__(self):
        ...         return len(self.labels)
        ...     def get_data_info(self, i):
        ...         return dict(label=self.labels[i])
        >>> sampler = IdentityContiguousSampler(
        ...     ToyDataset(), max_per_id=3, seed=0)
        >>> len(sampler)  # 3 + 2 + 3
        8
        >>> labels = [ToyDataset.labels[i] for i in sampler]
        >>> sorted(labels) == [0, 0, 0, 1, 1, 2, 2, 2]
        True
        >>> # DPL on Market-1501: about 30 identities per batch of 300
        >>> train_dataloader = dict(
        ...     batch_size=300,
        ...     sampler=dict(type='IdentityContiguousSampler', max_per_id=10))
    """

    def __init__(self,
                 dataset: Sized,
                 max_per_id: Optional[int] = None,
                 shuffle: bool = True,
                 seed: Optional[int] = None,
                 round_up: bool = True,
                 *,
                 rank: Optional[int] = None,
                 world_size: Optional[int] = None) -> None:
        if max_per_id is not None and max_per_id < 1:
            raise ValueError(f'max_per_id must be >= 1, got {max_per_id}')
        super().__init__(
            dataset,
            shuffle=shuffle,
            seed=seed,
            round_up=round_up,
            rank=rank,
            world_size=world_size)
        self.max_per_id = max_per_id
        self.num_images = sum(
            self._count(len(v)) for v in self.label_to_indices.values())
        self.num_samples = self.num_rank_units(self.num_images)

    def _count(self, n: int) -> int:
        """Images an identity with ``n`` images contributes per epoch."""
        return n if self.max_per_id is None else min(n, self.max_per_id)

    def __iter__(self) -> Iterator[int]:
        """Iterate over this rank's indices for the current epoch."""
        rng = self._rng()
        per_id = list(self.label_to_indices.values())
        id_order = np.arange(len(per_id))
        if self.shuffle:
            id_order = rng.permutation(id_order)
        stream = []
        for i in id_order:
            idx = per_id[i]
            count = self._count(len(idx))
            if self.shuffle:
                idx = rng.permutation(idx)
            stream.append(idx[:count])
        return iter(self.rank_share(np.concatenate(stream)))

    def __len__(self) -> int:
        """The number of indices on this rank per epoch."""
        return self.num_samples
