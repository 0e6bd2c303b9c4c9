# Copyright (c) mmreid contributors. All rights reserved.
"""Pairs with pose-transfer targets for FD-GAN (Ge et al., NeurIPS 2018)
and PN-GAN (Qian et al., ECCV 2018).

FD-GAN trains a Siamese re-ID network jointly with a pose-guided generator:
each image of a pair (the *origin*) is re-drawn by the generator in the
pose of a *target* image of the same identity, and the target image is the
reconstruction ground truth. :class:`PoseTransferPairDataset` serves such
pairs: the two origin images (through the wrapped dataset's pipeline) plus,
for each, a target image and its pose maps (through ``target_pipeline``).

Behaviour of the official code reproduced here:

- pairs are drawn per anchor (``pairing='per_anchor'``, see
  :class:`~mmreid.datasets.PairDataset`): 1 positive and 3 negatives per
  image and epoch;
- the target of an origin is a random *other* image of its identity (the
  origin itself if its identity has a single image);
- the two branches of a *positive* pair get the same target image and pose
  maps (FD-GAN's ``set_input`` copies branch 1's target and pose map to
  branch 2);
- pose maps are 18 OpenPose-order Gaussian maps (``KeypointsToHeatmaps(
  target_format='openpose18')``, sigma drawn from (4, 5, 6) for its "gauss"
  pose augmentation), rendered after the target's own flip, which mirrors
  image and maps jointly; its code does not swap left/right channels
  (``ReIDRandomFlip(swap_left_right=False)``).
"""
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.dataset import Compose

from mmreid.registry import DATASETS
from mmreid.structures import ReIDDataSample
from .pair_dataset import PairDataset

#: ``(origin_i, origin_j, target_i, target_j)``
PairWithTargets = Tuple[int, int, int, int]


