# Copyright (c) mmreid contributors. All rights reserved.
"""Image pairs for verification models and pose transfer (IDLA, FD-GAN,
PN-GAN).

:class:`PairDataset` wraps any mmreid training set and serves *pairs*;
:class:`~mmreid.datasets.samplers.PairSampler` draws each epoch's pairs.
Three pairings:

- ``'all_positives'`` (IDLA): every positive pair (two images of one
  identity) plus ``neg_per_pos`` negatives per positive, random or, for
  hard-negative mining, taken from a file of mined pairs
  (``tools/misc/mine_hard_negatives.py``);
- ``'per_anchor'`` (FD-GAN's ``RandomPairSampler``): every image is an
  anchor once per epoch, with one positive (a random other image of its
  identity) and ``neg_per_pos`` random negatives; or, with
  ``positive_prob`` (IP-GAN's subject / attribute pairs), with one
  partner only, of its identity with probability ``positive_prob`` (the
  anchor itself with probability ``self_prob``), else of another;
- ``'ordered_positives'`` (PN-GAN): every ordered pair ``(i, j)``, i != j,
  of two images of one identity, once per epoch, and no negatives.

The sampler yields ``(i, j)`` index tuples and the dataset loads the two
images of a tuple, so the draw happens in the main process at the start
of every epoch (``PairSampler.set_epoch``, called by MMEngine's
``DistSamplerSeedHook``) and stays correct with persistent workers.
"""
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.logging import MMLogger

from mmreid.registry import DATASETS
from mmreid.structures import ReIDDataSample
from .sample_rng import sample_rng

Pair = Tuple[int, int]


