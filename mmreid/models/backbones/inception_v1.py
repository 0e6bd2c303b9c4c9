# Copyright (c) mmreid contributors. All rights reserved.
"""Inception-v1 (GoogLeNet) to inception_4e or 5b, with a dilation option."""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule

from mmreid.registry import MODELS

#: torchvision's ImageNet weights of GoogLeNet (``GoogLeNet_Weights.
#: IMAGENET1K_V1``, ported from TensorFlow). Their state-dict keys match
#: :class:`InceptionV1` with ``arch='torchvision'``; they expect RGB input
#: scaled to [-1, 1] (mean 127.5, std 127.5 in 0-255 units).
TORCHVISION_GOOGLENET_URL = ('https://download.pytorch.org/models/'
                             'googlenet-1378be20.pth')

# (in, 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool proj), as BVLC GoogLeNet
INCEPTION_CFGS = dict(
    inception3a=(192, 64, 96, 128, 16, 32, 32),
    inception3b=(256, 128, 128, 192, 32, 96, 64),
    inception4a=(480, 192, 96, 208, 16, 48, 64),
    inception4b=(512, 160, 112, 224, 24, 64, 64),
    inception4c=(512, 128, 128, 256, 24, 64, 64),
    inception4d=(512, 112, 144, 288, 32, 64, 64),
    inception4e=(528, 256, 160, 320, 32, 128, 128),
    inception5a=(832, 256, 160, 320, 32, 128, 128),
    inception5b=(832, 384, 192, 384, 48, 128, 128),
)


