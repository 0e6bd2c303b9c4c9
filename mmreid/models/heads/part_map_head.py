# Copyright (c) mmreid contributors. All rights reserved.
"""DPL's part-map head (Zhao et al., ICCV 2017)."""
from typing import Dict, List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from ..losses.triplet_loss import ALL_TRIPLETS_ACROSS_RANKS
from ..utils import gt_labels


@MODELS.register_module()
class PartMapHead(BaseModule):
    """Part-aligned representation from learned part maps.

    From a backbone map (832 x 10 x 5 for DPL):

    1. ``reduce``: 1 x 1 conv ``in_channels -> feat_channels`` (linear, no
       BN/ReLU), giving F (512 x 10 x 5);
    2. ``part_detector``: ``num_parts`` 1 x 1 convs ``feat_channels -> 1``
       (one conv with ``num_parts`` outputs) and a sigmoid: part maps
       M_k in (0, 1);
    3. part-weighted average pooling: ``mean_xy F_xy * M_k(x, y)``
       (``feat_channels``-d);
    4. one FC per part ``feat_channels -> part_dim`` (512 -> 64);
    5. the ``num_parts`` part features concatenated and L2-normalised
       (8 x 64 = 512-d).

    The loss (all-triplets, margin 0.2, squared distances in DPL, mined
    over the batches of all ranks as DPL's single-GPU code mined over its
    whole batch) sees the normalised descriptor, which is also the test
    feature.

    Args:
        in_channels (int): Backbone channels. Defaults to 832.
        feat_channels (int): Channels after the reduction. Defaults to 512.
        num_parts (int): K, the number of part maps. Defaults to 8.
        part_dim (int): Dimension of each part feature. Defaults to 64.
        normalize (bool): L2-normalise the concatenation. Defaults to True.
        loss_triplet (dict, optional): Metric loss config called as
            ``loss(feats, labels)``. Defaults to the all-triplets loss with
            margin 0.2 on squared distances, gathered across ranks.
        init_cfg (dict, optional): Defaults to Xavier for the new layers
            (DPL's ``xavier`` filler), zero biases.

    Examples:
        >>> head = PartMapHead()
        >>> head(torch.randn(2, 832, 10, 5)).shape
        torch.Size([2, 512])
        >>> head.part_maps(torch.randn(2, 832, 10, 5)).shape
        torch.Size([2, 8, 10, 5])
    """

    def __init__(self,
                 in_channels: int = 832,
                 feat_channels: int = 512,
                 num_parts: int = 8,
                 part_dim: int = 64,
                 normalize: bool = True,
                 loss_triplet: Optional[dict] = ALL_TRIPLETS_ACROSS_RANKS,
                 init_cfg: Optional[dict] = dict(
                     type='Xavier',
                     layer=['Conv2d', 'Linear'],
                     distribution='uniform',
                     bias=0.)) -> None:
        super().__init__(init_cfg=init_cfg)
        self.num_parts = num_parts
        self.part_dim = part_dim
        self.normalize = normalize
        self.reduce = nn.Conv2d(in_channels, feat_channels, 1)
        self.part_detector = nn.Conv2d(feat_channels, num_parts, 1)
        self.part_fcs = nn.ModuleList(
            [nn.Linear(feat_channels, part_dim) for _ in range(num_parts)])
        self.loss_triplet = MODELS.build(loss_triplet) if loss_triplet \
            else None

    def part_maps(self, x: torch.Tensor) -> torch.Tensor:
        """The sigmoid part maps M (N x K x H x W) of backbone maps."""
        return torch.sigmoid(self.part_detector(self.reduce(x)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The part-aligned descriptor.

        Args:
            x (torch.Tensor): Backbone maps, N x C x H x W (or a tuple of
                stages, whose last is used).

        Returns:
            torch.Tensor: N x (K * part_dim), L2-normalised if
            ``normalize``.
        """
        if isinstance(x, (tuple, list)):
            x = x[-1]
        feat = self.reduce(x)  # N x C x H x W
        maps = torch.sigmoid(self.part_detector(feat))  # N x K x H x W
        # part-weighted average pooling: N x K x C
        pooled = torch.einsum('nchw,nkhw->nkc', feat, maps) / (
            feat.shape[2] * feat.shape[3])
        parts = [fc(pooled[:, k]) for k, fc in enumerate(self.part_fcs)]
        out = torch.cat(parts, 1)
        if self.normalize:
            out = F.normalize(out, dim=1)
        return out

    def predict(self, x: torch.Tensor) -> torch.Tensor:
        """The ranking feature (the descriptor, as :meth:`forward`)."""
        return self(x)

    def loss(self, x: torch.Tensor,
             data_samples: List[ReIDDataSample]) -> Dict[str, torch.Tensor]:
        """The metric loss of a training batch.

        Args:
            x (torch.Tensor): Backbone maps.
            data_samples (list[ReIDDataSample]): With ``gt_label``.

        Returns:
            dict[str, Tensor]: ``loss_triplet``.
        """
        feats = self(x)
        labels = gt_labels(data_samples, feats.device, 'PartMapHead.loss')
        return dict(loss_triplet=self.loss_triplet(feats, labels))
