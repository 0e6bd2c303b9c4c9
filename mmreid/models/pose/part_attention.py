# Copyright (c) mmreid contributors. All rights reserved.
"""AACN's pose-guided part attention network (PPA) as a trainable model."""
from typing import Dict, List, Optional, Union

import torch
from mmengine.model import BaseModel

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample


@MODELS.register_module()
class PoseGuidedPartAttention(BaseModel):
    """PPA: a trunk and a :class:`~mmreid.models.heads.PartAttentionHead`.

    Step 1 of AACN trains it alone on keypoint targets (``'loss'`` mode:
    the head's L^ppa); :class:`~mmreid.models.reid.AACN` then runs it on
    the re-ID image for the attention maps and the visibility scores, so
    no pose is needed at test time.

    Modes: ``'loss'`` (the head's losses), ``'tensor'`` (the head's
    per-stage maps) and ``'predict'`` (the data samples with
    ``pred_heatmaps``, ``pred_part_maps`` (the attention maps, rigid parts
    then limbs) and ``pred_visibility`` set).

    Args:
        trunk (dict): Backbone config (its last output is used), e.g.
            ``mmpretrain.VGG`` to conv4 (stride 8).
        head (dict): :class:`PartAttentionHead` config (``in_channels`` =
            the trunk's channels).
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='ReIDDataPreprocessor')`` (unused when the network
            is a part of AACN, which normalises the images itself: give
            both the same normalisation).
        init_cfg (dict, optional): Initialisation config (AACN loads the
            step-1 checkpoint with ``dict(type='Pretrained', ...)``).

    Examples:
        >>> ppa = PoseGuidedPartAttention(
        ...     trunk=dict(type='mmpretrain.ResNet', depth=18,
        ...                base_channels=8, stem_channels=8, num_stages=2,
        ...                strides=(1, 2), dilations=(1, 1),
        ...                out_indices=(1, )),
        ...     head=dict(type='PartAttentionHead', in_channels=16,
        ...               feat_channels=(16, ),
        ...               stage1=dict(channels=8, hidden=8),
        ...               refine=dict(num_convs=1, channels=8, hidden=8)))
        >>> att = ppa.attention(torch.randn(2, 3, 128, 64))
        >>> att['maps'].shape, att['visibility'].shape
        (torch.Size([2, 11, 16, 8]), torch.Size([2, 11]))
    """

    def __init__(self,
                 trunk: dict,
                 head: dict,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='ReIDDataPreprocessor')
        if isinstance(data_preprocessor, dict):
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.trunk = MODELS.build(trunk)
        self.head = MODELS.build(head)

    @property
    def part_names(self) -> List[str]:
        """list[str]: The attention channels (rigid parts, then limbs)."""
        return self.head.part_names

    def feats(self, inputs: torch.Tensor) -> torch.Tensor:
        """The trunk's last feature map."""
        x = self.trunk(inputs)
        if isinstance(x, (tuple, list)):
            x = x[-1]
        return x

    def attention(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The last stage's maps, attention maps and visibility scores.

        Args:
            inputs (torch.Tensor): N x 3 x H x W normalised images.

        Returns:
            dict: See :meth:`PartAttentionHead.predict` (``maps`` N x P x h
            x w, ``visibility`` N x P, ``keypoints``, ...).
        """
        return self.head.predict(self.feats(inputs))

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[ReIDDataSample]] = None,
                mode: str = 'tensor'
                ) -> Union[Dict[str, torch.Tensor], List[ReIDDataSample],
                           List[Dict[str, torch.Tensor]]]:
        """Dispatch ``'loss'``, ``'predict'`` or ``'tensor'``.

        Args:
            inputs (torch.Tensor): N x 3 x H x W normalised images.
            data_samples (list[ReIDDataSample], optional): With the targets
                (``'loss'``).
            mode (str): ``'loss'``, ``'predict'`` or ``'tensor'``.
        """
        if mode == 'loss':
            return self.head.loss(self.feats(inputs), data_samples)
        if mode == 'tensor':
            return self.head(self.feats(inputs))
        if mode == 'predict':
            out = self.attention(inputs)
            if data_samples is None:
                data_samples = [ReIDDataSample() for _ in range(len(inputs))]
            for i, sample in enumerate(data_samples):
                sample.set_field(out['keypoints'][i].detach(),
                                 'pred_heatmaps')
                sample.set_field(out['maps'][i].detach(), 'pred_part_maps')
                sample.set_field(out['visibility'][i].detach(),
                                 'pred_visibility')
            return data_samples
        raise ValueError(f'Invalid mode {mode!r}: expected "loss", '
                         '"predict" or "tensor"')
