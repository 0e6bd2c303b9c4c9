# Copyright (c) mmreid contributors. All rights reserved.
"""PABR: part-aligned bilinear representations (ECCV 2018)."""
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from .base import BaseReID


@MODELS.register_module()
class PABR(BaseReID):
    """Two-stream part-aligned bilinear model (Suh et al., ECCV 2018).

    - Appearance stream: ``backbone`` (Inception-v1 with dilation 2: 832 x
      20 x 10 for 160 x 80 input), then a 1 x 1 conv to ``app_channels``
      and BN(affine=False), no ReLU: A (512 x 20 x 10).
    - Part stream (``part_stream``, e.g. :class:`PosePartStream`): P (128
      x 20 x 10) at A's resolution.
    - ``pooling(A, P)``: bilinear pooling summed over locations, exact
      (:class:`~mmreid.models.necks.BilinearPooling`, 65,536-d) or compact
      (:class:`~mmreid.models.necks.CompactBilinearPooling`, 512-d): the
      neck.
    - ``head`` (:class:`~mmreid.models.heads.EmbeddingHead`): L2
      normalisation; the descriptor is the ranking feature and the input of
      the loss the head owns (all-triplets, margin 0.2, squared distances,
      mined over the batches of all ranks as the papers' single-process
      code mined over the whole batch).

    Without a part stream (``part_stream=None``) ``pooling`` is called on A
    alone, e.g. global average pooling: PABR's appearance-only baseline.

    Args:
        backbone (dict): Appearance backbone config.
        part_stream (dict, optional): Part stream config, called as
            ``part_stream(inputs, out_size=A.shape[-2:])`` (e.g.
            :class:`~mmreid.models.pose.PosePartStream`).
        pooling (dict): Pooling config.
        head (dict): Head config with ``predict(feats)`` and ``loss(feats,
            data_samples)``. Defaults to ``dict(type='EmbeddingHead')``.
        in_channels (int): Backbone channels. Defaults to 832.
        app_channels (int): Appearance channels. Defaults to 512.
        app_norm_cfg (dict, optional): Norm after the appearance 1 x 1
            conv. Defaults to ``dict(type='BN', affine=False)`` (PABR);
            None gives a plain linear 1 x 1 conv with bias (the official
            appearance-only ``inception_v1`` model, where it follows global
            pooling: a linear map commutes with average pooling).
        data_preprocessor (dict, optional): See :class:`BaseReID`.
        test_cfg (dict, optional): See :class:`BaseReID`.
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> model = PABR(
        ...     backbone=dict(type='InceptionV1', dilation=2),
        ...     part_stream=None,
        ...     pooling=dict(type='mmpretrain.GlobalAveragePooling'))
        >>> model(torch.randn(2, 3, 160, 80)).shape
        torch.Size([2, 512])
    """

    def __init__(self,
                 backbone: dict,
                 pooling: dict,
                 part_stream: Optional[dict] = None,
                 head: dict = dict(type='EmbeddingHead'),
                 in_channels: int = 832,
                 app_channels: int = 512,
                 app_norm_cfg: Optional[dict] = dict(type='BN', affine=False),
                 data_preprocessor: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor,
            test_cfg=test_cfg,
            init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.app_reduce = ConvModule(
            in_channels,
            app_channels,
            1,
            norm_cfg=app_norm_cfg,
            act_cfg=None)
        self.part_stream = MODELS.build(part_stream) if part_stream \
            else None
        self.pooling = MODELS.build(pooling)
        self.head = MODELS.build(head)

    def init_weights(self) -> None:
        """Backbone/part-stream weights; Xavier-uniform new 1x1 conv."""
        super().init_weights()
        nn.init.xavier_uniform_(self.app_reduce.conv.weight)

    def streams(
        self, inputs: torch.Tensor
    ) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """The appearance map A and the part map P (None without stream).

        Args:
            inputs (torch.Tensor): N x 3 x H x W.

        Returns:
            tuple: A (N x C_A x h x w) and P (N x C_P x h x w) or None.
        """
        x = self.backbone(inputs)
        if isinstance(x, (tuple, list)):
            x = x[-1]
        a = self.app_reduce(x)
        p = None
        if self.part_stream is not None:
            p = self.part_stream(inputs, out_size=tuple(a.shape[-2:]))
        return a, p

    def pooled_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """Both streams and the pooling: the head's input, N x D."""
        a, p = self.streams(inputs)
        feats = self.pooling(a) if p is None else self.pooling(a, p)
        if isinstance(feats, (tuple, list)):
            feats = feats[-1]
        return feats.flatten(1)

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """The ranking feature (the head's prediction), N x D."""
        return self.head.predict(self.pooled_feat(inputs))

    def loss(self, inputs: torch.Tensor,
             data_samples: List[ReIDDataSample]) -> Dict[str, torch.Tensor]:
        """Extract, then the head's losses."""
        return self.head.loss(self.pooled_feat(inputs), data_samples)
