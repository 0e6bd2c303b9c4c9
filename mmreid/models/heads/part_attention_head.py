# Copyright (c) mmreid contributors. All rights reserved.
"""AACN's pose-guided part attention head: K, N, R over T stages."""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample, get_pose_format
from mmreid.structures.body_parts import (DEFAULT_LIMBS, check_parts,
                                          normalize_rigid_parts,
                                          part_keypoints, rigid_members)

#: How a rigid map R^_p is formed from the rigid branch's R_p and the
#: non-rigid maps N_q of the limbs inside part p.
RIGID_REFINE_MODES = ('none', 'max', 'sum')
#: Visibility: ``map_sum`` sums |map| over the pixels of each predicted
#: part map; ``keypoint_peak`` averages the peaks of the part's predicted
#: keypoint maps (clipped to [0, 1]).
VISIBILITY_MODES = ('map_sum', 'keypoint_peak')


def _branch(in_channels: int, out_channels: int, num_convs: int,
            kernel_size: int, channels: int, hidden: int) -> nn.Sequential:
    """``num_convs`` k x k convs + ReLU, a 1 x 1 conv + ReLU, a linear 1 x 1
    conv: one OpenPose-style branch."""
    layers = []
    cin = in_channels
    for _ in range(num_convs):
        layers.append(
            ConvModule(cin, channels, kernel_size,
                       padding=kernel_size // 2))
        cin = channels
    layers.append(ConvModule(cin, hidden, 1))
    layers.append(nn.Conv2d(hidden, out_channels, 1))
    return nn.Sequential(*layers)


@MODELS.register_module()
class PartAttentionHead(BaseModule):
    """Keypoint, non-rigid and rigid part maps over T stages (AACN's PPA).

    The trunk's feature map is reduced by ``feat_channels`` 3 x 3 convs to
    the stage feature ``F``. Stage 1 predicts from ``F`` with three
    branches (rho, phi, psi): keypoint confidence maps ``K`` (``C^k``
    channels, one per keypoint of ``keypoint_format``), non-rigid part maps
    ``N`` (``C^n`` limbs) and rigid part maps ``R`` (``C^r`` parts). Stage
    ``t > 1`` predicts from ``F`` concatenated with the maps of stage
    ``t - 1`` (intermediate supervision: every stage has the loss).

    Rigid maps: ``R^_p`` is ``R_p`` (``rigid_refine='none'``), or is formed
    with the non-rigid maps ``N_q`` of the limbs inside part ``p`` (both
    keypoints in its group, :func:`~mmreid.structures.body_parts.
    rigid_members`): ``max(R_p, max_q N_q)`` (``'max'``, the union of the
    rigid map and its limbs) or ``R_p + sum_q N_q`` (``'sum'``). ``R^`` is
    supervised and used as the attention; the loss is then
    ``L^r(R, N)``.

    Loss (:meth:`loss`), with the ``MapL2Loss`` of each map type::

        L^ppa = sum_t L^k(K^t) + mu1 L^n(N^t) + mu2 L^r(R^t)
        L^k = 1/C^k sum_i ||K*_i - K_i||^2,  likewise L^n, L^r,

    logged per stage as ``loss_k_s{t}``, ``loss_n_s{t}``, ``loss_r_s{t}``
    (``mu1``/``mu2`` are the ``loss_weight`` of ``loss_nonrigid`` /
    ``loss_rigid``). Targets come from the data samples: ``K*`` from
    ``keypoint_key`` (:class:`~mmreid.datasets.transforms.
    KeypointsToHeatmaps`), ``R*`` and ``N*`` from ``part_key``
    (:class:`~mmreid.datasets.transforms.PartMaps` with the same
    ``limbs`` / ``rigid_parts``: rigid channels first).

    Visibility (:meth:`visibility`) from the *predicted* maps of the last
    stage: ``v_p = sum_xy |R^_p(x, y)|`` for rigid parts and ``sum_xy
    |N_p(x, y)|`` for non-rigid ones (``'map_sum'``), or the mean peak of
    the part's keypoint maps (``'keypoint_peak'``).

    Args:
        in_channels (int): Trunk channels.
        num_stages (int): T. Defaults to 2.
        keypoint_format (str): Format of the keypoint maps. Defaults to
            ``'coco17'``.
        limbs (Sequence[tuple]): Non-rigid parts ``(name, a, b)``.
        rigid_parts (str | Sequence[tuple]): Rigid parts ``(name,
            names[, margin])`` (margins are the target transform's) or a
            preset name. Defaults to ``'aacn'``.
        feat_channels (Sequence[int]): Widths of the 3 x 3 convs from the
            trunk to ``F``. Defaults to ``(256, 128)`` (OpenPose's
            conv4_3/4_4_CPM).
        stage1 (dict): Branch of stage 1: ``num_convs``, ``kernel_size``,
            ``channels``, ``hidden``. Defaults to OpenPose's (3 x 3 x 3
            convs of 128, 1 x 1 of 512).
        refine (dict): Branch of the later stages. Defaults to OpenPose's
            (5 x 7 x 7 convs of 128, 1 x 1 of 128).
        rigid_refine (str): ``'none'``, ``'max'`` or ``'sum'``. Defaults to
            ``'max'``.
        visibility (str): ``'map_sum'`` or ``'keypoint_peak'``.
        loss_keypoint (dict): Loss of K. Defaults to ``MapL2Loss``.
        loss_nonrigid (dict): Loss of N (its weight is mu1).
        loss_rigid (dict): Loss of R^ (its weight is mu2).
        keypoint_key (str): Data-sample field of ``K*``. Defaults to
            ``'heatmaps'``.
        part_key (str): Data-sample field of ``[R*, N*]``. Defaults to
            ``'part_maps'``.
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> head = PartAttentionHead(in_channels=32, feat_channels=(16, ),
        ...                          stage1=dict(channels=8, hidden=8),
        ...                          refine=dict(num_convs=1, channels=8,
        ...                                      hidden=8))
        >>> outs = head(torch.randn(2, 32, 16, 8))
        >>> len(outs), outs[-1]['keypoints'].shape, outs[-1]['rigid'].shape
        (2, torch.Size([2, 17, 16, 8]), torch.Size([2, 3, 16, 8]))
        >>> head.predict(torch.randn(2, 32, 16, 8))['visibility'].shape
        torch.Size([2, 11])
    """

    def __init__(self,
                 in_channels: int,
                 num_stages: int = 2,
                 keypoint_format: str = 'coco17',
                 limbs: Sequence[tuple] = DEFAULT_LIMBS,
                 rigid_parts: Union[str, Sequence[tuple]] = 'aacn',
                 feat_channels: Sequence[int] = (256, 128),
                 stage1: dict = dict(
                     num_convs=3, kernel_size=3, channels=128, hidden=512),
                 refine: dict = dict(
                     num_convs=5, kernel_size=7, channels=128, hidden=128),
                 rigid_refine: str = 'max',
                 visibility: str = 'map_sum',
                 loss_keypoint: dict = dict(type='MapL2Loss'),
                 loss_nonrigid: dict = dict(type='MapL2Loss'),
                 loss_rigid: dict = dict(type='MapL2Loss'),
                 keypoint_key: str = 'heatmaps',
                 part_key: str = 'part_maps',
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_stages < 1:
            raise ValueError(f'num_stages must be >= 1, got {num_stages}')
        if rigid_refine not in RIGID_REFINE_MODES:
            raise ValueError(f'rigid_refine must be one of '
                             f'{RIGID_REFINE_MODES}, got {rigid_refine!r}')
        if visibility not in VISIBILITY_MODES:
            raise ValueError(f'visibility must be one of {VISIBILITY_MODES}'
                             f', got {visibility!r}')
        self.limbs = [tuple(limb) for limb in limbs]
        self.rigid_parts = normalize_rigid_parts(rigid_parts, 0.)
        check_parts(self.limbs, self.rigid_parts, (keypoint_format, ))
        self.keypoint_format = keypoint_format
        self.num_keypoints = get_pose_format(keypoint_format).num_keypoints
        self.num_nonrigid = len(self.limbs)
        self.num_rigid = len(self.rigid_parts)
        self.members = rigid_members(self.rigid_parts, self.limbs)
        self.part_kpts = part_keypoints(self.rigid_parts, self.limbs,
                                        keypoint_format)
        self.num_stages = num_stages
        self.rigid_refine = rigid_refine
        self.visibility_mode = visibility
        self.keypoint_key = keypoint_key
        self.part_key = part_key

        reduce, cin = [], in_channels
        for c in feat_channels:
            reduce.append(ConvModule(cin, c, 3, padding=1))
            cin = c
        self.reduce = nn.Sequential(*reduce)
        self.feat_dim = cin
        outs = dict(keypoints=self.num_keypoints,
                    nonrigid=self.num_nonrigid,
                    rigid=self.num_rigid)
        s1 = dict(num_convs=3, kernel_size=3, channels=128, hidden=512)
        s1.update(stage1)
        rf = dict(num_convs=5, kernel_size=7, channels=128, hidden=128)
        rf.update(refine)
        self.stages = nn.ModuleList()
        for t in range(num_stages):
            spec = s1 if t == 0 else rf
            stage_in = cin + (0 if t == 0 else sum(outs.values()))
            self.stages.append(
                nn.ModuleDict({
                    name: _branch(stage_in, c, **spec)
                    for name, c in outs.items()
                }))
        self.loss_keypoint = MODELS.build(loss_keypoint)
        self.loss_nonrigid = MODELS.build(loss_nonrigid)
        self.loss_rigid = MODELS.build(loss_rigid)

    @property
    def part_names(self) -> List[str]:
        """list[str]: Attention channels: rigid parts, then limbs."""
        return [p[0] for p in self.rigid_parts] + [n[0] for n in self.limbs]

    def refine_rigid(self, rigid: torch.Tensor,
                     nonrigid: torch.Tensor) -> torch.Tensor:
        """``R^`` from the rigid branch's ``R`` and the limb maps ``N``.

        Args:
            rigid (torch.Tensor): N x C^r x H x W.
            nonrigid (torch.Tensor): N x C^n x H x W.

        Returns:
            torch.Tensor: N x C^r x H x W.
        """
        if self.rigid_refine == 'none':
            return rigid
        maps = []
        for p, members in enumerate(self.members):
            r = rigid[:, p]
            if members:
                n = nonrigid[:, members]
                r = torch.maximum(r, n.amax(1)) \
                    if self.rigid_refine == 'max' else r + n.sum(1)
            maps.append(r)
        return torch.stack(maps, 1)

    def forward(self, feats: torch.Tensor) -> List[Dict[str, torch.Tensor]]:
        """The maps of every stage.

        Args:
            feats (torch.Tensor): Trunk features, N x in_channels x H x W.

        Returns:
            list[dict]: Per stage ``keypoints`` (K), ``nonrigid`` (N),
            ``rigid`` (R^) and ``rigid_raw`` (R), each N x C x H x W.
        """
        x = self.reduce(feats)
        outs, prev = [], None
        for stage in self.stages:
            inp = x if prev is None else torch.cat([x] + prev, 1)
            k = stage['keypoints'](inp)
            n = stage['nonrigid'](inp)
            r = stage['rigid'](inp)
            outs.append(
                dict(keypoints=k,
                     nonrigid=n,
                     rigid=self.refine_rigid(r, n),
                     rigid_raw=r))
            prev = [k, n, r]
        return outs

    def visibility(self, out: Dict[str, torch.Tensor]) -> torch.Tensor:
        """Part visibility scores from predicted maps (rigid, then limbs).

        Args:
            out (dict): One stage's maps (see :meth:`forward`).

        Returns:
            torch.Tensor: N x (C^r + C^n).
        """
        if self.visibility_mode == 'map_sum':
            maps = torch.cat([out['rigid'], out['nonrigid']], 1)
            return maps.abs().sum(dim=(2, 3))
        peaks = out['keypoints'].flatten(2).amax(-1).clamp(0, 1)
        return torch.stack([peaks[:, list(idx)].mean(1)
                            for idx in self.part_kpts], 1)

    def predict(self, feats: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The last stage's maps, the attention maps and the visibility.

        Args:
            feats (torch.Tensor): Trunk features.

        Returns:
            dict: ``keypoints``, ``nonrigid``, ``rigid``, ``rigid_raw``,
            ``maps`` (the attention maps ``[R^, N]``, N x P x H x W) and
            ``visibility`` (N x P).
        """
        out = dict(self(feats)[-1])
        out['maps'] = torch.cat([out['rigid'], out['nonrigid']], 1)
        out['visibility'] = self.visibility(out)
        return out

    def _targets(self, data_samples: List[ReIDDataSample], key: str,
                 device: torch.device) -> torch.Tensor:
        """Stack one target field of the data samples."""
        try:
            maps = [s.get(key) for s in data_samples]
        except AttributeError:
            maps = [None]
        if any(m is None for m in maps):
            raise KeyError(
                f'PartAttentionHead.loss: the data samples have no {key!r}; '
                'render it in the pipeline (KeypointsToHeatmaps / PartMaps) '
                f"and pack it with PackReIDInputs(pose_keys=['{key}', ...])")
        return torch.stack(maps).to(device)

    def loss(self, feats: torch.Tensor,
             data_samples: List[ReIDDataSample]) -> Dict[str, torch.Tensor]:
        """L^ppa of a batch, one term per map type and stage.

        Args:
            feats (torch.Tensor): Trunk features.
            data_samples (list[ReIDDataSample]): With the target fields.

        Returns:
            dict[str, Tensor]: ``loss_k_s{t}``, ``loss_n_s{t}``,
            ``loss_r_s{t}`` for t = 1..T.
        """
        k_star = self._targets(data_samples, self.keypoint_key, feats.device)
        parts = self._targets(data_samples, self.part_key, feats.device)
        if parts.shape[1] != self.num_rigid + self.num_nonrigid:
            raise ValueError(
                f'PartAttentionHead.loss: {self.part_key!r} has '
                f'{parts.shape[1]} channels, the head predicts '
                f'{self.num_rigid} rigid + {self.num_nonrigid} non-rigid '
                'parts; give PartMaps the same limbs / rigid_parts')
        r_star, n_star = parts[:, :self.num_rigid], parts[:, self.num_rigid:]
        losses = dict()
        for t, out in enumerate(self(feats), 1):
            losses[f'loss_k_s{t}'] = self.loss_keypoint(
                out['keypoints'], k_star)
            losses[f'loss_n_s{t}'] = self.loss_nonrigid(
                out['nonrigid'], n_star)
            losses[f'loss_r_s{t}'] = self.loss_rigid(out['rigid'], r_star)
        return losses
