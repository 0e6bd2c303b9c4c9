# Copyright (c) mmreid contributors. All rights reserved.
"""IDLA's cross-input neighbourhood differences (Ahmed et al., CVPR 2015)."""
import torch
import torch.nn.functional as F
from torch import nn

from mmreid.registry import MODELS


def neighborhood_difference(f: torch.Tensor,
                            g: torch.Tensor,
                            size: int = 5) -> torch.Tensor:
    """Cross-input neighbourhood differences ``K`` of ``f`` against ``g``.

    For each channel ``i`` and position ``(y, x)`` the ``size x size`` block
    ``f_i(y, x) - g_i(y + a - r, x + b - r)`` (``a, b`` in ``0..size-1``,
    ``r = size // 2``, ``g`` zero-padded by ``r``) is laid out spatially at
    rows ``size*y + a`` and columns ``size*x + b``. The other direction,
    ``K'``, is ``neighborhood_difference(g, f)``: the centre comes from
    ``g`` and the neighbourhood from ``f``; it is *not* ``-K``.

    No ReLU is applied here (see :class:`NeighborhoodDifference`).

    Args:
        f (torch.Tensor): N x C x H x W, the centre values.
        g (torch.Tensor): N x C x H x W, the neighbourhoods.
        size (int): The (odd) neighbourhood size. Defaults to 5.

    Returns:
        torch.Tensor: N x C x (size*H) x (size*W).

    Examples:
        >>> f, g = torch.ones(1, 1, 2, 2), torch.zeros(1, 1, 2, 2)
        >>> neighborhood_difference(f, g, 3).shape
        torch.Size([1, 1, 6, 6])
    """
    if f.shape != g.shape:
        raise ValueError('neighborhood_difference: f and g must have the '
                         f'same shape, got {tuple(f.shape)} and '
                         f'{tuple(g.shape)}')
    if size % 2 != 1:
        raise ValueError(f'size must be odd, got {size}')
    n, c, h, w = f.shape
    r = size // 2
    padded = F.pad(g, (r, r, r, r)).contiguous()
    s = padded.stride()
    # A zero-copy (N, C, H, a, W, b) view of the padded neighbourhoods:
    # element (y, a, x, b) is padded[y + a, x + b] = g(y + a - r, x + b - r).
    blocks = padded.as_strided((n, c, h, size, w, size),
                               (s[0], s[1], s[2], s[2], s[3], s[3]))
    # One subtraction writes K directly in its spatial layout.
    diff = f[:, :, :, None, :, None] - blocks
    return diff.reshape(n, c, h * size, w * size)


@MODELS.register_module()
class NeighborhoodDifference(nn.Module):
    """IDLA layer 5: both cross-input neighbourhood differences, with ReLU.

    Returns ``(relu(K), relu(K'))`` with ``K = nd(f, g)`` and
    ``K' = nd(g, f)`` (see :func:`neighborhood_difference`); each is
    computed from the other image's neighbourhood.

    Args:
        size (int): Neighbourhood size. Defaults to 5.
        relu (bool): Apply a ReLU. Defaults to True.

    Examples:
        >>> layer = NeighborhoodDifference()
        >>> k, k2 = layer(torch.rand(2, 25, 37, 12), torch.rand(2, 25, 37, 12))
        >>> k.shape
        torch.Size([2, 25, 185, 60])
    """

    def __init__(self, size: int = 5, relu: bool = True) -> None:
        super().__init__()
        self.size = size
        self.relu = relu

    def forward(self, f: torch.Tensor, g: torch.Tensor):
        """Compute ``(K, K')``.

        Args:
            f (torch.Tensor): N x C x H x W features of the first images.
            g (torch.Tensor): N x C x H x W features of the second images.

        Returns:
            tuple[torch.Tensor, torch.Tensor]: Two N x C x sH x sW maps.
        """
        k = neighborhood_difference(f, g, self.size)
        k2 = neighborhood_difference(g, f, self.size)
        if self.relu:
            k, k2 = F.relu_(k), F.relu_(k2)
        return k, k2
