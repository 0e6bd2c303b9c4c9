# Copyright (c) mmreid contributors. All rights reserved.
"""The pix2pix PatchGAN discriminator (FD-GAN's D_pd, PN-GAN's D)."""
from typing import List, Optional, Sequence

from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmreid.registry import MODELS
from .pose_guided_generator import GAN_INIT_CFG


@MODELS.register_module()
class PatchDiscriminator(BaseModule):
    """PatchGAN: a map of real/fake logits over overlapping patches.

    pix2pix's ``NLayerDiscriminator`` (Isola et al. 2017): 4 x 4 convs, the
    first ``num_layers`` with stride 2 and padding 1 (no norm on the first),
    then one stride-1 conv with ``ndf * min(2 ** num_layers, 8)`` channels
    and a stride-1 conv to one logit channel, each followed (but the last)
    by LeakyReLU(0.2); the convs after the first one are followed by the
    norm layer of ``norm_cfg``. No sigmoid: the losses take logits.

    Two settings are used (docs/en/method_specs.md):

    - FD-GAN's pose discriminator D_pd (the defaults): 21 input channels
      (``concat(pose maps, image)``), BN, the two stride-1 convs padded
      (``final_padding=1``), biases on the first and last convs only. For
      21 x 256 x 128 inputs and 3 layers the output is 1 x 30 x 14.
    - PN-GAN's discriminator as its official code trains it: 3 input
      channels (the image alone), InstanceNorm (``norm_cfg=dict(type='IN')``),
      the two stride-1 convs unpadded (``final_padding=0``), no bias on the
      first and last convs and biases on the normed ones
      (``first_bias=False, norm_bias=True, last_bias=False``). For
      3 x 256 x 128 inputs the output is 1 x 26 x 10.

    Args:
        in_channels (int): Input channels. Defaults to 21 (18 pose maps +
            RGB).
        ndf (int): Base width. Defaults to 64.
        num_layers (int): Stride-2 convs. Defaults to 3.
        norm_cfg (dict): Norm layer of the inner convs (mmcv's
            ``build_norm_layer``: ``'BN'``, ``'IN'`` (no affine
            parameters), ...). Defaults to ``dict(type='BN')``.
        final_padding (int): Padding of the two stride-1 convs. Defaults
            to 1.
        first_bias (bool): Bias of the first conv. Defaults to True.
        norm_bias (bool): Bias of the convs followed by a norm layer.
            Defaults to False.
        last_bias (bool): Bias of the logit conv. Defaults to True.
        init_cfg (dict | list, optional): Defaults to N(0, 0.02) convs and
            N(1, 0.02) BN weights; ``[]`` keeps PyTorch's default
            initialisation (PN-GAN's code).

    Examples:
        >>> import torch
        >>> d = PatchDiscriminator(in_channels=21, ndf=8)
        >>> d(torch.randn(2, 21, 256, 128)).shape
        torch.Size([2, 1, 30, 14])
        >>> d = PatchDiscriminator(in_channels=3, ndf=8,
        ...                        norm_cfg=dict(type='IN'), final_padding=0,
        ...                        first_bias=False, norm_bias=True,
        ...                        last_bias=False)
        >>> d(torch.randn(2, 3, 256, 128)).shape
        torch.Size([2, 1, 26, 10])
    """

    def __init__(self,
                 in_channels: int = 21,
                 ndf: int = 64,
                 num_layers: int = 3,
                 norm_cfg: dict = dict(type='BN'),
                 final_padding: int = 1,
                 first_bias: bool = True,
                 norm_bias: bool = False,
                 last_bias: bool = True,
                 init_cfg: Optional[Sequence[dict]] = None) -> None:
        super().__init__(
            init_cfg=GAN_INIT_CFG if init_cfg is None else init_cfg)
        if num_layers < 1:
            raise ValueError(f'num_layers must be >= 1, got {num_layers}')
        if final_padding < 0:
            raise ValueError(
                f'final_padding must be >= 0, got {final_padding}')
        self.in_channels = in_channels
        layers: List[nn.Module] = [
            nn.Conv2d(in_channels, ndf, 4, 2, 1, bias=first_bias),
            nn.LeakyReLU(0.2, True)
        ]
        mult = 1
        for n in range(1, num_layers + 1):
            prev, mult = mult, min(2**n, 8)
            last = n == num_layers
            layers += [
                nn.Conv2d(ndf * prev, ndf * mult, 4, 1 if last else 2,
                          final_padding if last else 1, bias=norm_bias),
                build_norm_layer(norm_cfg, ndf * mult)[1],
                nn.LeakyReLU(0.2, True)
            ]
        layers.append(
            nn.Conv2d(ndf * mult, 1, 4, 1, final_padding, bias=last_bias))
        self.model = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        """N x ``in_channels`` x H x W -> N x 1 x H' x W' logits."""
        if x.shape[1] != self.in_channels:
            raise ValueError(f'PatchDiscriminator: expected '
                             f'{self.in_channels} input channels, got '
                             f'{x.shape[1]}')
        return self.model(x)
