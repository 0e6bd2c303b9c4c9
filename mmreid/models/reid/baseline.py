# Copyright (c) mmreid contributors. All rights reserved.
"""The ResNet-50 baseline (BNNeck, identity CE + batch-hard triplet)."""
from typing import Dict, List, Optional, Tuple

import torch

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from .base import BaseReID


@MODELS.register_module()
class Baseline(BaseReID):
    """Backbone -> neck (pooling) -> embedding head.

    The strong baseline the GAN papers compare against, in its modern form
    (Luo et al. 2019): an ImageNet ResNet-50 with last stride 1, global
    average pooling, a BNNeck head trained with label-smoothed identity
    cross-entropy and batch-hard triplet loss. Any backbone/neck/head of the
    registries can be composed the same way.

    Args:
        backbone (dict): Backbone config; its last output is used.
        neck (dict, optional): Pooling neck config (N x C x H x W -> N x C).
            Defaults to global average pooling.
        head (dict): Head config with ``loss(feats, data_samples)`` (the
            training losses, computed by the losses the head owns) and
            ``predict(feats)`` (the ranking feature).
        data_preprocessor (dict, optional): See :class:`BaseReID`.
        test_cfg (dict, optional): See :class:`BaseReID`.
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> model = Baseline(
        ...     backbone=dict(type='mmpretrain.ResNet', depth=18,
        ...                   strides=(1, 2, 2, 1), out_indices=(3, )),
        ...     head=dict(type='BNNeckHead', in_channels=512,
        ...               num_classes=4))
        >>> model(torch.randn(2, 3, 64, 32)).shape
        torch.Size([2, 512])
    """

    def __init__(self,
                 backbone: dict,
                 head: dict,
                 neck: Optional[dict] = dict(
                     type='mmpretrain.GlobalAveragePooling'),
                 data_preprocessor: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor,
            test_cfg=test_cfg,
            init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck) if neck else None
        self.head = MODELS.build(head)

    def pooled_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """Backbone + neck: the head's input.

        Returns:
            torch.Tensor: The pooled feature, N x C, or with ``neck=None``
            the backbone's last feature map (N x C x H x W), for heads that
            pool themselves.
        """
        x = self.backbone(inputs)
        if isinstance(x, (tuple, list)):
            x = x[-1]
        if self.neck is None:
            return x
        x = self.neck(x)
        if isinstance(x, (tuple, list)):
            x = x[-1]
        return x.flatten(1)

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """The ranking feature (the head's prediction), N x D."""
        return self.head.predict(self.pooled_feat(inputs))

    def classify(self, inputs: torch.Tensor) -> Tuple[torch.Tensor,
                                                      torch.Tensor]:
        """Identity logits and the penultimate feature (the head's
        ``classify``), for models that use the network as a classifier
        (e.g. IP-GAN's C and its feature matching)."""
        return self.head.classify(self.pooled_feat(inputs))

    def loss(self, inputs: torch.Tensor,
             data_samples: List[ReIDDataSample]) -> Dict[str, torch.Tensor]:
        """Extract, then the head's losses."""
        return self.head.loss(self.pooled_feat(inputs), data_samples)
