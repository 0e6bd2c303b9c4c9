# Copyright (c) mmreid contributors. All rights reserved.
"""A DCGAN-style strided convolution stack (IP-GAN's A and D trunks)."""
from typing import List, Tuple

from mmcv.cnn import build_norm_layer
from torch import nn


def strided_conv_stack(in_channels: int,
                       base_channels: int,
                       num_downsamples: int,
                       norm_cfg: dict,
                       max_mult: int = 8) -> Tuple[nn.Sequential, int]:
    """``num_downsamples`` 4 x 4 stride-2 convs with LeakyReLU(0.2).

    Widths ``base_channels * min(2 ** k, max_mult)``; every conv but the
    first is followed by the norm layer of ``norm_cfg``.

    Args:
        in_channels (int): Input channels.
        base_channels (int): Width of the first conv.
        num_downsamples (int): Number of stride-2 convs (>= 1).
        norm_cfg (dict): mmcv norm config.
        max_mult (int): Width cap, in multiples of ``base_channels``.

    Returns:
        tuple[nn.Sequential, int]: The stack and its output channels.

    Examples:
        >>> import torch
        >>> stack, out = strided_conv_stack(3, 8, 3, dict(type='BN'))
        >>> stack(torch.randn(2, 3, 32, 16)).shape, out
        (torch.Size([2, 32, 4, 2]), 32)
    """
    if num_downsamples < 1:
        raise ValueError(
            f'num_downsamples must be >= 1, got {num_downsamples}')
    layers: List[nn.Module] = []
    cin = in_channels
    for k in range(num_downsamples):
        cout = base_channels * min(2**k, max_mult)
        layers.append(nn.Conv2d(cin, cout, 4, 2, 1, bias=k == 0))
        if k > 0:
            layers.append(build_norm_layer(norm_cfg, cout)[1])
        layers.append(nn.LeakyReLU(0.2, True))
        cin = cout
    return nn.Sequential(*layers), cin


def check_divisible(input_size: Tuple[int, int], num_downsamples: int,
                    owner: str) -> Tuple[int, int]:
    """The bottleneck size of ``input_size`` after ``num_downsamples``
    halvings; raises if it does not divide."""
    h, w = input_size
    scale = 2**num_downsamples
    if h % scale or w % scale:
        raise ValueError(f'{owner}: input_size {tuple(input_size)} must be '
                         f'divisible by 2 ** num_downsamples = {scale}')
    return h // scale, w // scale
