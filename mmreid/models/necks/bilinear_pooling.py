# Copyright (c) mmreid contributors. All rights reserved.
"""Exact bilinear pooling of two feature maps."""
from typing import Optional

import torch
from mmengine.model import BaseModule

from mmreid.registry import MODELS


@MODELS.register_module()
class BilinearPooling(BaseModule):
    """Sum (or average) over locations of the outer product of two maps.

    For maps ``a`` (N x C1 x H x W) and ``p`` (N x C2 x H x W), the output
    is ``sum_xy vec(a_xy p_xy^T)`` (N x C1*C2, row-major: index
    ``i * C2 + j`` holds ``sum_xy a_xy[i] p_xy[j]``). PABR's part-aligned
    representation: the inner product of two such vectors is
    ``sum_{xy, x'y'} <a_xy, a'_x'y'> <p_xy, p'_x'y'>``, appearance
    similarity weighted by part similarity over all location pairs.

    Args:
        avg (bool): Divide by the number of locations (average instead of
            PABR's sum pooling). Defaults to False.
        init_cfg (dict, optional): Unused (no parameters).

    Examples:
        >>> pool = BilinearPooling()
        >>> a, p = torch.randn(2, 8, 5, 3), torch.randn(2, 4, 5, 3)
        >>> pool(a, p).shape
        torch.Size([2, 32])
    """

    def __init__(self,
                 avg: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.avg = avg

    def forward(self, a: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
        """Pool the outer products.

        Args:
            a (torch.Tensor): N x C1 x H x W (appearance).
            p (torch.Tensor): N x C2 x H x W (part), same H x W.

        Returns:
            torch.Tensor: N x (C1 * C2).
        """
        if a.shape[0] != p.shape[0] or a.shape[2:] != p.shape[2:]:
            raise ValueError('BilinearPooling needs maps of the same batch '
                             f'and size, got {tuple(a.shape)} and '
                             f'{tuple(p.shape)}')
        n = a.shape[0]
        out = torch.bmm(a.flatten(2), p.flatten(2).transpose(1, 2))
        if self.avg:
            out = out / (a.shape[2] * a.shape[3])
        return out.reshape(n, -1)
