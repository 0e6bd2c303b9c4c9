# Copyright (c) mmreid contributors. All rights reserved.
"""The BNNeck embedding head (Luo et al., "Bag of Tricks", 2019)."""
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from ..utils import check_filled, gt_labels


@MODELS.register_module()
class BNNeckHead(BaseModule):
    """Embedding head with a batch-norm neck, identity and triplet losses.

    The triplet loss sees the pooled feature ``f``; a BatchNorm1d whose bias
    is frozen at 0 gives ``f_bn``, on which a bias-free linear classifier is
    trained with (label-smoothed) cross-entropy. At test time the feature is
    ``f_bn`` (``test_feature='after_bn'``) or ``f``.

    Args:
        in_channels (int): Dimension of the pooled feature.
        num_classes (int, optional): Training identities. None builds no
            classifier (feature extraction only). Configs write
            ``'train_set.num_classes'``, which :class:`ReIDRunner` fills
            from the training set.
        loss_cls (dict, optional): Identity loss config, called as
            ``loss(logits, labels)``. None disables it.
        loss_triplet (dict, optional): Metric loss config, called as
            ``loss(feats, labels)``. None disables it.
        test_feature (str): ``'after_bn'`` or ``'before_bn'``.
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> head = BNNeckHead(in_channels=8, num_classes=None, loss_cls=None)
        >>> head(torch.randn(4, 8)).shape
        torch.Size([4, 8])
    """

    def __init__(self,
                 in_channels: int,
                 num_classes: Optional[int] = None,
                 loss_cls: Optional[dict] = dict(
                     type='mmpretrain.LabelSmoothLoss',
                     label_smooth_val=0.1,
                     mode='original'),
                 loss_triplet: Optional[dict] = dict(
                     type='TripletLoss', margin=0.3),
                 test_feature: str = 'after_bn',
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if test_feature not in ('after_bn', 'before_bn'):
            raise ValueError("test_feature must be 'after_bn' or "
                             f"'before_bn', got {test_feature!r}")
        num_classes = check_filled(num_classes, 'num_classes',
                                   type(self).__name__)
        self.in_channels = in_channels
        self.num_classes = num_classes
        self.test_feature = test_feature
        self.bn = nn.BatchNorm1d(in_channels)
        self.bn.bias.requires_grad_(False)
        self.classifier = None
        if num_classes is not None:
            self.classifier = nn.Linear(in_channels, num_classes, bias=False)
        self.loss_cls = MODELS.build(loss_cls) if loss_cls else None
        self.loss_triplet = MODELS.build(loss_triplet) if loss_triplet \
            else None
        if self.loss_cls is not None and self.classifier is None:
            raise ValueError(
                "BNNeckHead: loss_cls needs num_classes; set it, or write "
                "'train_set.num_classes' and build through ReIDRunner (with "
                'a train_dataloader)')

    def init_weights(self) -> None:
        """BN weight 1 / bias 0, classifier N(0, 0.001) (as BoT)."""
        super().init_weights()
        nn.init.constant_(self.bn.weight, 1.0)
        nn.init.constant_(self.bn.bias, 0.0)
        if self.classifier is not None:
            nn.init.normal_(self.classifier.weight, std=0.001)

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        """Return the test-time feature of pooled features (N x C)."""
        if self.test_feature == 'before_bn':
            return feats
        return self.bn(feats)

    def predict(self, feats: torch.Tensor) -> torch.Tensor:
        """The ranking feature of pooled features (same as :meth:`forward`)."""
        return self(feats)

    def classify(self, feats: torch.Tensor) -> Tuple[torch.Tensor,
                                                     torch.Tensor]:
        """Identity logits and the classifier's input feature.

        Args:
            feats (torch.Tensor): Pooled features, N x C.

        Returns:
            tuple[Tensor, Tensor]: N x ``num_classes`` logits and the
            N x C feature after the BN neck (the penultimate layer, e.g.
            for feature matching).
        """
        if self.classifier is None:
            raise ValueError('BNNeckHead.classify needs num_classes')
        feat = self.bn(feats)
        return self.classifier(feat), feat

    def loss(self, feats: torch.Tensor,
             data_samples: List[ReIDDataSample]) -> Dict[str, torch.Tensor]:
        """Compute the training losses.

        Args:
            feats (torch.Tensor): Pooled features, N x C.
            data_samples (list[ReIDDataSample]): With ``gt_label``.

        Returns:
            dict[str, Tensor]: ``loss_cls``, ``loss_triplet`` and
            ``accuracy`` (top-1 of the classifier, in percent).
        """
        labels = gt_labels(data_samples, feats.device, 'BNNeckHead.loss')
        losses = dict()
        if self.loss_triplet is not None:
            losses['loss_triplet'] = self.loss_triplet(feats, labels)
        if self.loss_cls is not None:
            logits = self.classifier(self.bn(feats))
            losses['loss_cls'] = self.loss_cls(logits, labels)
            with torch.no_grad():
                acc = (logits.argmax(1) == labels).float().mean() * 100
            losses['accuracy'] = acc
        return losses
