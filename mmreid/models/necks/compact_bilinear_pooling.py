# Copyright (c) mmreid contributors. All rights reserved.
"""Compact bilinear pooling (Tensor Sketch, Gao et al., CVPR 2016)."""
from typing import Optional

import numpy as np
import torch
from mmengine.model import BaseModule

from mmreid.registry import MODELS


def count_sketch_matrix(input_dim: int, output_dim: int, seed_h: int,
                        seed_s: int) -> torch.Tensor:
    """The dense ``input_dim x output_dim`` matrix of a count sketch.

    Row ``i`` has a single non-zero, ``s[i]`` in {-1, +1}, at column
    ``h[i]``; ``h`` and ``s`` are drawn with NumPy's legacy generator seeded
    with ``seed_h`` and ``seed_s`` (as PABR's code, seeds 1/3 and 5/7).

    Args:
        input_dim (int): Input dimension.
        output_dim (int): Sketch dimension.
        seed_h (int): Seed of the hash ``h``.
        seed_s (int): Seed of the signs ``s``.

    Returns:
        torch.Tensor: The float32 matrix.

    Examples:
        >>> m = count_sketch_matrix(6, 4, 1, 3)
        >>> m.shape, m.abs().sum(1).tolist()
        (torch.Size([6, 4]), [1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    """
    h = np.random.RandomState(seed_h).randint(output_dim, size=input_dim)
    s = 2 * np.random.RandomState(seed_s).randint(2, size=input_dim) - 1
    mat = torch.zeros(input_dim, output_dim)
    mat[torch.arange(input_dim), torch.from_numpy(h)] = torch.from_numpy(
        s).float()
    return mat


@MODELS.register_module()
class CompactBilinearPooling(BaseModule):
    """Tensor-Sketch approximation of :class:`BilinearPooling`.

    Each location's vectors ``a_xy`` (C1) and ``p_xy`` (C2) are count-
    sketched to ``output_dim`` (fixed random hashes and signs, kept as
    buffers so they are saved with the model and never trained), the
    sketches are circularly convolved (FFT product, inverse FFT) and the
    results are summed over locations. The inner product of two outputs is
    an unbiased estimate of the inner product of the exact
    ``C1 * C2``-dimensional bilinear vectors (Pham & Pagh 2013), so this is
    PABR's 512-d descriptor in place of the 65,536-d one.

    Matches PABR's ``CompactBilinearPooling`` (sum pooling, sketches seeded
    1/3 and 5/7, output scaled so that the inverse FFT is the plain
    circular convolution).

    Args:
        input_dim1 (int): Channels of the first map (appearance, 512).
        input_dim2 (int): Channels of the second map (part, 128).
        output_dim (int): Sketch dimension. Defaults to 512.
        sum_pool (bool): Sum over locations (N x D output); False returns
            the per-location sketch N x D x H x W. Defaults to True.
        seeds (tuple[int]): Seeds of ``(h1, s1, h2, s2)``. Defaults to
            ``(1, 3, 5, 7)``.
        init_cfg (dict, optional): Unused (no parameters).

    Examples:
        >>> cbp = CompactBilinearPooling(8, 4, 16)
        >>> cbp(torch.randn(2, 8, 5, 3), torch.randn(2, 4, 5, 3)).shape
        torch.Size([2, 16])
    """

    def __init__(self,
                 input_dim1: int,
                 input_dim2: int,
                 output_dim: int = 512,
                 sum_pool: bool = True,
                 seeds: tuple = (1, 3, 5, 7),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.input_dim1 = input_dim1
        self.input_dim2 = input_dim2
        self.output_dim = output_dim
        self.sum_pool = sum_pool
        self.register_buffer(
            'sketch1',
            count_sketch_matrix(input_dim1, output_dim, seeds[0], seeds[1]))
        self.register_buffer(
            'sketch2',
            count_sketch_matrix(input_dim2, output_dim, seeds[2], seeds[3]))

    def forward(self, a: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
        """Pool the sketched outer products.

        Args:
            a (torch.Tensor): N x C1 x H x W.
            p (torch.Tensor): N x C2 x H x W, same H x W.

        Returns:
            torch.Tensor: N x D (or N x D x H x W without ``sum_pool``).
        """
        if a.shape[1] != self.input_dim1 or p.shape[1] != self.input_dim2:
            raise ValueError(
                f'CompactBilinearPooling({self.input_dim1}, '
                f'{self.input_dim2}) got {a.shape[1]} and {p.shape[1]} '
                'channels')
        if a.shape[0] != p.shape[0] or a.shape[2:] != p.shape[2:]:
            raise ValueError('CompactBilinearPooling needs maps of the same '
                             f'batch and size, got {tuple(a.shape)} and '
                             f'{tuple(p.shape)}')
        n, _, h, w = a.shape
        # N x HW x C -> N x HW x D sketches (float32 FFT for AMP safety)
        s1 = a.flatten(2).transpose(1, 2).float() @ self.sketch1
        s2 = p.flatten(2).transpose(1, 2).float() @ self.sketch2
        d = self.output_dim
        conv = torch.fft.irfft(
            torch.fft.rfft(s1, dim=-1) * torch.fft.rfft(s2, dim=-1),
            n=d,
            dim=-1)
        if self.sum_pool:
            return conv.sum(1)
        return conv.transpose(1, 2).reshape(n, d, h, w)
