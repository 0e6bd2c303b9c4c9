# Copyright (c) mmreid contributors. All rights reserved.
"""The pix2pix PatchGAN discriminator (FD-GAN's pose discriminator)."""
from typing import List, Optional, Sequence

from mmengine.model import BaseModule
from torch import Tensor, nn

from mmreid.registry import MODELS
from .pose_guided_generator import GAN_INIT_CFG


@MODELS.register_module()
class PatchDiscriminator(BaseModule):
    """PatchGAN: a map of real/fake logits over overlapping patches.

    pix2pix's ``NLayerDiscriminator`` (Isola et al. 2017), used by FD-GAN as
    the pose discriminator D_pd on ``concat(pose maps, image)``
    (docs/en/method_specs.md, FD-GAN): 4 x 4 convs, the first
    ``num_layers`` with stride 2 (no norm on the first), then one stride-1
    conv with ``ndf * min(2 ** num_layers, 8)`` channels and a stride-1
    conv to one logit channel; BN and LeakyReLU(0.2). For 21 x 256 x 128
    inputs and 3 layers the output is 1 x 30 x 14. No sigmoid: the losses
    take logits.

    Args:
        in_channels (int): Input channels. Defaults to 21 (18 pose maps +
            RGB).
        ndf (int): Base width. Defaults to 64.
        num_layers (int): Stride-2 convs. Defaults to 3.
        init_cfg (dict | list, optional): Defaults to N(0, 0.02) convs and
            N(1, 0.02) BN weights.

    Examples:
        >>> import torch
        >>> d = PatchDiscriminator(in_channels=21, ndf=8)
        >>> d(torch.randn(2, 21, 256, 128)).shape
        torch.Size([2, 1, 30, 14])
    """

    def __init__(self,
                 in_channels: int = 21,
                 ndf: int = 64,
                 num_layers: int = 3,
                 init_cfg: Optional[Sequence[dict]] = None) -> None:
        super().__init__(
            init_cfg=GAN_INIT_CFG if init_cfg is None else init_cfg)
        self.in_channels = in_channels
        layers: List[nn.Module] = [
            nn.Conv2d(in_channels, ndf, 4, 2, 1),
            nn.LeakyReLU(0.2, True)
        ]
        mult = 1
        for n in range(1, num_layers + 1):
            prev, mult = mult, min(2**n, 8)
            stride = 2 if n < num_layers else 1
            layers += [
                nn.Conv2d(ndf * prev, ndf * mult, 4, stride, 1, bias=False),
                nn.BatchNorm2d(ndf * mult),
                nn.LeakyReLU(0.2, True)
            ]
        layers.append(nn.Conv2d(ndf * mult, 1, 4, 1, 1))
        self.model = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        """N x ``in_channels`` x H x W -> N x 1 x H' x W' logits."""
        if x.shape[1] != self.in_channels:
            raise ValueError(f'PatchDiscriminator: expected '
                             f'{self.in_channels} input channels, got '
                             f'{x.shape[1]}')
        return self.model(x)
