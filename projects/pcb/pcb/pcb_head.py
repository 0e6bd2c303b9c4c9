# Copyright (c) mmreid contributors. All rights reserved.
"""PCB's head: horizontal stripes, a reduction and a classifier each."""
from typing import Dict, List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule

from mmreid.models.utils import check_filled, gt_labels
from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample

TEST_FEATURES = ('pooled', 'reduced')


@MODELS.register_module()
class PCBHead(BaseModule):
    """Part-based Convolutional Baseline head (Sun et al., ECCV 2018).

    From the backbone's last map T (2048 x 24 x 8 for a 384 x 128 input to
    a ResNet-50 with last stride 1):

    1. T is average-pooled into ``num_stripes`` horizontal stripes
       (``adaptive_avg_pool2d(T, (p, 1))``; with H divisible by p these
       are p equal, disjoint bands of H / p rows): the column vectors
       g_i (2048-d);
    2. each g_i goes through dropout, a 1 x 1 conv to
       ``reduced_channels`` (no bias), BN and ReLU: h_i (256-d); one conv
       per stripe, or one conv shared by all stripes with
       ``share_reduction=True`` (the official code's single ``local_conv``
       over the p x 1 map);
    3. each h_i has its own identity classifier (a linear layer); the
       training loss is the sum of the p cross-entropies (the official
       trainer back-propagates the six losses together).

    The test feature is the concatenation of the p stripe vectors, each
    L2-normalised: g (``test_feature='pooled'``, p x 2048-d, the official
    evaluation's output) or h (``'reduced'``, p x 256-d, the paper's
    compact alternative).

    Args:
        in_channels (int): Backbone channels. Defaults to 2048.
        num_classes (int, optional): Training identities; configs write
            ``'train_set.num_classes'``. None builds no classifiers
            (feature extraction only).
        num_stripes (int): p. Defaults to 6.
        reduced_channels (int): Channels of h. Defaults to 256.
        dropout (float): Dropout before the reduction (training only).
            Defaults to 0.5.
        share_reduction (bool): One 1 x 1 conv for all stripes. Defaults
            to False (one per stripe).
        test_feature (str): ``'pooled'`` (g) or ``'reduced'`` (h).
            Defaults to ``'pooled'``.
        loss_cls (dict): Identity loss config, called as
            ``loss(logits, labels)`` per stripe. Defaults to
            cross-entropy.
        init_cfg (dict, optional): Defaults to None: Kaiming-normal
            (fan-out) reductions, BN (1, 0), classifiers N(0, 0.001) with
            zero bias, as the official code.

    Examples:
        >>> head = PCBHead(in_channels=16, num_classes=5,
        ...                reduced_channels=8)
        >>> x = torch.randn(2, 16, 12, 4)
        >>> head.stripe_features(x).shape
        torch.Size([2, 6, 16])
        >>> head(x).shape
        torch.Size([2, 96])
        >>> [tuple(s.shape) for s in head.logits(x)][:2]
        [(2, 5), (2, 5)]
    """

    def __init__(self,
                 in_channels: int = 2048,
                 num_classes: Optional[int] = None,
                 num_stripes: int = 6,
                 reduced_channels: int = 256,
                 dropout: float = 0.5,
                 share_reduction: bool = False,
                 test_feature: str = 'pooled',
                 loss_cls: dict = dict(type='mmpretrain.CrossEntropyLoss'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if test_feature not in TEST_FEATURES:
            raise ValueError(f'PCBHead: test_feature must be one of '
                             f'{TEST_FEATURES}, got {test_feature!r}')
        if num_stripes < 1:
            raise ValueError(
                f'PCBHead: num_stripes must be >= 1, got {num_stripes}')
        num_classes = check_filled(num_classes, 'num_classes', 'PCBHead')
        self.in_channels = in_channels
        self.num_classes = num_classes
        self.num_stripes = num_stripes
        self.reduced_channels = reduced_channels
        self.share_reduction = share_reduction
        self.test_feature = test_feature
        self.drop = nn.Dropout(dropout)
        num_convs = 1 if share_reduction else num_stripes
        self.reductions = nn.ModuleList([
            ConvModule(
                in_channels,
                reduced_channels,
                1,
                bias=False,
                norm_cfg=dict(type='BN'),
                act_cfg=dict(type='ReLU')) for _ in range(num_convs)
        ])
        self.classifiers = None
        if num_classes is not None:
            self.classifiers = nn.ModuleList([
                nn.Linear(reduced_channels, num_classes)
                for _ in range(num_stripes)
            ])
        self.loss_cls = MODELS.build(loss_cls)

    def init_weights(self) -> None:
        """Initialise the new layers as the official code does."""
        super().init_weights()
        if self.init_cfg is not None:
            return
        for conv in self.reductions:
            nn.init.kaiming_normal_(conv.conv.weight, mode='fan_out')
            nn.init.constant_(conv.bn.weight, 1.)
            nn.init.constant_(conv.bn.bias, 0.)
        for fc in self.classifiers or []:
            nn.init.normal_(fc.weight, std=0.001)
            nn.init.constant_(fc.bias, 0.)

    def _pool(self, x: torch.Tensor) -> torch.Tensor:
        """Backbone maps (or a tuple of stages) -> N x C x p x 1."""
        if isinstance(x, (tuple, list)):
            x = x[-1]
        if x.dim() != 4:
            raise ValueError('PCBHead expects N x C x H x W backbone maps '
                             f'(a model without a pooling neck), got shape '
                             f'{tuple(x.shape)}')
        if x.shape[2] < self.num_stripes:
            raise ValueError(
                f'PCBHead: a {x.shape[2]}-row map cannot be cut into '
                f'{self.num_stripes} stripes; use a taller input or a '
                'backbone with a smaller stride')
        return F.adaptive_avg_pool2d(x, (self.num_stripes, 1))

    def stripe_features(self, x: torch.Tensor) -> torch.Tensor:
        """The pooled stripe vectors g: N x p x C (not normalised)."""
        return self._pool(x).flatten(2).transpose(1, 2)

    def reduced_features(self, x: torch.Tensor) -> List[torch.Tensor]:
        """The reduced stripe vectors h_i (N x reduced_channels each)."""
        g = self.drop(self._pool(x))
        out = []
        for i in range(self.num_stripes):
            conv = self.reductions[0 if self.share_reduction else i]
            out.append(conv(g[:, :, i:i + 1]).flatten(1))
        return out

    def logits(self, x: torch.Tensor) -> List[torch.Tensor]:
        """The p stripe classifiers' logits (N x num_classes each)."""
        if self.classifiers is None:
            raise ValueError('PCBHead was built without num_classes: it has '
                             'no classifiers')
        return [
            fc(h) for fc, h in zip(self.classifiers, self.reduced_features(x))
        ]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The test feature: p stripe vectors, each L2-normalised,
        concatenated (N x p * C or N x p * reduced_channels)."""
        if self.test_feature == 'pooled':
            parts = self.stripe_features(x)
        else:
            parts = torch.stack(self.reduced_features(x), 1)
        return F.normalize(parts, dim=2).flatten(1)

    def predict(self, x: torch.Tensor) -> torch.Tensor:
        """The ranking feature (as :meth:`forward`)."""
        return self(x)

    def loss(self, x: torch.Tensor,
             data_samples: List[ReIDDataSample]) -> Dict[str, torch.Tensor]:
        """The sum of the stripes' identity losses.

        Args:
            x (torch.Tensor): Backbone maps, N x C x H x W.
            data_samples (list[ReIDDataSample]): With ``gt_label``.

        Returns:
            dict[str, Tensor]: ``loss_cls`` (sum over stripes) and
            ``accuracy`` (top-1 of the summed stripe logits, percent).
        """
        labels = gt_labels(data_samples, x[-1].device if isinstance(
            x, (tuple, list)) else x.device, 'PCBHead.loss')
        logits = self.logits(x)
        loss = sum(self.loss_cls(lg, labels) for lg in logits)
        with torch.no_grad():
            acc = (torch.stack(logits).sum(0).argmax(1) == labels).float()
        return dict(loss_cls=loss, accuracy=acc.mean() * 100)
