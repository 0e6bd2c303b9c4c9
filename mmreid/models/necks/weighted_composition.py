# Copyright (c) mmreid contributors. All rights reserved.
"""AACN's weighted feature composition with part visibility."""
from typing import Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmreid.registry import MODELS

VISIBILITY_NORMS = ('mean', 'max', 'none')


@MODELS.register_module()
class WeightedComposition(BaseModule):
    """Compose a global feature and visibility-weighted part features.

    ``f = fc(concat(f_g, w_1 f_1, ..., w_P f_P))`` with the weights ``w_p``
    of the visibility scores ``v_p`` of each image:

    - ``visibility_norm='mean'`` (default): ``w_p = v_p / mean_q v_q``
      (weights averaging 1, so the scale of ``v`` -- a sum of map values
      -- does not matter);
    - ``'max'``: ``w_p = v_p / max_q v_q``;
    - ``'none'``: ``w_p = v_p``.

    ``visibility_weighting=False`` sets every ``w_p = 1`` (the ablation
    without visibility scores). ``with_global=False`` leaves ``f_g`` out.
    ``out_channels=None`` leaves the linear layer out.

    Args:
        in_channels (int): Channels ``C`` of each part feature (and of
            ``f_g``).
        num_parts (int): P.
        out_channels (int, optional): Embedding size. Defaults to 512.
        with_global (bool): Concatenate ``f_g``. Defaults to True.
        visibility_weighting (bool): Weight parts by visibility.
            Defaults to True.
        visibility_norm (str): ``'mean'``, ``'max'`` or ``'none'``.
        eps (float): Guards the normalisation. Defaults to 1e-6.
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> comp = WeightedComposition(2, 2, out_channels=None,
        ...                            with_global=False)
        >>> parts = torch.ones(1, 2, 2)
        >>> comp(None, parts, torch.tensor([[3., 1.]]))  # w = 1.5, 0.5
        tensor([[1.5000, 1.5000, 0.5000, 0.5000]])
    """

    def __init__(self,
                 in_channels: int,
                 num_parts: int,
                 out_channels: Optional[int] = 512,
                 with_global: bool = True,
                 visibility_weighting: bool = True,
                 visibility_norm: str = 'mean',
                 eps: float = 1e-6,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if visibility_norm not in VISIBILITY_NORMS:
            raise ValueError(f'visibility_norm must be one of '
                             f'{VISIBILITY_NORMS}, got {visibility_norm!r}')
        self.in_channels = in_channels
        self.num_parts = num_parts
        self.with_global = with_global
        self.visibility_weighting = visibility_weighting
        self.visibility_norm = visibility_norm
        self.eps = eps
        dim = in_channels * (num_parts + int(with_global))
        self.fc = nn.Linear(dim, out_channels) if out_channels else None
        self.out_channels = out_channels or dim

    def weights(self, visibility: torch.Tensor) -> torch.Tensor:
        """The part weights ``w`` (N x P) of visibility scores (N x P)."""
        if not self.visibility_weighting:
            return torch.ones_like(visibility)
        if self.visibility_norm == 'mean':
            return visibility / (visibility.mean(1, keepdim=True) + self.eps)
        if self.visibility_norm == 'max':
            return visibility / (
                visibility.amax(1, keepdim=True) + self.eps)
        return visibility

    def forward(self, global_feat: Optional[torch.Tensor],
                part_feats: torch.Tensor,
                visibility: torch.Tensor) -> torch.Tensor:
        """The composed feature.

        Args:
            global_feat (torch.Tensor, optional): ``f_g``, N x C (needed
                with ``with_global``).
            part_feats (torch.Tensor): N x P x C.
            visibility (torch.Tensor): N x P.

        Returns:
            torch.Tensor: N x out_channels.
        """
        n, p, c = part_feats.shape
        if (p, c) != (self.num_parts, self.in_channels) or \
                visibility.shape != (n, p):
            raise ValueError(
                f'WeightedComposition({self.in_channels}, {self.num_parts})'
                f': got part features {tuple(part_feats.shape)} and '
                f'visibility {tuple(visibility.shape)}')
        parts = part_feats * self.weights(visibility)[..., None]
        feats = [parts.flatten(1)]
        if self.with_global:
            if global_feat is None:
                raise ValueError('WeightedComposition(with_global=True) '
                                 'needs the global feature')
            feats.insert(0, global_feat.flatten(1))
        x = torch.cat(feats, 1)
        return self.fc(x) if self.fc is not None else x
