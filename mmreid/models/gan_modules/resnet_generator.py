# Copyright (c) mmreid contributors. All rights reserved.
"""PN-GAN's generator: a CycleGAN-style ResNet encoder-decoder."""
from typing import List, Optional, Sequence

import torch
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmreid.registry import MODELS


class ResidualBlock(nn.Module):
    """Two 3 x 3 convs with norm; identity skip; ReLU after the sum.

    PN-GAN's residual block (its ReLU follows the addition, unlike
    CycleGAN's, which has none there).

    Args:
        channels (int): Channels in and out.
        norm_cfg (dict): Norm layer config. Defaults to IN.
        bias (bool): Conv biases. Defaults to True.

    Examples:
        >>> block = ResidualBlock(8)
        >>> block(torch.randn(1, 8, 6, 4)).shape
        torch.Size([1, 8, 6, 4])
    """

    def __init__(self,
                 channels: int,
                 norm_cfg: dict = dict(type='IN'),
                 bias: bool = True) -> None:
        super().__init__()
        self.conv1 = nn.Sequential(
            nn.Conv2d(channels, channels, 3, 1, 1, bias=bias),
            build_norm_layer(norm_cfg, channels)[1], nn.ReLU(True))
        self.conv2 = nn.Sequential(
            nn.Conv2d(channels, channels, 3, 1, 1, bias=bias),
            build_norm_layer(norm_cfg, channels)[1])
        self.relu = nn.ReLU(True)

    def forward(self, x: Tensor) -> Tensor:
        """x -> ReLU(x + conv2(conv1(x)))."""
        return self.relu(x + self.conv2(self.conv1(x)))


@MODELS.register_module()
class ResnetGenerator(BaseModule):
    """Generate a person image in a target pose from an image and a pose
    image (PN-GAN's G_P, docs/en/method_specs.md, PN-GAN).

    The input is ``concat(image, pose image)`` (``in_channels`` = 3 + 3);
    layers (shapes for a 256 x 128 input, ``ngf=64``):

    ====================================================  =================
    reflect-pad 3, conv 7 x 7 -> ngf, norm, ReLU          64 x 256 x 128
    ``num_downsamples`` x (conv 3 x 3 s2, norm, ReLU)     128 x 128 x 64,
                                                          256 x 64 x 32
    ``num_blocks`` :class:`ResidualBlock`                 256 x 64 x 32
    ``num_downsamples`` x (deconv 3 x 3 s2, output        128 x 128 x 64,
    padding 1, norm, ReLU)                                64 x 256 x 128
    reflect-pad 3, conv 7 x 7 -> 3 (no bias), tanh        3 x 256 x 128
    ====================================================  =================

    The norm is InstanceNorm without affine parameters and there is no
    explicit initialisation (PyTorch's defaults), as in the official code.

    Args:
        in_channels (int): Input channels (image + pose image). Defaults
            to 6.
        out_channels (int): Output channels. Defaults to 3.
        ngf (int): Base width. Defaults to 64.
        num_blocks (int): Residual blocks. Defaults to 9.
        num_downsamples (int): Stride-2 convs (and transposed convs); the
            input size must be divisible by ``2 ** num_downsamples``.
            Defaults to 2.
        norm_cfg (dict): Norm layer config. Defaults to ``dict(type='IN')``.
        init_cfg (dict | list, optional): Defaults to None (PyTorch's
            default initialisation).

    Examples:
        >>> g = ResnetGenerator(ngf=8, num_blocks=2)
        >>> g(torch.randn(2, 3, 64, 32), torch.randn(2, 3, 64, 32)).shape
        torch.Size([2, 3, 64, 32])
    """

    def __init__(self,
                 in_channels: int = 6,
                 out_channels: int = 3,
                 ngf: int = 64,
                 num_blocks: int = 9,
                 num_downsamples: int = 2,
                 norm_cfg: dict = dict(type='IN'),
                 init_cfg: Optional[Sequence[dict]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_downsamples < 0 or num_blocks < 0:
            raise ValueError('num_downsamples and num_blocks must be >= 0')
        self.in_channels = in_channels
        self.scale = 2**num_downsamples

        def norm(c):
            return build_norm_layer(norm_cfg, c)[1]

        layers: List[nn.Module] = [
            nn.ReflectionPad2d(3),
            nn.Conv2d(in_channels, ngf, 7),
            norm(ngf),
            nn.ReLU(True)
        ]
        ch = ngf
        for _ in range(num_downsamples):
            layers += [nn.Conv2d(ch, ch * 2, 3, 2, 1), norm(ch * 2),
                       nn.ReLU(True)]
            ch *= 2
        layers += [ResidualBlock(ch, norm_cfg) for _ in range(num_blocks)]
        for _ in range(num_downsamples):
            layers += [
                nn.ConvTranspose2d(ch, ch // 2, 3, 2, 1, output_padding=1),
                norm(ch // 2),
                nn.ReLU(True)
            ]
            ch //= 2
        layers += [
            nn.ReflectionPad2d(3),
            nn.Conv2d(ch, out_channels, 7, bias=False),
            nn.Tanh()
        ]
        self.model = nn.Sequential(*layers)

    def forward(self, img: Tensor, pose_img: Tensor) -> Tensor:
        """Generate images.

        Args:
            img (Tensor): N x 3 x H x W source images in [-1, 1] (or any
                normalised space the targets share).
            pose_img (Tensor): N x 3 x H x W target pose images,
                normalised like the images.

        Returns:
            Tensor: N x 3 x H x W images in (-1, 1).
        """
        if img.shape[0] != pose_img.shape[0] or img.shape[
                -2:] != pose_img.shape[-2:]:
            raise ValueError(
                f'ResnetGenerator: images {tuple(img.shape)} and pose '
                f'images {tuple(pose_img.shape)} must have one batch size '
                'and image size')
        x = torch.cat([img, pose_img], dim=1)
        if x.shape[1] != self.in_channels:
            raise ValueError(
                f'ResnetGenerator: image + pose image have {x.shape[1]} '
                f'channels, expected {self.in_channels}')
        h, w = x.shape[-2:]
        if h % self.scale or w % self.scale:
            raise ValueError(
                f'ResnetGenerator: image size {(h, w)} must be divisible by '
                f'2 ** num_downsamples = {self.scale}')
        return self.model(x)