@DATASETS.register_module()
class PoseTransferPairDataset(PairDataset):
    """:class:`PairDataset` whose items carry FD-GAN's pose-transfer targets.

    A pair item ``ds[(i, j, ti, tj)]`` (what
    :class:`~mmreid.datasets.samplers.PairSampler` yields, see below) is
    ``dict(inputs=Tensor[2, 3, H, W], data_samples=sample)``:

    - ``inputs``: the origin images ``i`` and ``j`` through the wrapped
      dataset's own pipeline (resize, flip, random erasing...), uint8;
    - ``sample.gt_label``: 1 if ``i`` and ``j`` show one identity, else 0;
    - ``sample.target_img``: Tensor[2, 3, H', W'] uint8, images ``ti`` and
      ``tj`` through ``target_pipeline``;
    - ``sample.pose_maps``: Tensor[2, 18, H', W'] float32, their pose maps;
    - metainfo: ``pair_idx``, ``pids``, ``img_paths`` (as
      :class:`PairDataset`) and ``target_idx``, ``target_pids``,
      ``target_paths``.

    When ``ti == tj`` (always the case for a positive pair) the target is
    loaded once and used for both branches, so its random transforms (flip,
    sigma) are shared, as in FD-GAN.

    ``target_pipeline`` must load the image, give it the origin's size,
    render the pose maps from the (transformed) keypoints and pack them as
    the data field ``pose_maps``, e.g.::

        target_pipeline=[
            dict(type='LoadReIDImage'),
            dict(type='ReIDResize', scale=(128, 256)),
            dict(type='ReIDRandomFlip', prob=0.5, swap_left_right=False),
            dict(type='KeypointsToHeatmaps', sigma=(4, 5, 6),
                 target_format='openpose18', out_key='pose_maps'),
            dict(type='PackReIDInputs', pose_keys=['pose_maps']),
        ]

    **Choice of targets.** :meth:`draw_pairs` returns 4-tuples ``(i, j, ti,
    tj)``: the pairs of :class:`PairDataset` (so
    :class:`~mmreid.datasets.samplers.PairSampler` works unchanged) with
    targets drawn in the same place, from a generator seeded by ``(seed,
    epoch)``. The choice of targets is thus deterministic per
    epoch, the same on every rank and independent of the data loader's
    workers (no global RNG). Indexing with a plain pair ``ds[(i, j)]`` draws
    the targets from numpy's global RNG (seeded per worker by MMEngine);
    ``ds[k]`` is the ``k``-th item of the epoch-0 draw. The pipelines' own
    random transforms use the global RNG, as everywhere in mmreid.

    **Partner targets** (``targets='partner'``, PN-GAN): an item
    ``ds[(i, j)]`` is the single transfer :meth:`transfer_item(i, j)
    <transfer_item>`: image ``i`` through the wrapped dataset's pipeline as
    ``inputs`` (3 x H x W), image ``j`` and its pose image (or maps)
    through ``target_pipeline`` as the data fields ``target_img`` and
    ``pose_maps``. :meth:`draw_pairs` returns the plain pairs of the
    pairing (use ``pairing='ordered_positives'``: every ordered
    same-identity pair once per epoch); ``ds[k]`` is the ``k``-th of them.

    **Held-out visualisation / evaluation.** :meth:`fixed_transfer_pairs`
    gives a reproducible list of ``(origin, target)`` indices (seeded, no
    global RNG) and :meth:`transfer_item` loads one. The images still go
    through the pipelines: give the held-out dataset deterministic ones (no
    random flip, erasing or sigma choice) for reproducible inputs.

    Args:
        dataset (dict | Dataset): The image dataset (config or object); it
            must have keypoints (``keypoint_file=``).
        target_pipeline (Sequence[dict]): Transforms of the target images,
            ending with ``PackReIDInputs(pose_keys=['pose_maps'])``.
        neg_per_pos (int, optional): Negatives per anchor (per positive for
            ``pairing='all_positives'``). Defaults to None (3 for
            ``'per_anchor'``, FD-GAN's ratio).
        pairing (str): See :class:`PairDataset`. Defaults to
            ``'per_anchor'``.
        seed (int): Seed of the epoch-0 draw. Defaults to 0.
        targets (str): ``'random'`` (FD-GAN: pair items, each image's
            target a random other image of its identity) or ``'partner'``
            (PN-GAN: single transfers, the target is the pair's second
            image). Defaults to ``'random'``.
        **kwargs: Other :class:`PairDataset` arguments.

    Examples:
        >>> import tempfile, os.path as osp
        >>> from mmreid.utils import register_all_modules
        >>> register_all_modules()
        >>> root = osp.join(tempfile.mkdtemp(), 'demo')
        >>> small = dict(num_train_ids=3, num_test_ids=2, num_cameras=2,
        ...              images_per_id=4, img_size=(32, 16),
        ...              num_distractors=1, num_junk=1)
        >>> pipe = [dict(type='LoadReIDImage'), dict(type='PackReIDInputs')]
        >>> ds = PoseTransferPairDataset(
        ...     dict(type='DemoReID', data_root=root, pipeline=pipe,
        ...          keypoint_file='keypoints_coco17.json', **small),
        ...     target_pipeline=[
        ...         dict(type='LoadReIDImage'),
        ...         dict(type='KeypointsToHeatmaps', sigma=2,
        ...              target_format='openpose18', out_key='pose_maps'),
        ...         dict(type='PackReIDInputs', pose_keys=['pose_maps'])])
        >>> len(ds)  # 12 anchors x (1 positive + 3 negatives)
        48
        >>> item = ds[0]
        >>> item['inputs'].shape, item['data_samples'].pose_maps.shape
        (torch.Size([2, 3, 32, 16]), torch.Size([2, 18, 32, 16]))
        >>> o, t = ds.fixed_transfer_pairs(1, seed=0)[0]
        >>> one = ds.transfer_item(o, t)
        >>> one['inputs'].shape, one['data_samples'].target_img.shape
        (torch.Size([3, 32, 16]), torch.Size([3, 32, 16]))
        >>> pn = PoseTransferPairDataset(
        ...     dict(type='DemoReID', data_root=root, pipeline=pipe,
        ...          keypoint_file='keypoints_coco17.json', **small),
        ...     target_pipeline=[
        ...         dict(type='LoadReIDImage'),
        ...         dict(type='RenderSkeleton', out_key='pose_maps'),
        ...         dict(type='PackReIDInputs', pose_keys=['pose_maps'])],
        ...     pairing='ordered_positives', targets='partner')
        >>> len(pn)  # 3 identities x 4 x 3 ordered pairs
        36
        >>> item = pn[pn.draw_pairs(0)[0]]
        >>> item['inputs'].shape, item['data_samples'].pose_maps.shape
        (torch.Size([3, 32, 16]), torch.Size([32, 16, 3]))
    """

    TARGETS = ('random', 'partner')

    def __init__(self,
                 dataset: Union[dict, object],
                 target_pipeline: Sequence[dict],
                 neg_per_pos: Optional[int] = None,
                 pairing: str = 'per_anchor',
                 seed: int = 0,
                 targets: str = 'random',
                 **kwargs) -> None:
        if targets not in self.TARGETS:
            raise ValueError(f'targets must be one of {self.TARGETS}, got '
                             f'{targets!r}')
        self.targets = targets
        if isinstance(dataset, dict):
            dataset = DATASETS.build(dataset)
        self._check_keypoints(dataset)
        if not target_pipeline:
            raise ValueError(
                'PoseTransferPairDataset needs a target_pipeline (load, '
                "resize, KeypointsToHeatmaps(out_key='pose_maps'), "
                "PackReIDInputs(pose_keys=['pose_maps']))")
        self.target_pipeline = Compose(list(target_pipeline))
        super().__init__(
            dataset,
            neg_per_pos=neg_per_pos,
            seed=seed,
            pairing=pairing,
            **kwargs)

    @staticmethod
    def _check_keypoints(dataset) -> None:
        """Raise a clear error if some image of ``dataset`` lacks keypoints."""
        missing = [
            i for i in range(len(dataset))
            if dataset.get_data_info(i).get('keypoints') is None
        ]
        if missing:
            name = type(dataset).__name__
            root = getattr(dataset, 'data_root', None)
            raise ValueError(
                f'PoseTransferPairDataset needs keypoints, but the wrapped '
                f'{name} (data_root={root!r}) has none for {len(missing)} of '
                f'its {len(dataset)} images; give it a keypoint cache: '
                f"dataset=dict(type='{name}', ..., keypoint_file=...), "
                'made with tools/misc/extract_keypoints.py (the demo '
                "dataset has its own: keypoint_file='keypoints_coco17.json')")

    # ------------------------------------------------------------- draws --
    def draw_pairs(self,
                   epoch: int,
                   seed: Optional[int] = None) -> List[PairWithTargets]:
        """The pairs of one epoch with their targets (not shuffled).

        Args:
            epoch (int): The epoch (reseeds the draw).
            seed (int, optional): Defaults to the dataset's seed.

        Returns:
            list[tuple[int, int, int, int]]: ``(i, j, ti, tj)``: the pairs
            of :meth:`PairDataset.draw_pairs` and the targets of ``i`` and
            ``j``; ``tj == ti`` for positive pairs.
        """
        pairs = super().draw_pairs(epoch, seed)
        if getattr(self, 'targets', 'random') == 'partner':
            return pairs
        seed = self.seed if seed is None else seed
        rng = np.random.default_rng([seed, epoch, 2])
        return self._with_targets(pairs, rng)

    def _with_targets(self, pairs: Sequence[Sequence[int]],
                      rng: np.random.Generator) -> List[PairWithTargets]:
        """Append a target to each image of each pair (shared if positive)."""
        if not len(pairs):
            return []
        ij = np.asarray([p[:2] for p in pairs], np.int64)
        ti = self.random_same_identity(ij[:, 0], rng)
        tj = self.random_same_identity(ij[:, 1], rng)
        same = self.pids[ij[:, 0]] == self.pids[ij[:, 1]]
        tj[same] = ti[same]
        return list(
            zip(ij[:, 0].tolist(), ij[:, 1].tolist(), ti.tolist(),
                tj.tolist()))

    def fixed_transfer_pairs(self,
                             num: int,
                             seed: int = 0,
                             same_identity: bool = True
                             ) -> List[Tuple[int, int]]:
        """A reproducible list of ``(origin, target)`` image indices.

        Origins are distinct while ``num`` does not exceed the number of
        person images (a seeded permutation, cycled beyond); distractors
        (pid 0) and junk (pid -1) are never origins, as their pid does not
        name one person; each target is a random
        other image of the origin's identity (itself if it has none), or,
        with ``same_identity=False``, a random image of another identity.
        Only a generator seeded by ``seed`` is used.

        Args:
            num (int): How many pairs.
            seed (int): The seed. Defaults to 0.
            same_identity (bool): Targets of the origin's identity (FD-GAN's
                training setting, the target is the ground truth) or of
                another one (pose transfer across persons, no ground truth).
                Defaults to True.

        Returns:
            list[tuple[int, int]]: ``(origin_idx, target_idx)`` indices into
            the wrapped dataset.
        """
        if num < 0:
            raise ValueError(f'num must be >= 0, got {num}')
        rng = np.random.default_rng(seed)
        persons = np.flatnonzero(self.pids > 0)
        if not len(persons):
            raise ValueError('fixed_transfer_pairs: no image with a person '
                             'id > 0 (only distractors / junk)')
        origins = persons[rng.permutation(len(persons))]
        origins = np.resize(origins, num)
        if not num:
            return []
        pick = (self.random_same_identity
                if same_identity else self.random_other_identity)
        targets = pick(origins, rng)
        return list(zip(origins.tolist(), targets.tolist()))

    # ----------------------------------------------------------- loading --
    def _load_target(self, index: int) -> Tuple[torch.Tensor, torch.Tensor]:
        """Image ``index`` through ``target_pipeline``: (image, pose maps)."""
        out = self.target_pipeline(self.dataset.get_data_info(index))
        if out is None:
            raise RuntimeError(
                f'target_pipeline dropped image {self.img_paths[index]!r}')
        sample = out.get('data_samples') if isinstance(out, dict) else None
        if sample is None or 'inputs' not in out:
            raise KeyError(
                'target_pipeline must end with PackReIDInputs(pose_keys='
                "['pose_maps'])")
        if 'pose_maps' not in sample:
            raise KeyError(
                'the target pipeline packed no pose_maps; add '
                "KeypointsToHeatmaps(target_format='openpose18', "
                "out_key='pose_maps') and PackReIDInputs(pose_keys="
                "['pose_maps'])")
        maps = torch.as_tensor(sample.pose_maps)
        if maps.dtype != torch.uint8:  # pose images stay uint8
            maps = maps.float()
        return out['inputs'], maps

    def load_pair(self, index: Union[int, Sequence[int]]) -> dict:
        """Load a pair with its pose targets: a position in the first
        epoch's list, an ``(i, j)`` or an ``(i, j, ti, tj)`` tuple (with
        ``targets='partner'``, each image's target is the other one)."""
        if self.targets == 'partner':
            i, j = (index if isinstance(index, (tuple, list)) else
                    self._epoch0[index])[:2]
            return self.transfer_item(i, j)
        if isinstance(index, (tuple, list)):
            if len(index) == 4:
                i, j, ti, tj = (int(k) for k in index)
            elif len(index) == 2:
                rng = np.random.default_rng(np.random.randint(0, 2**31 - 1))
                i, j, ti, tj = self._with_targets([index], rng)[0]
            else:
                raise IndexError('index a PoseTransferPairDataset with k, '
                                 f'(i, j) or (i, j, ti, tj), got {index}')
        else:
            i, j, ti, tj = self._epoch0[index]
        a, b = self.dataset[i], self.dataset[j]
        img_i, maps_i = self._load_target(ti)
        img_j, maps_j = (img_i, maps_i) if tj == ti else self._load_target(tj)
        sample = ReIDDataSample(
            metainfo=dict(
                pair_idx=(i, j),
                pids=(int(self.pids[i]), int(self.pids[j])),
                img_paths=(self.img_paths[i], self.img_paths[j]),
                target_idx=(ti, tj),
                target_pids=(int(self.pids[ti]), int(self.pids[tj])),
                target_paths=(self.img_paths[ti], self.img_paths[tj])))
        sample.set_gt_label(int(self.is_same(i, j)))
        sample.set_field(torch.stack([img_i, img_j]), 'target_img')
        sample.set_field(torch.stack([maps_i, maps_j]), 'pose_maps')
        return dict(
            inputs=torch.stack([a['inputs'], b['inputs']]),
            data_samples=sample)

    def transfer_item(self, origin_idx: int, target_idx: int) -> dict:
        """One origin image with a given target, for visualisation.

        Args:
            origin_idx (int): Origin image (index into the wrapped dataset).
            target_idx (int): Target image.

        Returns:
            dict: ``inputs`` (Tensor[3, H, W], the origin through the
            wrapped dataset's pipeline) and ``data_samples``: the origin's
            packed sample plus the data fields ``target_img`` (Tensor[3, H',
            W'] uint8) and ``pose_maps`` (Tensor[18, H', W'] float32) and
            the metainfo ``origin_idx``, ``target_idx``, ``origin_pid``,
            ``target_pid``, ``origin_path`` and ``target_path``.
        """
        o, t = int(origin_idx), int(target_idx)
        item = self.dataset[o]
        sample = item['data_samples']
        img, maps = self._load_target(t)
        sample.set_field(img, 'target_img')
        sample.set_field(maps, 'pose_maps')
        sample.set_metainfo(
            dict(
                origin_idx=o,
                target_idx=t,
                origin_pid=int(self.pids[o]),
                target_pid=int(self.pids[t]),
                origin_path=self.img_paths[o],
                target_path=self.img_paths[t]))
        return dict(inputs=item['inputs'], data_samples=sample)