def load_hard_negatives(path: str) -> List[Tuple[str, str]]:
    """Read a hard-negative file written by ``mine_hard_negatives.py``.

    The file is JSON: ``{"pairs": [[img_path_a, img_path_b, score], ...],
    ...}`` (other keys are provenance: config, checkpoint, counts), pairs
    hardest first.

    Args:
        path (str): The file.

    Returns:
        list[tuple[str, str]]: The image path pairs, in file order.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'hard-negative file {path} does not exist '
                                '(make it with tools/misc/'
                                'mine_hard_negatives.py)')
    with open(path) as f:
        data = json.load(f)
    if not isinstance(data, dict) or 'pairs' not in data:
        raise ValueError(f'{path}: expected a JSON object with a "pairs" '
                         'list of [img_path_a, img_path_b, score]')
    return [(str(p[0]), str(p[1])) for p in data['pairs']]


@DATASETS.register_module()
class PairDataset:
    """Pairs of images of a re-ID training set, labelled same / different.

    An item is ``dict(inputs=Tensor[2, C, H, W], data_samples=sample)``:
    both images went through the wrapped dataset's pipeline (so the
    translation augmentation of IDLA, ``RandomTranslate``, is drawn
    independently for each image) and are stacked; ``sample.gt_label`` is
    1 for two images of one identity, else 0, and its metainfo holds
    ``pair_idx``, ``pids`` and ``img_paths``. Use it with
    :class:`PairDataPreprocessor` (which unrolls the pairs for
    normalisation) and :class:`~mmreid.datasets.samplers.PairSampler`.

    Pairings (``pairing``):

    - ``'all_positives'`` (default, IDLA): positives are all unordered
      pairs of distinct images of one identity (across cameras only if
      ``cross_camera_only``); each epoch presents each in a random order
      (the IDLA head is not symmetric). Negatives:
      ``round(neg_per_pos * num_positives)`` per epoch, uniformly random
      pairs of different identities, or with ``hard_negatives`` pairs of
      that file: a random subset (re-drawn every epoch) if it holds more
      than needed, else all of them topped up with random ones.
    - ``'per_anchor'`` (FD-GAN): each of the N images is the anchor
      (first image) of one positive pair, with a uniformly random *other*
      image of its identity (the anchor itself if its identity has a
      single image), and of ``neg_per_pos`` (an integer) negative pairs,
      each with a uniformly random image of another identity; an epoch has
      ``(1 + neg_per_pos) * N`` pairs, re-drawn every epoch. FD-GAN's
      sampler draws its negatives from all images; here they are always of
      another identity. ``hard_negatives`` and ``cross_camera_only`` are
      not supported. With ``positive_prob`` set, each anchor has a single
      partner instead, drawn independently every epoch: the anchor itself
      with probability ``self_prob``, another image of its identity with
      probability ``positive_prob`` (the anchor itself if it has none),
      else a random image of another identity; an epoch has N pairs
      (``neg_per_pos`` must be 0 or None).
    - ``'ordered_positives'`` (PN-GAN's pose-transfer pairs): every
      ordered pair of distinct images of one identity (both ``(i, j)`` and
      ``(j, i)``), the same list every epoch (the sampler shuffles it); no
      negatives (``neg_per_pos`` must be 0 or None). ``cross_camera_only``
      applies; ``hard_negatives`` is not supported.

    Indexing: ``ds[(i, j)]`` is the pair of images ``i`` and ``j`` of the
    wrapped dataset (what :class:`~mmreid.datasets.samplers.PairSampler`
    yields); ``ds[k]`` is the ``k``-th pair of the epoch-0 draw, so the
    dataset also works with a plain sampler (without the per-epoch
    re-draw).

    Args:
        dataset (dict | Dataset): The image dataset (config or object),
            whose ``get_data_info(i)`` has ``pid``, ``camid`` and
            ``img_path``.
        neg_per_pos (float, optional): Negatives per positive (an integer
            for ``'per_anchor'``). Defaults to None: 2 for
            ``'all_positives'``, 3 for ``'per_anchor'`` (FD-GAN).
        hard_negatives (str, optional): A file written by
            ``tools/misc/mine_hard_negatives.py``; image paths must be
            those of ``dataset``. ``'all_positives'`` only.
            Defaults to None.
        cross_camera_only (bool): Keep only positive pairs of different
            cameras. ``'all_positives'`` only. Defaults to False.
        seed (int): Seed of the epoch-0 draw used by integer indexing.
            Defaults to 0.
        pairing (str): ``'all_positives'``, ``'per_anchor'`` or
            ``'ordered_positives'``. Defaults to ``'all_positives'``.
        hard_negative_ratio (float): With ``hard_negatives``, the share of
            each epoch's negatives taken from the file (a random subset,
            re-drawn every epoch); the rest are random negatives. Defaults
            to 1.0 (hard negatives only, topped up with random ones if the
            file is short).
        positive_prob (float, optional): ``'per_anchor'`` only: one
            partner per anchor, of the anchor's identity (another image)
            with this probability. Defaults to None (FD-GAN's positive +
            ``neg_per_pos`` negatives).
        self_prob (float): With ``positive_prob``: the probability that
            the partner is the anchor itself (added to ``positive_prob``'s
            same-identity share). Defaults to 0.

    The sample's metainfo also holds ``labels``, the wrapped dataset's
    training labels (``label``, else ``pid``) of the two images.

    Examples:
        >>> from mmreid.testing import make_market_tree
        >>> from mmreid.datasets import Market1501
        >>> import tempfile
        >>> root = make_market_tree(tempfile.mkdtemp())
        >>> ds = PairDataset(Market1501(data_root=root), neg_per_pos=2)
        >>> ds.num_positives, len(ds)
        (2, 6)
        >>> pairs = ds.draw_pairs(epoch=0)
        >>> [ds.is_same(i, j) for i, j in pairs].count(True)
        2
        >>> fd = PairDataset(Market1501(data_root=root), pairing='per_anchor')
        >>> len(fd), fd.num_positives, fd.num_negatives  # (1 + 3) * 4
        (16, 4, 12)
        >>> pn = PairDataset(Market1501(data_root=root),
        ...                  pairing='ordered_positives')
        >>> len(pn), sorted(pn.draw_pairs(0)) == sorted(
        ...     [(j, i) for i, j in pn.draw_pairs(0)])
        (4, True)
        >>> ip = PairDataset(Market1501(data_root=root), pairing='per_anchor',
        ...                  positive_prob=1.0)
        >>> len(ip), all(ip.is_same(i, j) for i, j in ip.draw_pairs(0))
        (4, True)
    """

    PAIRINGS = ('all_positives', 'per_anchor', 'ordered_positives')

    def __init__(self,
                 dataset: Union[dict, object],
                 neg_per_pos: Optional[float] = None,
                 hard_negatives: Optional[str] = None,
                 cross_camera_only: bool = False,
                 seed: int = 0,
                 pairing: str = 'all_positives',
                 hard_negative_ratio: float = 1.0,
                 positive_prob: Optional[float] = None,
                 self_prob: float = 0.0) -> None:
        if not 0 <= hard_negative_ratio <= 1:
            raise ValueError('hard_negative_ratio must be in [0, 1], got '
                             f'{hard_negative_ratio}')
        self.hard_negative_ratio = float(hard_negative_ratio)
        if pairing not in self.PAIRINGS:
            raise ValueError(f'pairing must be one of {self.PAIRINGS}, got '
                             f'{pairing!r}')
        per_anchor = pairing == 'per_anchor'
        ordered = pairing == 'ordered_positives'
        if positive_prob is not None:
            if not per_anchor:
                raise ValueError("PairDataset: positive_prob only works with "
                                 f"pairing='per_anchor' (got {pairing!r})")
            if neg_per_pos:
                raise ValueError(
                    'PairDataset: with positive_prob each anchor has one '
                    f'partner (neg_per_pos must be 0 or None, got '
                    f'{neg_per_pos})')
            neg_per_pos = 0
            if not (0 <= positive_prob and 0 <= self_prob
                    and positive_prob + self_prob <= 1):
                raise ValueError(
                    'PairDataset: positive_prob and self_prob must be >= 0 '
                    f'with a sum <= 1, got {positive_prob} and {self_prob}')
        elif self_prob:
            raise ValueError('PairDataset: self_prob needs positive_prob')
        self.positive_prob = (None if positive_prob is None else
                              float(positive_prob))
        self.self_prob = float(self_prob)
        if neg_per_pos is None:
            neg_per_pos = 3 if per_anchor else 0 if ordered else 2
        if ordered and neg_per_pos:
            raise ValueError(
                "PairDataset: pairing='ordered_positives' has no negatives "
                f'(neg_per_pos must be 0 or None, got {neg_per_pos})')
        if ordered and hard_negatives:
            raise ValueError(
                'PairDataset: hard_negatives only works with '
                "pairing='all_positives' (got pairing='ordered_positives')")
        if neg_per_pos < 0:
            raise ValueError(f'neg_per_pos must be >= 0, got {neg_per_pos}')
        if per_anchor:
            if neg_per_pos != int(neg_per_pos):
                raise ValueError("pairing='per_anchor' needs an integer "
                                 f'neg_per_pos (negatives per anchor), got '
                                 f'{neg_per_pos}')
            neg_per_pos = int(neg_per_pos)
            if hard_negatives:
                raise ValueError(
                    'PairDataset: hard_negatives only works with '
                    "pairing='all_positives' (got pairing='per_anchor'); "
                    'drop hard_negatives or change the pairing')
            if cross_camera_only:
                raise ValueError(
                    'PairDataset: cross_camera_only only works with '
                    "pairing='all_positives' (got pairing='per_anchor')")
        if isinstance(dataset, dict):
            dataset = DATASETS.build(dataset)
        self.pairing = pairing
        self.dataset = dataset
        self.neg_per_pos = neg_per_pos
        self.cross_camera_only = cross_camera_only
        self.seed = int(seed)
        infos = [dataset.get_data_info(i) for i in range(len(dataset))]
        self.pids = np.asarray([int(d['pid']) for d in infos], np.int64)
        self.camids = np.asarray([int(d.get('camid', 0)) for d in infos],
                                 np.int64)
        self.img_paths = [d['img_path'] for d in infos]
        self.labels = np.asarray(
            [int(d.get('label', d['pid'])) for d in infos], np.int64)
        self._index_identities()
        if per_anchor:
            if not len(self.pids):
                raise ValueError('PairDataset: the dataset is empty')
            self.positives: List[Pair] = []
        else:
            self.positives = self._positives()
            if not self.positives:
                where = ' in two cameras' if cross_camera_only else ''
                raise ValueError(
                    'PairDataset: the dataset has no positive pair '
                    f'(no identity with two images{where})')
        mixed = self.positive_prob is not None and (
            self.positive_prob + self.self_prob < 1)
        if len(np.unique(self.pids)) < 2 and (neg_per_pos > 0 or mixed):
            raise ValueError('PairDataset: negatives need >= 2 identities')
        self.num_negatives = int(round(neg_per_pos * self.num_positives))
        self.hard_negatives_file = hard_negatives
        self.hard_negatives: List[Pair] = []
        if hard_negatives:
            self.hard_negatives = self._resolve(
                load_hard_negatives(hard_negatives), hard_negatives)
            MMLogger.get_current_instance().info(
                f'PairDataset: {len(self.hard_negatives)} hard negatives '
                f'from {hard_negatives}; {self.num_negatives} negatives per '
                'epoch')
        self._epoch0 = self.draw_pairs(0, self.seed)

    # --------------------------------------------------------- pair lists --
    def _index_identities(self) -> None:
        """Group the images by identity for the per-image draws.

        Sets ``_order`` (image indices sorted by pid) and, per image, the
        start and size of its identity's block in ``_order`` and its rank
        in that block.
        """
        order = np.argsort(self.pids, kind='stable')
        sorted_pids = self.pids[order]
        starts = np.flatnonzero(np.r_[True, np.diff(sorted_pids) != 0])
        sizes = np.diff(np.r_[starts, len(order)])
        block = np.repeat(np.arange(len(starts)), sizes)
        self._order = order
        self._group_start = np.empty(len(order), np.int64)
        self._group_size = np.empty(len(order), np.int64)
        self._group_rank = np.empty(len(order), np.int64)
        self._group_start[order] = starts[block]
        self._group_size[order] = sizes[block]
        self._group_rank[order] = np.arange(len(order)) - starts[block]

    def random_same_identity(self, index: Union[Sequence[int], np.ndarray],
                             rng: np.random.Generator) -> np.ndarray:
        """A uniformly random *other* image of each image's identity.

        An image whose identity has no other image gets itself.

        Args:
            index (Sequence[int] | np.ndarray): Image indices.
            rng (np.random.Generator): The generator.

        Returns:
            np.ndarray: int64 image indices, one per entry of ``index``.
        """
        index = np.asarray(index, np.int64).reshape(-1)
        size = self._group_size[index]
        rank = self._group_rank[index]
        k = rng.integers(0, np.maximum(size - 1, 1))
        k = k + ((k >= rank) & (size > 1))
        return self._order[self._group_start[index] + k]

    def random_other_identity(self, index: Union[Sequence[int], np.ndarray],
                              rng: np.random.Generator) -> np.ndarray:
        """A uniformly random image of another identity, for each image.

        Args:
            index (Sequence[int] | np.ndarray): Image indices.
            rng (np.random.Generator): The generator.

        Returns:
            np.ndarray: int64 image indices, one per entry of ``index``.
        """
        index = np.asarray(index, np.int64).reshape(-1)
        start = self._group_start[index]
        size = self._group_size[index]
        if np.any(size >= len(self.pids)):
            raise ValueError('PairDataset: negatives need >= 2 identities')
        u = rng.integers(0, len(self.pids) - size)
        return self._order[np.where(u < start, u, u + size)]

    def _positives(self) -> List[Pair]:
        """All unordered same-identity pairs (i < j)."""
        pairs = []
        order = np.argsort(self.pids, kind='stable')
        bounds = np.flatnonzero(np.diff(self.pids[order])) + 1
        for group in np.split(order, bounds):
            group = np.sort(group)
            for a in range(len(group)):
                for b in range(a + 1, len(group)):
                    i, j = int(group[a]), int(group[b])
                    if (self.cross_camera_only
                            and self.camids[i] == self.camids[j]):
                        continue
                    pairs.append((i, j))
        return pairs

    def _resolve(self, path_pairs: Sequence[Tuple[str, str]],
                 source: str) -> List[Pair]:
        """Map image path pairs to index pairs; check they are negatives."""
        index: Dict[str, int] = {p: i for i, p in enumerate(self.img_paths)}
        out = []
        for a, b in path_pairs:
            if a not in index or b not in index:
                missing = a if a not in index else b
                raise KeyError(
                    f'{source}: image {missing!r} is not in the wrapped '
                    f'{type(self.dataset).__name__} (the file was mined on '
                    'another dataset or data_root)')
            i, j = index[a], index[b]
            if self.pids[i] == self.pids[j]:
                raise ValueError(f'{source}: ({a!r}, {b!r}) is not a '
                                 'negative pair (same identity)')
            out.append((i, j))
        return out

    def random_negatives(self, num: int,
                         rng: np.random.Generator) -> List[Pair]:
        """Uniformly random pairs of images of different identities.

        Args:
            num (int): How many.
            rng (np.random.Generator): The generator.

        Returns:
            list[tuple[int, int]]: ``num`` index pairs.
        """
        n = len(self.pids)
        out: List[Pair] = []
        while len(out) < num:
            k = num - len(out)
            i = rng.integers(0, n, 2 * k + 8)
            j = rng.integers(0, n, 2 * k + 8)
            keep = self.pids[i] != self.pids[j]
            out += list(zip(i[keep].tolist(), j[keep].tolist()))[:k]
        return out

    def draw_pairs(self, epoch: int, seed: Optional[int] = None) -> List[Pair]:
        """The pairs of one epoch: positives then negatives (not shuffled).

        Args:
            epoch (int): The epoch (reseeds the draw).
            seed (int, optional): Defaults to the dataset's seed.

        Returns:
            list[tuple[int, int]]: Index pairs into the wrapped dataset.
        """
        seed = self.seed if seed is None else seed
        rng = np.random.default_rng([seed, epoch])
        if self.pairing == 'per_anchor':
            return self._draw_per_anchor(rng)
        if self.pairing == 'ordered_positives':
            return self.positives + [(j, i) for i, j in self.positives]
        swap = rng.random(len(self.positives)) < 0.5
        pos = [(j, i) if s else (i, j)
               for (i, j), s in zip(self.positives, swap)]
        hard = self.hard_negatives
        num_hard = min(
            len(hard), int(round(self.hard_negative_ratio *
                                 self.num_negatives)))
        if len(hard) > num_hard:
            keep = np.sort(rng.choice(len(hard), num_hard, False))
            hard = [hard[k] for k in keep]
        neg = hard + self.random_negatives(self.num_negatives - len(hard),
                                           rng)
        return pos + neg

    def _draw_per_anchor(self, rng: np.random.Generator) -> List[Pair]:
        """``'per_anchor'`` pairs: N positives (anchor ``k`` first, in
        image order) then ``neg_per_pos`` negatives per anchor (grouped by
        anchor, in image order)."""
        anchors = np.arange(len(self.pids))
        if self.positive_prob is not None:
            return self._draw_one_partner(anchors, rng)
        pos = self.random_same_identity(anchors, rng)
        neg_anchors = np.repeat(anchors, self.neg_per_pos)
        neg = (self.random_other_identity(neg_anchors, rng)
               if len(neg_anchors) else neg_anchors)
        return (list(zip(anchors.tolist(), pos.tolist())) +
                list(zip(neg_anchors.tolist(), neg.tolist())))

    def _draw_one_partner(self, anchors: np.ndarray,
                          rng: np.random.Generator) -> List[Pair]:
        """One partner per anchor (``positive_prob`` / ``self_prob``)."""
        u = rng.random(len(anchors))
        same = self.random_same_identity(anchors, rng)
        if len(np.unique(self.pids)) > 1:
            other = self.random_other_identity(anchors, rng)
        else:
            other = same
        partner = np.where(u < self.self_prob + self.positive_prob, same,
                           other)
        partner = np.where(u < self.self_prob, anchors, partner)
        return list(zip(anchors.tolist(), partner.tolist()))

    # ------------------------------------------------------------ dataset --
    @property
    def num_positives(self) -> int:
        """int: Positive pairs per epoch."""
        if self.pairing == 'per_anchor':
            return len(self.pids)
        if self.pairing == 'ordered_positives':
            return 2 * len(self.positives)
        return len(self.positives)

    @property
    def metainfo(self) -> dict:
        """dict: The wrapped dataset's metainfo plus pair counts."""
        meta = dict(getattr(self.dataset, 'metainfo', {}))
        meta.update(
            num_positive_pairs=self.num_positives,
            num_negative_pairs=self.num_negatives,
            pairing=self.pairing)
        return meta

    def is_same(self, i: int, j: int) -> bool:
        """Whether images ``i`` and ``j`` show the same identity."""
        return bool(self.pids[i] == self.pids[j])

    def __len__(self) -> int:
        return self.num_positives + self.num_negatives

    def __getitem__(self, index: Union[int, Sequence[int]]) -> dict:
        """Load a pair, seeded by the sampler if the index carries a seed
        (:func:`~mmreid.datasets.sample_rng.sample_rng`)."""
        with sample_rng(index):
            return self.load_pair(index)

    def load_pair(self, index: Union[int, Sequence[int]]) -> dict:
        """Load the pair ``index``: a position in the first epoch's list
        or an ``(i, j)`` tuple of the sampler."""
        if isinstance(index, (tuple, list)):
            i, j = int(index[0]), int(index[1])
        else:
            i, j = self._epoch0[index]
        a, b = self.dataset[i], self.dataset[j]
        sample = ReIDDataSample(
            metainfo=dict(
                pair_idx=(i, j),
                pids=(int(self.pids[i]), int(self.pids[j])),
                labels=(int(self.labels[i]), int(self.labels[j])),
                img_paths=(self.img_paths[i], self.img_paths[j])))
        sample.set_gt_label(int(self.is_same(i, j)))
        return dict(
            inputs=torch.stack([a['inputs'], b['inputs']]),
            data_samples=sample)
