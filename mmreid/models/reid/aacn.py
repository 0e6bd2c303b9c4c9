# Copyright (c) mmreid contributors. All rights reserved.
"""AACN: attention-aware compositional network (CVPR 2018)."""
from typing import Dict, List, Optional

import torch

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from ..utils import set_requires_grad
from .base import BaseReID


@MODELS.register_module()
class AACN(BaseReID):
    """Attention-aware compositional network (Xu et al., CVPR 2018).

    - ``backbone``: the global context network (GCN), Inception-v1 to
      inception_4e: ``F`` (832 x 16 x 8 for 256 x 128 input).
    - ``ppa``: the pose-guided part attention network
      (:class:`~mmreid.models.pose.PoseGuidedPartAttention`, trained in
      step 1) gives the attention maps ``M = [R^, N]`` and the visibility
      scores ``v`` of the image itself (no pose at test time).
    - ``alignment`` (:class:`~mmreid.models.necks.AttentionAlignment`):
      ``f_p = GAP(F o M_p / max M_p)``.
    - ``composition`` (:class:`~mmreid.models.necks.WeightedComposition`):
      ``concat(GAP(F), w_p f_p)`` with visibility weights, then a linear
      embedding.
    - ``head`` (:class:`~mmreid.models.heads.BNNeckHead`): identity loss
      (and an optional triplet loss) on the embedding, which (after its BN)
      is the ranking feature.

    The steps are configs: PPA alone, the GCN alone (a
    :class:`~mmreid.models.reid.Baseline`), then this model, whose
    ``init_cfg`` of ``backbone`` / ``ppa`` load the two checkpoints. With
    ``freeze_ppa`` (default) the PPA is in eval mode without gradients.

    Args:
        backbone (dict): GCN config.
        ppa (dict): :class:`PoseGuidedPartAttention` config.
        composition (dict): :class:`WeightedComposition` config
            (``num_parts`` = the PPA's parts, ``in_channels`` = the GCN's).
        head (dict): Head config with ``loss`` and ``predict``.
        alignment (dict): Defaults to ``dict(type='AttentionAlignment')``.
        freeze_ppa (bool): Defaults to True.
        data_preprocessor (dict, optional): See :class:`BaseReID`.
        test_cfg (dict, optional): See :class:`BaseReID`.
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> ppa = dict(
        ...     type='PoseGuidedPartAttention',
        ...     trunk=dict(type='mmpretrain.ResNet', depth=18,
        ...                base_channels=8, stem_channels=8, num_stages=2,
        ...                strides=(1, 2), dilations=(1, 1),
        ...                out_indices=(1, )),
        ...     head=dict(type='PartAttentionHead', in_channels=16,
        ...               feat_channels=(16, ),
        ...               stage1=dict(channels=8, hidden=8),
        ...               refine=dict(num_convs=1, channels=8, hidden=8)))
        >>> model = AACN(
        ...     backbone=dict(type='InceptionV1'), ppa=ppa,
        ...     composition=dict(type='WeightedComposition',
        ...                      in_channels=832, num_parts=11),
        ...     head=dict(type='BNNeckHead', in_channels=512,
        ...               loss_cls=None, loss_triplet=None))
        >>> model(torch.randn(2, 3, 128, 64)).shape
        torch.Size([2, 512])
    """

    def __init__(self,
                 backbone: dict,
                 ppa: dict,
                 composition: dict,
                 head: dict,
                 alignment: dict = dict(type='AttentionAlignment'),
                 freeze_ppa: bool = True,
                 data_preprocessor: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor,
            test_cfg=test_cfg,
            init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.ppa = MODELS.build(ppa)
        self.alignment = MODELS.build(alignment)
        self.composition = MODELS.build(composition)
        self.head = MODELS.build(head)
        num_parts = len(self.ppa.part_names)
        if self.composition.num_parts != num_parts:
            raise ValueError(
                f'AACN: the composition expects '
                f'{self.composition.num_parts} parts, the PPA predicts '
                f'{num_parts} ({self.ppa.part_names})')
        self.freeze_ppa = freeze_ppa
        if freeze_ppa:
            set_requires_grad(self.ppa, False)

    def train(self, mode: bool = True) -> 'AACN':
        """Set train mode; a frozen PPA stays in eval mode."""
        super().train(mode)
        if self.freeze_ppa:
            self.ppa.eval()
        return self

    def attention(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The PPA's attention maps and visibility of the images."""
        if self.freeze_ppa:
            with torch.no_grad():
                return self.ppa.attention(inputs)
        return self.ppa.attention(inputs)

    def composed_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """GCN, PPA, alignment and composition: the head's input, N x D."""
        x = self.backbone(inputs)
        if isinstance(x, (tuple, list)):
            x = x[-1]
        att = self.attention(inputs)
        parts = self.alignment(x, att['maps'])
        return self.composition(x.mean(dim=(2, 3)), parts, att['visibility'])

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """The ranking feature (the head's prediction), N x D."""
        return self.head.predict(self.composed_feat(inputs))

    def loss(self, inputs: torch.Tensor,
             data_samples: List[ReIDDataSample]) -> Dict[str, torch.Tensor]:
        """Extract, then the head's losses."""
        return self.head.loss(self.composed_feat(inputs), data_samples)
