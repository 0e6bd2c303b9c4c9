# Copyright (c) mmreid contributors. All rights reserved.
"""P x K identity sampler and the logic shared by the identity samplers.

:class:`IdentitySampler` is the P x K sampler of torchreid
(``RandomIdentitySampler``) and fast-reid (``NaiveIdentitySampler``),
rewritten as an MMEngine ``DATA_SAMPLERS`` entry in the manner of
mmpretrain's ``RepeatAugSampler``: distributed-aware, seeded with
:func:`mmengine.dist.sync_random_seed` and reshuffled by :meth:`set_epoch`.

:class:`BaseIdentitySampler` holds what every identity sampler needs: the
label of each sample, the rank and world size, the seed and epoch, and the
one place that splits a global index stream into per-rank shares
(:meth:`BaseIdentitySampler.rank_share`). Identity samplers can skip the
start of an epoch (an exact resume) and give every sample its own seed
(:class:`~mmreid.datasets.samplers.resumable.ResumableSamplerMixin`).
"""
import logging
import math
from collections import OrderedDict
from typing import Dict, Iterator, List, Optional, Sequence, Sized, Tuple

import numpy as np
from mmengine.dist import get_dist_info, sync_random_seed
from mmengine.logging import print_log
from torch.utils.data import Sampler

from mmreid.registry import DATA_SAMPLERS
from .resumable import ResumableSamplerMixin


