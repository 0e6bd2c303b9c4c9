# Copyright (c) mmreid contributors. All rights reserved.
"""The tied convolution trunk of IDLA (Ahmed et al., CVPR 2015)."""
from typing import Tuple

import torch
from mmengine.model import BaseModule
from torch import nn

from mmreid.registry import MODELS


@MODELS.register_module()
class IDLATrunk(BaseModule):
    """IDLA's per-image layers 1-4: two tied 5x5 conv + 2x2 max-pool blocks.

    The weights are tied between the two images of a pair simply by running
    the same module on both, so the trunk is a per-image network and its
    output can be computed once per image and cached (evaluation runs it
    once per image, not once per pair).

    Shapes for the paper's 160 x 60 input: conv1 (20, 5x5, valid) ->
    156 x 56, pool -> 78 x 28, conv2 (25, 5x5, valid) -> 74 x 24, pool ->
    **25 x 37 x 12** (C x H x W).

    Args:
        in_channels (int): Image channels. Defaults to 3.
        channels (Tuple[int, int]): Filters of conv1 and conv2. Defaults to
            (20, 25).
        kernel_size (int): Kernel size of both convs. Defaults to 5.
        init_cfg (dict | list, optional): Defaults to Kaiming init of the
            convs.

    Examples:
        >>> trunk = IDLATrunk()
        >>> trunk(torch.rand(2, 3, 160, 60)).shape
        torch.Size([2, 25, 37, 12])
    """

    def __init__(self,
                 in_channels: int = 3,
                 channels: Tuple[int, int] = (20, 25),
                 kernel_size: int = 5,
                 init_cfg=dict(
                     type='Kaiming',
                     layer='Conv2d',
                     mode='fan_in',
                     nonlinearity='relu')) -> None:
        super().__init__(init_cfg=init_cfg)
        c1, c2 = channels
        self.out_channels = c2
        self.layers = nn.Sequential(
            nn.Conv2d(in_channels, c1, kernel_size), nn.ReLU(inplace=True),
            nn.MaxPool2d(2, 2), nn.Conv2d(c1, c2, kernel_size),
            nn.ReLU(inplace=True), nn.MaxPool2d(2, 2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Run the trunk.

        Args:
            x (torch.Tensor): N x C x H x W images.

        Returns:
            torch.Tensor: N x 25 x H' x W' feature maps.
        """
        return self.layers(x)