class InceptionBlock(nn.Module):
    """One Inception module: four parallel branches, concatenated.

    Branch names follow torchvision (``branch1`` 1x1; ``branch2`` 1x1 ->
    3x3; ``branch3`` 1x1 -> 5x5, or 3x3 as in torchvision; ``branch4``
    3x3 max-pool -> 1x1), so torchvision's weights load as they are.

    Args:
        in_channels (int): Input channels.
        ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj (int): Branch
            widths, as in the GoogLeNet paper's table.
        kernel5 (int): Kernel of the "5x5" branch (5 in BVLC, 3 in
            torchvision). Defaults to 5.
        dilation (int): Dilation of the spatial convs and of the pool
            branch (whose kernel becomes ``2 * dilation + 1`` as in PABR's
            code). Defaults to 1.
        norm_cfg (dict, optional): Norm after every conv (torchvision: BN
            with eps 1e-3; BVLC: None, convs with bias).
    """

    def __init__(self,
                 in_channels: int,
                 ch1x1: int,
                 ch3x3red: int,
                 ch3x3: int,
                 ch5x5red: int,
                 ch5x5: int,
                 pool_proj: int,
                 kernel5: int = 5,
                 dilation: int = 1,
                 norm_cfg: Optional[dict] = None) -> None:
        super().__init__()

        def conv(cin, cout, k=1):
            pad = (k // 2) * dilation
            return ConvModule(
                cin,
                cout,
                k,
                padding=pad,
                dilation=dilation if k > 1 else 1,
                norm_cfg=norm_cfg)

        self.branch1 = conv(in_channels, ch1x1)
        self.branch2 = nn.Sequential(
            conv(in_channels, ch3x3red), conv(ch3x3red, ch3x3, 3))
        self.branch3 = nn.Sequential(
            conv(in_channels, ch5x5red), conv(ch5x5red, ch5x5, kernel5))
        self.branch4 = nn.Sequential(
            nn.MaxPool2d(
                2 * dilation + 1, stride=1, padding=dilation,
                ceil_mode=True), conv(in_channels, pool_proj))
        self.out_channels = ch1x1 + ch3x3 + ch5x5 + pool_proj

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Concatenate the four branches."""
        return torch.cat([
            self.branch1(x),
            self.branch2(x),
            self.branch3(x),
            self.branch4(x)
        ], 1)


@MODELS.register_module()
class InceptionV1(BaseModule):
    """Inception-v1 (GoogLeNet) up to ``inception_4e`` (832 channels).

    The trunk DPL and PABR build on. For a 160 x 80 input: conv1 (stride 2)
    80 x 40, pool1 40 x 20, pool2 20 x 10, inception_3a/3b 480 x 20 x 10,
    pool3 10 x 5, inception_4a..4e **832 x 10 x 5**. With ``dilation=2``
    (PABR) pool3 is removed and the spatial convs of 4a..4e are dilated, so
    inception_4e is **832 x 20 x 10** at the same receptive-field growth.

    Two flavours:

    - ``'torchvision'`` (default): torchvision's GoogLeNet layers (conv +
      BN, the "5x5" branch is 3x3, no LRN), so its ImageNet weights
      (:data:`TORCHVISION_GOOGLENET_URL`) load with ``init_cfg=dict(
      type='Pretrained', checkpoint=TORCHVISION_GOOGLENET_URL)``.
    - ``'bvlc'``: the BVLC Caffe net of both papers (convs with bias and
      ReLU, no BN, 5x5 branches, local response normalisation after pool1
      and conv2). No converted Caffe weights are published at a stable
      URL, so this flavour is for users who convert them.

    Args:
        arch (str): ``'torchvision'`` or ``'bvlc'``. Defaults to
            ``'torchvision'``.
        dilation (int): 1, or 2 to drop pool3 and dilate 4a..4e.
            Defaults to 1.
        out_indices (Sequence[int]): Which stages to return, of
            ``(pool2, inception_3b, inception_4e, inception_5b)`` = ``(0,
            1, 2, 3)``. Stage 3 adds pool4 (2 x 2, stride 2, as torchvision)
            and inception_5a/5b (1024 channels, 5 x 3 for 160 x 80 input):
            the whole GoogLeNet trunk, as PABR's appearance-only
            ``inception_v1`` model. Defaults to ``(2, )``.
        norm_eval (bool): Keep the BN layers in eval mode while training.
            Defaults to False.
        init_cfg (dict, optional): Initialisation config, e.g. the
            torchvision weights. Defaults to Kaiming for convs.

    Examples:
        >>> net = InceptionV1(dilation=2)
        >>> net(torch.randn(1, 3, 160, 80))[-1].shape
        torch.Size([1, 832, 20, 10])
        >>> InceptionV1()(torch.randn(1, 3, 160, 80))[-1].shape
        torch.Size([1, 832, 10, 5])
        >>> InceptionV1(out_indices=(3, ))(torch.randn(1, 3, 160, 80))[0].shape
        torch.Size([1, 1024, 5, 3])
    """

    stage_names = ('pool2', 'inception3b', 'inception4e', 'inception5b')

    def __init__(self,
                 arch: str = 'torchvision',
                 dilation: int = 1,
                 out_indices: Sequence[int] = (2, ),
                 norm_eval: bool = False,
                 init_cfg: Optional[dict] = dict(
                     type='Kaiming', layer='Conv2d')) -> None:
        super().__init__(init_cfg=init_cfg)
        if arch not in ('torchvision', 'bvlc'):
            raise ValueError(
                f"arch must be 'torchvision' or 'bvlc', got {arch!r}")
        if dilation not in (1, 2):
            raise ValueError(f'dilation must be 1 or 2, got {dilation}')
        for i in out_indices:
            if not -4 <= i < 4:
                raise IndexError(f'out_indices {i} not in range(4)')
        self.arch = arch
        self.dilation = dilation
        self.out_indices = tuple(i % 4 for i in out_indices)
        self.norm_eval = norm_eval
        bvlc = arch == 'bvlc'
        norm_cfg = None if bvlc else dict(type='BN', eps=1e-3)
        kernel5 = 5 if bvlc else 3

        self.conv1 = ConvModule(
            3, 64, 7, stride=2, padding=3, norm_cfg=norm_cfg)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = ConvModule(64, 64, 1, norm_cfg=norm_cfg)
        self.conv3 = ConvModule(64, 192, 3, padding=1, norm_cfg=norm_cfg)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        # Caffe's LRN(local_size=5, alpha=1e-4, beta=0.75) after pool1 and
        # conv2/3x3 (BVLC only; torchvision replaced it by BN)
        self.lrn1 = nn.LocalResponseNorm(5, 1e-4, 0.75, 1.) if bvlc \
            else nn.Identity()
        self.lrn2 = nn.LocalResponseNorm(5, 1e-4, 0.75, 1.) if bvlc \
            else nn.Identity()

        def add_blocks(names: Sequence[str], dilation: int = 1) -> None:
            for name in names:
                self.add_module(
                    name,
                    InceptionBlock(
                        *INCEPTION_CFGS[name],
                        kernel5=kernel5,
                        dilation=dilation,
                        norm_cfg=norm_cfg))

        add_blocks(('inception3a', 'inception3b'))
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True) \
            if dilation == 1 else nn.Identity()
        add_blocks(('inception4a', 'inception4b', 'inception4c',
                    'inception4d', 'inception4e'), dilation)
        self.with_stage5 = 3 in self.out_indices
        if self.with_stage5:
            self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)
            add_blocks(('inception5a', 'inception5b'), dilation)
        self.out_channels = (192, 480, 832, 1024)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Run the trunk.

        Args:
            x (torch.Tensor): N x 3 x H x W images.

        Returns:
            tuple[torch.Tensor]: The stages of ``out_indices``.
        """
        outs = []
        x = self.lrn1(self.maxpool1(self.conv1(x)))
        x = self.maxpool2(self.lrn2(self.conv3(self.conv2(x))))
        outs.append(x)
        x = self.inception3b(self.inception3a(x))
        outs.append(x)
        x = self.maxpool3(x)
        for name in ('inception4a', 'inception4b', 'inception4c',
                     'inception4d', 'inception4e'):
            x = getattr(self, name)(x)
        outs.append(x)
        if self.with_stage5:
            x = self.inception5b(self.inception5a(self.maxpool4(x)))
            outs.append(x)
        return tuple(outs[i] for i in self.out_indices)

    def train(self, mode: bool = True) -> 'InceptionV1':
        """Set train mode; BN layers stay in eval mode if ``norm_eval``."""
        super().train(mode)
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, nn.modules.batchnorm._BatchNorm):
                    m.eval()
        return self
