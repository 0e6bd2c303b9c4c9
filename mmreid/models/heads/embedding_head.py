# Copyright (c) mmreid contributors. All rights reserved.
"""A parameter-free embedding head: (L2-normalise) + a metric loss."""
from typing import Dict, List, Optional

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from ..losses.triplet_loss import ALL_TRIPLETS_ACROSS_RANKS
from ..utils import gt_labels


@MODELS.register_module()
class EmbeddingHead(BaseModule):
    """The pooled descriptor, optionally L2-normalised, with a metric loss.

    For models whose descriptor is final after pooling (PABR's bilinear
    pooling, its appearance-only ablation): the head L2-normalises it
    (``normalize``) and trains it with ``loss_triplet``; the same normalised
    descriptor is the ranking feature.

    Args:
        normalize (bool): L2-normalise the descriptor. Defaults to True.
        loss_triplet (dict, optional): Metric loss config, called as
            ``loss(feats, labels)``. Defaults to the all-triplets loss with
            margin 0.2 on squared distances, mined over the batches of all
            ranks (PABR's loss).
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> head = EmbeddingHead()
        >>> head(torch.tensor([[3., 4.]])).tolist()
        [[0.6000000238418579, 0.800000011920929]]
    """

    def __init__(self,
                 normalize: bool = True,
                 loss_triplet: Optional[dict] = ALL_TRIPLETS_ACROSS_RANKS,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.normalize = normalize
        self.loss_triplet = MODELS.build(loss_triplet) if loss_triplet \
            else None

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        """The descriptor of pooled features (N x D, or N x D x 1 x 1)."""
        feats = feats.flatten(1)
        return F.normalize(feats, dim=1) if self.normalize else feats

    def predict(self, feats: torch.Tensor) -> torch.Tensor:
        """The ranking feature (same as :meth:`forward`)."""
        return self(feats)

    def loss(self, feats: torch.Tensor,
             data_samples: List[ReIDDataSample]) -> Dict[str, torch.Tensor]:
        """The metric loss of a training batch.

        Args:
            feats (torch.Tensor): Pooled features, N x D.
            data_samples (list[ReIDDataSample]): With ``gt_label``.

        Returns:
            dict[str, Tensor]: ``loss_triplet``.
        """
        if self.loss_triplet is None:
            raise ValueError('EmbeddingHead.loss: no loss_triplet configured')
        feats = self(feats)
        labels = gt_labels(data_samples, feats.device, 'EmbeddingHead.loss')
        return dict(loss_triplet=self.loss_triplet(feats, labels))
