# Copyright (c) mmreid contributors. All rights reserved.
"""Identity-contiguous sampler of DPL and PABR (the "Caffe sampler")."""
import logging
import numbers
from typing import Iterator, Optional, Sized

import numpy as np
from mmengine.logging import print_log

from mmreid.registry import DATA_SAMPLERS
from .identity_sampler import BaseIdentitySampler, pad_or_trim


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

    **Global batches under DDP** (``batch_size`` given). Both papers form
    one batch from one contiguous chunk of the stream and compute the loss
    over it. With ``world_size`` W processes and the per-rank batch size
    B, every rank builds the same stream, pads it by repeating it from its
    start (``round_up=True``, as a Caffe data layer wraps around its list)
    or drops its tail (``round_up=False``) to a multiple of W * B, cuts it
    into global chunks of W * B and, at every step, rank ``r`` takes the
    slice ``[r * B, (r + 1) * B)`` of the chunk. The batches of ranks
    0 .. W-1 of one step, concatenated in rank order (what the models'
    loss gathers), are then exactly the batch of one process with batch
    size W * B, the same seed and the same epoch. The length is a
    multiple of B, so every rank runs the same number of full steps
    whatever the dataloader's ``drop_last``.

    ``batch_size`` must be the dataloader's ``batch_size`` (the per-rank
    batch, as in MMEngine configs): a sampler cannot see its dataloader,
    so set both, and override both together
    (``--cfg-options train_dataloader.batch_size=75
    train_dataloader.sampler.batch_size=75``).

    Without ``batch_size`` the sampler cannot know the batch boundaries:
    the (padded or trimmed) stream is split into ``world_size`` contiguous
    shares of equal length (:meth:`BaseIdentitySampler.rank_share`), so
    under DDP each step's global batch is W windows cut from different
    places of the stream, with fewer complete identities (a warning is
    logged). In one process both ways give the same batches, except that
    with ``batch_size`` the last batch of an epoch is completed (or
    dropped) by the sampler itself.

    Args:
        dataset (Sized): A training dataset; ``get_data_info(i)['label']``
            is read for every sample once, at construction.
        max_per_id (int, optional): At most this many images per identity
            per epoch; None takes all. Defaults to None.
        shuffle (bool): Whether to shuffle identities and images.
            Defaults to True.
        seed (int, optional): Random seed, the same on every rank; None
            draws one and syncs it across ranks. Defaults to None.
        round_up (bool): Pad (True) or trim (False) the stream to a
            multiple of ``world_size * batch_size`` (of ``world_size``
            without ``batch_size``). Defaults to True.
        batch_size (int, optional): The dataloader's per-rank batch size
            B; needed for the global batches under DDP described above.
            Defaults to None.
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
        >>> # 2 ranks with batches of 2 see the batches of 4 of one process
        >>> one = list(IdentityContiguousSampler(
        ...     ToyDataset(), max_per_id=3, seed=0, batch_size=4))
        >>> r0, r1 = [list(IdentityContiguousSampler(
        ...     ToyDataset(), max_per_id=3, seed=0, batch_size=2,
        ...     rank=r, world_size=2)) for r in (0, 1)]
        >>> one == r0[0:2] + r1[0:2] + r0[2:4] + r1[2:4]
        True
        >>> # DPL on Market-1501: 8 GPUs x 37 images, one global batch
        >>> train_dataloader = dict(
        ...     batch_size=37,
        ...     sampler=dict(type='IdentityContiguousSampler', max_per_id=10,
        ...                  batch_size=37))
    """

    def __init__(self,
                 dataset: Sized,
                 max_per_id: Optional[int] = None,
                 shuffle: bool = True,
                 seed: Optional[int] = None,
                 round_up: bool = True,
                 batch_size: Optional[int] = None,
                 *,
                 rank: Optional[int] = None,
                 world_size: Optional[int] = None) -> None:
        if max_per_id is not None and max_per_id < 1:
            raise ValueError(f'max_per_id must be >= 1, got {max_per_id}')
        if batch_size is not None and (
                isinstance(batch_size, bool)
                or not isinstance(batch_size, numbers.Integral)
                or batch_size < 1):
            raise ValueError(
                'IdentityContiguousSampler: batch_size must be a positive '
                'integer, the dataloader\'s per-rank batch size, or None; '
                f'got {batch_size!r}')
        super().__init__(
            dataset,
            shuffle=shuffle,
            seed=seed,
            round_up=round_up,
            rank=rank,
            world_size=world_size)
        self.max_per_id = max_per_id
        self.batch_size = None if batch_size is None else int(batch_size)
        self.num_images = sum(
            self._count(len(v)) for v in self.label_to_indices.values())
        if self.batch_size is None:
            self.num_samples = self.num_rank_units(self.num_images)
            if self.world_size > 1:
                print_log(
                    'IdentityContiguousSampler without batch_size under '
                    f'DDP ({self.world_size} ranks): each rank takes its '
                    'own window of the identity stream, so a step\'s '
                    'global batch is not one contiguous chunk; pass the '
                    'dataloader\'s batch_size to the sampler as well',
                    logger='current',
                    level=logging.WARNING)
        else:
            self.num_samples = self.num_rank_units(self.num_images,
                                                   self.batch_size)
            if self.num_samples == 0:
                raise ValueError(
                    f'IdentityContiguousSampler: {self.num_images} images '
                    'per epoch do not fill one global batch of '
                    f'{self.world_size} x {self.batch_size} and round_up '
                    'is False, so the epoch would be empty')

    def _count(self, n: int) -> int:
        """Images an identity with ``n`` images contributes per epoch."""
        return n if self.max_per_id is None else min(n, self.max_per_id)

    def global_stream(self) -> np.ndarray:
        """The epoch's identity-contiguous stream, the same on every rank.

        It is neither padded nor trimmed, and does not depend on the rank,
        the world size or the batch size.

        Returns:
            np.ndarray: The indices, an int64 array of ``num_images``.
        """
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
        return np.concatenate(stream)

    def __iter__(self) -> Iterator[int]:
        """Iterate over this rank's indices for the current epoch."""
        stream = self.global_stream()
        if self.batch_size is None:
            return self.seeded_iter(self.rank_share(stream))
        b, w = self.batch_size, self.world_size
        stream = pad_or_trim(stream.tolist(), w * b, self.round_up)
        # (steps, ranks, B): rank r takes slice r of every global chunk
        chunks = np.asarray(stream, dtype=np.int64).reshape(-1, w, b)
        return self.seeded_iter(chunks[:, self.rank].reshape(-1).tolist())

    def __len__(self) -> int:
        """The number of indices on this rank per epoch."""
        return self.num_samples
