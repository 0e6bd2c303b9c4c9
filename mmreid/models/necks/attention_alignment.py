# Copyright (c) mmreid contributors. All rights reserved.
"""AACN's attention-aware feature alignment: one feature per part map."""
import torch
import torch.nn.functional as F
from mmengine.model import BaseModule

from mmreid.registry import MODELS

POOLING_MODES = ('gap', 'weighted_mean')


@MODELS.register_module()
class AttentionAlignment(BaseModule):
    """Pool a feature map once per attention map (AACN's alignment step).

    For every attention map ``M_p`` (AACN: the rigid maps ``R^_p`` and the
    non-rigid maps ``N_p`` of the part-attention network), resized to the
    feature map ``F`` (bilinear, pixel centres aligned) and clipped at 0:

    - ``pooling='gap'`` (default): ``M^_p = M_p / max(M_p)``,
      ``F_p^a = F o M^_p`` (element-wise, broadcast over channels),
      ``f_p = GAP(F_p^a)``;
    - ``pooling='weighted_mean'``: the attention-weighted mean
      ``f_p = sum_xy M_p F / (sum_xy M_p + eps)``.

    The output stacks ``f_1 .. f_P``; ``f^a = concat(f_1 .. f_P)`` is its
    flattening.

    Args:
        pooling (str): ``'gap'`` or ``'weighted_mean'``. Defaults to
            ``'gap'``.
        eps (float): Guards the divisions (an all-zero map gives a zero
            feature). Defaults to 1e-6.
        init_cfg (dict, optional): Unused (no parameters).

    Examples:
        >>> feats = torch.ones(1, 4, 2, 2)
        >>> maps = torch.tensor([[[[2., 0.], [0., 0.]]]])  # one part
        >>> AttentionAlignment()(feats, maps)  # GAP of F o (M / 2)
        tensor([[[0.2500, 0.2500, 0.2500, 0.2500]]])
    """

    def __init__(self,
                 pooling: str = 'gap',
                 eps: float = 1e-6,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        if pooling not in POOLING_MODES:
            raise ValueError(f'pooling must be one of {POOLING_MODES}, got '
                             f'{pooling!r}')
        self.pooling = pooling
        self.eps = eps

    def forward(self, feats: torch.Tensor,
                maps: torch.Tensor) -> torch.Tensor:
        """Part features.

        Args:
            feats (torch.Tensor): ``F``, N x C x H x W.
            maps (torch.Tensor): Attention maps, N x P x h x w (any size;
                resized to H x W).

        Returns:
            torch.Tensor: N x P x C.
        """
        if feats.ndim != 4 or maps.ndim != 4 or len(feats) != len(maps):
            raise ValueError(
                'AttentionAlignment expects N x C x H x W features and N x '
                f'P x h x w maps, got {tuple(feats.shape)} and '
                f'{tuple(maps.shape)}')
        if maps.shape[-2:] != feats.shape[-2:]:
            maps = F.interpolate(
                maps, size=feats.shape[-2:], mode='bilinear',
                align_corners=False)
        maps = maps.to(feats.dtype).clamp(min=0)
        pooled = torch.einsum('nchw,nphw->npc', feats, maps)
        if self.pooling == 'gap':
            peak = maps.flatten(2).amax(-1)
            return pooled / (peak[..., None] + self.eps) / (
                feats.shape[-2] * feats.shape[-1])
        return pooled / (maps.sum(dim=(2, 3))[..., None] + self.eps)
