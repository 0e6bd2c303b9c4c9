# Copyright (c) mmreid contributors. All rights reserved.
"""FD-GAN's verification classifier on the squared feature difference."""
from typing import Dict, List, Optional

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from ..utils import gt_labels


@MODELS.register_module()
class SquaredDiffVerificationHead(BaseModule):
    """Score a pair of features: ``Linear(BN((f1 - f2) ** 2))``.

    The "embed model" of FD-GAN's Siamese encoder (docs/en/method_specs.md,
    FD-GAN):
    the element-wise squared (or absolute) difference of two pooled
    features, batch-normalised and classified. With ``num_classes=2`` it is
    the verification classifier V (class 1 = same identity); with
    ``num_classes=1`` it is the identity discriminator's real/fake logit.

    Initialisation as the official code: BN weight 1, bias 0; the classifier
    weights N(0, 0.001), bias 0.

    Args:
        in_channels (int): Feature size. Defaults to 2048.
        num_classes (int): 2 (verification) or 1 (a single logit).
            Defaults to 2.
        nonlinearity (str): ``'square'`` or ``'abs'``. Defaults to
            ``'square'``.
        loss_verif (dict, optional): Pair classification loss config,
            called as ``loss(logits, labels)`` (2 classes only). Defaults
            to cross-entropy; None (a discriminator's head) has no
            :meth:`loss`.
        init_cfg (dict, optional): Defaults to the official initialisation.

    Examples:
        >>> head = SquaredDiffVerificationHead(in_channels=8)
        >>> f1, f2 = torch.randn(4, 8), torch.randn(4, 8)
        >>> head(f1, f2).shape
        torch.Size([4, 2])
        >>> head.same_prob(f1, f2).shape
        torch.Size([4])
    """

    def __init__(self,
                 in_channels: int = 2048,
                 num_classes: int = 2,
                 nonlinearity: str = 'square',
                 loss_verif: Optional[dict] = dict(
                     type='mmpretrain.CrossEntropyLoss'),
                 init_cfg: Optional[dict] = None) -> None:
        if init_cfg is None:
            init_cfg = [
                dict(type='Constant', layer='BatchNorm1d', val=1, bias=0),
                dict(type='Normal', layer='Linear', std=0.001, bias=0),
            ]
        super().__init__(init_cfg=init_cfg)
        if nonlinearity not in ('square', 'abs'):
            raise ValueError("nonlinearity must be 'square' or 'abs', got "
                             f'{nonlinearity!r}')
        if num_classes not in (1, 2):
            raise ValueError(f'num_classes must be 1 or 2, got {num_classes}')
        self.in_channels = in_channels
        self.num_classes = num_classes
        self.nonlinearity = nonlinearity
        self.bn = nn.BatchNorm1d(in_channels)
        self.classifier = nn.Linear(in_channels, num_classes)
        self.loss_verif = None
        if loss_verif is not None and num_classes == 2:
            self.loss_verif = MODELS.build(loss_verif)

    def forward(self, feats1: Tensor, feats2: Tensor) -> Tensor:
        """Logits of pairs.

        Args:
            feats1 (Tensor): N x C features of the first images.
            feats2 (Tensor): N x C features of the second images.

        Returns:
            Tensor: N x ``num_classes`` logits.
        """
        diff = feats1.flatten(1) - feats2.flatten(1)
        diff = diff.pow(2) if self.nonlinearity == 'square' else diff.abs()
        return self.classifier(self.bn(diff))

    def same_prob(self, feats1: Tensor, feats2: Tensor) -> Tensor:
        """``P(same identity)`` of pairs (softmax class 1, or sigmoid).

        Args:
            feats1 (Tensor): N x C.
            feats2 (Tensor): N x C.

        Returns:
            Tensor: N probabilities.
        """
        logits = self(feats1, feats2)
        if self.num_classes == 1:
            return torch.sigmoid(logits[:, 0])
        return F.softmax(logits, dim=1)[:, 1]

    def predict(self, feats1: Tensor, feats2: Tensor) -> Tensor:
        """``P(same identity)`` of pairs (as :meth:`same_prob`)."""
        return self.same_prob(feats1, feats2)

    def loss(self, feats: Tensor,
             data_samples: List[ReIDDataSample]) -> Dict[str, Tensor]:
        """Verification loss of a batch of pairs.

        Args:
            feats (Tensor): N x 2 x C features of the N pairs.
            data_samples (list[ReIDDataSample]): ``gt_label`` 1 for a pair
                of the same identity, 0 otherwise.

        Returns:
            dict: ``loss_verif`` and ``acc_verif`` (percent, not a loss).
        """
        if self.loss_verif is None:
            raise ValueError(
                'SquaredDiffVerificationHead.loss needs num_classes=2 and a '
                'loss_verif config')
        logits = self(feats[:, 0], feats[:, 1])
        labels = gt_labels(data_samples, logits.device,
                           'SquaredDiffVerificationHead.loss')
        acc = (logits.argmax(1) == labels).float().mean() * 100
        return dict(loss_verif=self.loss_verif(logits, labels),
                    acc_verif=acc.detach())
