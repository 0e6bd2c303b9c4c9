# Copyright (c) mmreid contributors. All rights reserved.
"""IDLA's pair head: layers 5-11 of Ahmed et al. (CVPR 2015)."""
import math
from typing import Dict, List, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import nn

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from ..utils import gt_labels
from .neighborhood_difference import NeighborhoodDifference


@MODELS.register_module()
class IDLAHead(BaseModule):
    """IDLA's verification head over two cached trunk outputs ``f``, ``g``.

    Layers (for the 25 x 37 x 12 trunk output of a 160 x 60 image):

    5. cross-input neighbourhood differences ``K = nd(f, g)``,
       ``K' = nd(g, f)`` + ReLU: 25 x 185 x 60 each;
    6. patch summary: conv 25 x 5x5, stride 5, ReLU (separate weights for
       ``K`` and ``K'``): 25 x 37 x 12;
    7. across-patch: conv 25 x 3x3, valid, ReLU (separate weights):
       25 x 35 x 10;
    8. max-pool 2x2 s2, ceil mode: 25 x 18 x 5;
    9. concatenate and flatten: 4,500;
    10. FC 500 + ReLU;
    11. FC 2 (logits; softmax gives ``[P(different), P(same)]``: class 1
        is *same identity*).

    Args:
        in_channels (int): Channels of the trunk output. Defaults to 25.
        feat_size (Sequence[int]): (H, W) of the trunk output. Defaults to
            (37, 12).
        channels (int): Channels of layers 6-7. Defaults to 25.
        nd_size (int): Neighbourhood size. Defaults to 5.
        fc_channels (int): Hidden FC width. Defaults to 500.
        loss_cls (dict): Pair classification loss config, called as
            ``loss(logits, labels)``. Defaults to cross-entropy.
        init_cfg (dict | list, optional): Defaults to Kaiming (fan-in)
            init, and N(0, 0.01) for the logits layer (so an untrained
            model starts near P(same) = 0.5).

    Examples:
        >>> head = IDLAHead()
        >>> f, g = torch.rand(2, 25, 37, 12), torch.rand(2, 25, 37, 12)
        >>> head(f, g).shape
        torch.Size([2, 2])
    """

    def __init__(self,
                 in_channels: int = 25,
                 feat_size: Sequence[int] = (37, 12),
                 channels: int = 25,
                 nd_size: int = 5,
                 fc_channels: int = 500,
                 loss_cls: dict = dict(type='mmpretrain.CrossEntropyLoss'),
                 init_cfg=dict(
                     type='Kaiming',
                     layer=['Conv2d', 'Linear'],
                     mode='fan_in',
                     nonlinearity='relu',
                     override=dict(name='cls', type='Normal', std=0.01))
                 ) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.feat_size = tuple(feat_size)
        self.nd = NeighborhoodDifference(nd_size)

        def branch() -> nn.Sequential:
            return nn.Sequential(
                nn.Conv2d(in_channels, channels, nd_size, stride=nd_size),
                nn.ReLU(inplace=True), nn.Conv2d(channels, channels, 3),
                nn.ReLU(inplace=True), nn.MaxPool2d(2, 2, ceil_mode=True))

        self.branch_k = branch()
        self.branch_k2 = branch()
        h, w = self.feat_size
        pooled = math.ceil((h - 2) / 2) * math.ceil((w - 2) / 2)
        self.fc = nn.Sequential(
            nn.Linear(2 * channels * pooled, fc_channels),
            nn.ReLU(inplace=True))
        self.cls = nn.Linear(fc_channels, 2)
        self.loss_cls = MODELS.build(loss_cls)

    def forward(self, f: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
        """Pair logits.

        Args:
            f (torch.Tensor): N x C x H x W trunk outputs of the first
                images.
            g (torch.Tensor): N x C x H x W trunk outputs of the second.

        Returns:
            torch.Tensor: N x 2 logits (class 1 = same identity).
        """
        k, k2 = self.nd(f, g)
        m = self.branch_k(k).flatten(1)
        m2 = self.branch_k2(k2).flatten(1)
        return self.cls(self.fc(torch.cat([m, m2], 1)))

    def same_prob(self, f: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
        """``P(same)`` of each pair.

        Args:
            f (torch.Tensor): N x C x H x W.
            g (torch.Tensor): N x C x H x W.

        Returns:
            torch.Tensor: N probabilities.
        """
        return F.softmax(self(f, g), dim=1)[:, 1]

    def predict(self, f: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
        """``P(same)`` of each pair (as :meth:`same_prob`)."""
        return self.same_prob(f, g)

    def loss(self, feats: torch.Tensor,
             data_samples: List[ReIDDataSample]) -> Dict[str, torch.Tensor]:
        """Cross-entropy on the same-identity labels, plus the accuracy.

        Args:
            feats (torch.Tensor): N x 2 x C x H x W trunk outputs of the N
                pairs.
            data_samples (list[ReIDDataSample]): ``gt_label`` 1 for a pair
                of the same identity, 0 otherwise.

        Returns:
            dict: ``loss_cls`` and ``acc_pair`` (percent, not a loss).
        """
        logits = self(feats[:, 0], feats[:, 1])
        labels = gt_labels(data_samples, logits.device, 'IDLAHead.loss')
        loss = self.loss_cls(logits, labels)
        acc = (logits.argmax(1) == labels).float().mean() * 100
        return dict(loss_cls=loss, acc_pair=acc.detach())

    def feat_shape(self) -> Tuple[int, int, int]:
        """tuple[int, int, int]: (C, H, W) of the expected trunk output."""
        return (self.in_channels, *self.feat_size)
