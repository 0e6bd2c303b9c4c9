# Copyright (c) mmreid contributors. All rights reserved.
"""DPL: deeply-learned part-aligned representations (ICCV 2017)."""
from typing import Dict, List, Optional

import torch

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from .base import BaseReID
from .pabr import gather_across_ranks


@MODELS.register_module()
class DPL(BaseReID):
    """Backbone feature maps -> part-map head (Zhao et al., ICCV 2017).

    The head (:class:`~mmreid.models.heads.PartMapHead`) turns the
    backbone's last map into the L2-normalised part-aligned descriptor and
    owns the triplet loss; that descriptor is also the ranking feature.

    Args:
        backbone (dict): Backbone config (Inception-v1 to inception_4e).
        head (dict): Head config with ``forward(maps)`` (the descriptor)
            and a ``loss_module`` called as ``loss_module(feats, labels)``
            (e.g. :class:`~mmreid.models.heads.PartMapHead`).
        gather_loss (bool): Under DDP, compute the loss over the batches
            of all ranks (as DPL's single-GPU Caffe code). Defaults to
            True.
        data_preprocessor (dict, optional): See :class:`BaseReID`.
        test_cfg (dict, optional): See :class:`BaseReID`.
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> model = DPL(backbone=dict(type='InceptionV1'),
        ...             head=dict(type='PartMapHead'))
        >>> model(torch.randn(2, 3, 160, 80)).shape
        torch.Size([2, 512])
    """

    def __init__(self,
                 backbone: dict,
                 head: dict,
                 gather_loss: bool = True,
                 data_preprocessor: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor,
            test_cfg=test_cfg,
            init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.head = MODELS.build(head)
        self.gather_loss = gather_loss

    def feature_maps(self, inputs: torch.Tensor) -> torch.Tensor:
        """The backbone's last feature map, N x C x H x W."""
        x = self.backbone(inputs)
        if isinstance(x, (tuple, list)):
            x = x[-1]
        return x

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """The L2-normalised part-aligned descriptor, N x D."""
        return self.head(self.feature_maps(inputs))

    def loss(self, inputs: torch.Tensor,
             data_samples: List[ReIDDataSample]) -> Dict[str, torch.Tensor]:
        """The head's metric loss on a training batch.

        Args:
            inputs (torch.Tensor): N x 3 x H x W.
            data_samples (list[ReIDDataSample]): With ``gt_label``.

        Returns:
            dict[str, Tensor]: ``loss_triplet``.
        """
        if not self.gather_loss:
            return self.head.loss(self.feature_maps(inputs), data_samples)
        feats = self.extract_feat(inputs)
        labels = torch.cat([s.gt_label for s in data_samples]).to(
            feats.device)
        if (labels < 0).any():
            raise ValueError('DPL.loss got samples without a training '
                             'label (label -1)')
        feats, labels = gather_across_ranks(feats, labels)
        return dict(loss_triplet=self.head.loss_module(feats, labels))