def pad_or_trim(seq: Sequence[int], multiple: int,
                round_up: bool) -> List[int]:
    """Make the length of ``seq`` a multiple of ``multiple``.

    Args:
        seq (Sequence[int]): Items (indices or group ids).
        multiple (int): The wanted divisor of the length.
        round_up (bool): If True, pad by repeating ``seq`` from its start
            (as many times as needed); if False, drop the tail.

    Returns:
        list[int]: The padded or trimmed list.

    Examples:
        >>> pad_or_trim([0, 1, 2, 3, 4], 4, round_up=True)
        [0, 1, 2, 3, 4, 0, 1, 2]
        >>> pad_or_trim([0, 1, 2, 3, 4], 4, round_up=False)
        [0, 1, 2, 3]
    """
    seq = list(seq)
    if round_up:
        total = math.ceil(len(seq) / multiple) * multiple
        if total > len(seq):
            seq = (seq * math.ceil(total / len(seq)))[:total]
        return seq
    return seq[:len(seq) // multiple * multiple]


class BaseIdentitySampler(ResumableSamplerMixin, Sampler):
    """Base class of the samplers that arrange samples by identity.

    It reads the ``label`` of every sample once, keeps the distributed
    context, the seed and the epoch, and splits a global index stream into
    per-rank shares (:meth:`rank_share`). Every rank builds the *same*
    global stream from ``seed + epoch``, so the shares are disjoint.

    Args:
        dataset (Sized): A dataset whose ``get_data_info(i)`` returns a dict
            with an integer ``label`` >= 0 (the contiguous training label).
            ``dataset.full_init()`` is called first if it exists.
        shuffle (bool): Whether to shuffle. Defaults to True.
        seed (int, optional): The random seed; it must be the same on all
            ranks. If None, a seed is drawn on rank 0 and broadcast by
            :func:`mmengine.dist.sync_random_seed`. Defaults to None.
        round_up (bool): If True, pad the stream by repeating it from its
            start so that every rank gets the same number of units; if
            False, drop the tail instead. Defaults to True.
        rank (int, optional): The rank of this process. Defaults to
            ``mmengine.dist.get_dist_info()[0]``; set it (with
            ``world_size``) to simulate ranks in one process.
        world_size (int, optional): The number of processes. Defaults to
            ``mmengine.dist.get_dist_info()[1]``.
    """

    def __init__(self,
                 dataset: Sized,
                 shuffle: bool = True,
                 seed: Optional[int] = None,
                 round_up: bool = True,
                 rank: Optional[int] = None,
                 world_size: Optional[int] = None) -> None:
        dist_rank, dist_world_size = get_dist_info()
        self.rank = dist_rank if rank is None else int(rank)
        self.world_size = (
            dist_world_size if world_size is None else int(world_size))
        if self.world_size < 1 or not 0 <= self.rank < self.world_size:
            raise ValueError(
                f'{type(self).__name__}: invalid rank {self.rank} for '
                f'world_size {self.world_size}')
        self.dataset = dataset
        self.shuffle = shuffle
        self.round_up = round_up
        if seed is None:
            seed = sync_random_seed()
        self.seed = int(seed)
        self.epoch = 0
        self.label_to_indices = self._group_by_label(dataset)
        self.labels = list(self.label_to_indices)

    def _group_by_label(self, dataset: Sized) -> Dict[int, np.ndarray]:
        """Map each label (sorted) to its sample indices (in order)."""
        if hasattr(dataset, 'full_init'):
            dataset.full_init()
        if not hasattr(dataset, 'get_data_info'):
            raise TypeError(f'{type(self).__name__} needs a dataset with '
                            f'get_data_info(i), got {type(dataset).__name__}')
        groups: Dict[int, List[int]] = {}
        for i in range(len(dataset)):
            info = dataset.get_data_info(i)
            if 'label' not in info:
                raise KeyError(f'{type(self).__name__}: sample {i} of '
                               f'{type(dataset).__name__} has no "label"')
            label = int(info['label'])
            if label < 0:
                raise ValueError(
                    f'{type(self).__name__}: sample {i} has label {label}; '
                    'identity samplers need a training set (labels >= 0)')
            groups.setdefault(label, []).append(i)
        if not groups:
            raise ValueError(f'{type(self).__name__}: the dataset is empty')
        return OrderedDict(
            (k, np.asarray(groups[k], dtype=np.int64)) for k in sorted(groups))

    def _rng(self) -> np.random.Generator:
        """The generator of this epoch, identical on every rank."""
        return np.random.default_rng(self.seed + self.epoch)

    def num_rank_units(self, num_units: int, unit_multiple: int = 1) -> int:
        """How many units each rank gets (see :meth:`rank_share`).

        Args:
            num_units (int): Units in the global stream.
            unit_multiple (int): The per-rank count must be a multiple of
                it (e.g. P groups per batch). Defaults to 1.

        Returns:
            int: Units per rank.
        """
        step = self.world_size * unit_multiple
        if self.round_up:
            return math.ceil(num_units / step) * unit_multiple
        return num_units // step * unit_multiple

    def rank_share(self, stream: Sequence[int], unit: int = 1) -> List[int]:
        """Split a global index stream into this rank's share.

        The stream is cut into units of ``unit`` consecutive indices (a K
        group, a batch, or a single index), padded by repeating it from its
        start (``round_up=True``) or trimmed (``round_up=False``) to a
        multiple of ``world_size`` units, and rank ``r`` takes the ``r``-th
        contiguous run of units. So the shares are disjoint in units (up to
        the padding), all have the same length, and together they cover the
        stream; a unit is never split between ranks.

        Args:
            stream (Sequence[int]): The global stream; its length must be a
                multiple of ``unit``.
            unit (int): Indices per unit. Defaults to 1.

        Returns:
            list[int]: This rank's indices.
        """
        if len(stream) % unit:
            raise ValueError(f'stream length {len(stream)} is not a multiple '
                             f'of the unit {unit}')
        units = np.asarray(stream, dtype=np.int64).reshape(-1, unit)
        order = pad_or_trim(
            range(len(units)), self.world_size, round_up=self.round_up)
        per_rank = len(order) // self.world_size
        mine = order[self.rank * per_rank:(self.rank + 1) * per_rank]
        return units[mine].reshape(-1).tolist()

    def set_epoch(self, epoch: int) -> None:
        """Set the epoch, which reseeds the shuffling (``seed + epoch``).

        Args:
            epoch (int): The epoch number.
        """
        self.epoch = epoch


def pack_distinct(group_labels: Sequence[int],
                  order: Sequence[int],
                  num_per_batch: int,
                  rng: Optional[np.random.Generator] = None) -> List[int]:
    """Arrange groups in batches that never hold one label twice if they can.

    The groups are stably sorted by label, labels taken in their order of
    first appearance in ``order``, and dealt to the ``B = len(order) /
    num_per_batch`` batches in turn (the ``j``-th group to batch ``j mod
    B``). The groups of one label are then adjacent, so they land in
    distinct batches whenever no label has more than ``B`` groups, which is
    the condition for such an arrangement to exist at all; otherwise the
    surplus repeats a label in some batches. No group is dropped or added.
    With a random ``order``, each batch is a random set of labels; ``rng``
    then shuffles the order of the batches.

    Args:
        group_labels (Sequence[int]): The label of each group.
        order (Sequence[int]): The groups to arrange, in a (shuffled)
            order; its length must be a multiple of ``num_per_batch``.
        num_per_batch (int): Groups per batch (P).
        rng (np.random.Generator, optional): Shuffles the batch order.
            Defaults to None (keep it).

    Returns:
        list[int]: ``order`` rearranged; every ``num_per_batch``
        consecutive groups form a batch.

    Examples:
        >>> pack_distinct([0, 0, 1, 1], [0, 1, 2, 3], 2)
        [0, 2, 1, 3]
    """
    order = list(order)
    if len(order) % num_per_batch:
        raise ValueError(f'{len(order)} groups do not fill batches of '
                         f'{num_per_batch}')
    num_batches = len(order) // num_per_batch
    rank_of_label: Dict[int, int] = {}
    for g in order:
        rank_of_label.setdefault(group_labels[g], len(rank_of_label))
    by_label = sorted(order, key=lambda g: rank_of_label[group_labels[g]])
    batches = [by_label[b::num_batches] for b in range(num_batches)]
    if rng is not None:
        batches = [batches[b] for b in rng.permutation(num_batches)]
    return [g for batch in batches for g in batch]


@DATA_SAMPLERS.register_module()
class IdentitySampler(BaseIdentitySampler):
    """P x K identity sampler (torchreid / fast-reid), DDP-aware.

    Each epoch, the images of every identity are shuffled and cut into
    groups of K = ``num_instances`` (the last incomplete group is dropped
    for this epoch; an identity with fewer than K images is sampled *with
    replacement* to fill exactly one group). The groups are shuffled and
    concatenated, so every K consecutive indices share one identity, and a
    batch of ``batch_size = P * K`` holds P groups.

    The sampler yields indices, not batches, so it cannot see the
    dataloader's batch size: set ``batch_size`` to a multiple of
    ``num_instances``. Passing the same ``batch_size`` here as well makes
    the sampler check it, make its length a multiple of it, and order the
    groups so that no identity appears twice in a batch where this can be
    avoided (:func:`pack_distinct`; it can be unless one identity has more
    groups than there are batches). Without it, two groups of one
    identity may fall into the same batch, and the last batch of an epoch
    may be short (set ``drop_last=True`` in the dataloader to skip it).

    Under DDP every rank builds the same global stream from ``seed +
    epoch`` and takes its own contiguous share in whole units (K groups,
    or whole batches when ``batch_size`` is given), so every rank's batches
    still hold K images per identity and all ranks run the same number of
    iterations (:meth:`BaseIdentitySampler.rank_share`). ``batch_size`` is
    the per-rank batch, as in MMEngine dataloader configs.

    Args:
        dataset (Sized): A training dataset; ``get_data_info(i)['label']``
            is read for every sample once, at construction.
        num_instances (int): K, images per identity in a group.
            Defaults to 4.
        shuffle (bool): Whether to shuffle. If False, identities come in
            label order, images in dataset order and short identities are
            filled by cycling. Defaults to True.
        seed (int, optional): Random seed, the same on every rank; None
            draws one and syncs it across ranks. Defaults to None.
        round_up (bool): Pad the group stream by repeating it from its
            start (True) or drop its tail (False) so that each rank gets
            the same number of units. Defaults to True.
        batch_size (int, optional): The dataloader's (per-rank) batch size
            P * K, to validate it and keep identities distinct within a
            batch. Defaults to None.
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
        >>> sampler = IdentitySampler(ToyDataset(), num_instances=2, seed=0)
        >>> len(sampler)  # 1 + 1 + 2 groups of 2
        8
        >>> idx = list(sampler)
        >>> labels = [ToyDataset.labels[i] for i in idx]
        >>> all(labels[i] == labels[i + 1] for i in range(0, 8, 2))
        True
        >>> # in a config, with P = 16 identities of K = 4 images:
        >>> train_dataloader = dict(
        ...     batch_size=64,
        ...     sampler=dict(type='IdentitySampler', num_instances=4))
    """

    def __init__(self,
                 dataset: Sized,
                 num_instances: int = 4,
                 shuffle: bool = True,
                 seed: Optional[int] = None,
                 round_up: bool = True,
                 batch_size: Optional[int] = None,
                 *,
                 rank: Optional[int] = None,
                 world_size: Optional[int] = None) -> None:
        if num_instances < 1:
            raise ValueError(
                f'num_instances must be >= 1, got {num_instances}')
        if batch_size is not None and (batch_size < num_instances
                                       or batch_size % num_instances):
            raise ValueError(
                f'IdentitySampler: batch_size ({batch_size}) must be a '
                f'positive multiple of num_instances ({num_instances})')
        super().__init__(
            dataset,
            shuffle=shuffle,
            seed=seed,
            round_up=round_up,
            rank=rank,
            world_size=world_size)
        self.num_instances = num_instances
        self.batch_size = batch_size
        # P, the identities per batch (1 if the batch size is unknown)
        self.num_ids_per_batch = 1
        if batch_size is not None:
            self.num_ids_per_batch = batch_size // num_instances
        if self.num_ids_per_batch > len(self.labels):
            print_log(
                f'IdentitySampler: {self.num_ids_per_batch} identities per '
                f'batch but only {len(self.labels)} in the dataset; batches '
                'will repeat identities',
                logger='current',
                level=logging.WARNING)
        sizes = [len(v) for v in self.label_to_indices.values()]
        self.num_groups = sum(max(1, n // num_instances) for n in sizes)
        self.num_samples = self.num_rank_units(
            self.num_groups, self.num_ids_per_batch) * num_instances

    def _groups(self, rng: np.random.Generator) -> Tuple[np.ndarray, list]:
        """Cut every identity into groups of K.

        Returns:
            tuple: The groups, an int array (G, K), and their labels.
        """
        k = self.num_instances
        groups, labels = [], []
        for label, idx in self.label_to_indices.items():
            if len(idx) < k:
                idx = (
                    rng.choice(idx, size=k, replace=True)
                    if self.shuffle else np.resize(idx, k))
            elif self.shuffle:
                idx = rng.permutation(idx)
            n = len(idx) // k
            groups.append(idx[:n * k].reshape(n, k))
            labels += [label] * n
        return np.concatenate(groups), labels

    def __iter__(self) -> Iterator[int]:
        """Iterate over this rank's indices for the current epoch."""
        rng = self._rng()
        groups, labels = self._groups(rng)
        order = list(range(len(groups)))
        if self.shuffle:
            order = rng.permutation(order).tolist()
        unit = self.num_instances
        if self.batch_size is not None:
            p = self.num_ids_per_batch
            order = pad_or_trim(order, p * self.world_size, self.round_up)
            order = pack_distinct(labels, order, p, rng)
            unit = self.batch_size
        stream = groups[order].reshape(-1)
        return self.seeded_iter(self.rank_share(stream, unit))

    def __len__(self) -> int:
        """The number of indices on this rank per epoch."""
        return self.num_samples
