# Copyright (c) mmreid contributors. All rights reserved.
"""FD-GAN's pose-guided generator."""
from typing import List, Optional, Sequence, Tuple

import torch
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmreid.registry import MODELS

#: FD-GAN's initialisation: N(0, 0.02) for (transposed) convs and linear
#: layers, N(1, 0.02) for BN weights (bias 0).
GAN_INIT_CFG = [
    dict(type='Normal',
         layer=['Conv2d', 'ConvTranspose2d', 'Linear'],
         mean=0.,
         std=0.02),
    dict(type='Normal', layer='BatchNorm2d', mean=1., std=0.02, bias=0.),
]


@MODELS.register_module()
class PoseGuidedGenerator(BaseModule):
    """Generate a person image from a re-ID feature, a pose and noise.

    ``CustomPoseGenerator`` of FD-GAN (docs/en/method_specs.md, FD-GAN),
    default
    ``fuse_mode='cat'`` and no skip connections:

    - pose encoder: ``num_downsamples`` 4 x 4 stride-2 convs on the pose
      maps (the first without norm, the others LeakyReLU(0.2) -> conv -> BN;
      channels ``ngf * (1, 2, 4, 8, 8, ...)``), then LeakyReLU and a
      *valid* conv over the whole remaining map (8 x 4 for 256 x 128 input)
      to ``pose_feat_channels`` -> BN: a 1 x 1 pose feature;
    - fusion: concatenate (re-ID feature, pose feature, noise) channels;
    - decoder: ReLU -> transposed conv back to the bottleneck map -> BN ->
      dropout, then ``num_downsamples - 1`` blocks of ReLU -> 4 x 4 stride-2
      transposed conv -> BN -> dropout mirroring the encoder channels, and
      ReLU -> transposed conv to ``out_channels`` -> tanh.

    For 256 x 128 inputs and ``num_downsamples=5`` the shapes are the
    paper's: pose feature 128 x 1 x 1, fused 2,432 x 1 x 1, decoder
    512 x 8 x 4 -> 512 x 16 x 8 -> 256 x 32 x 16 -> 128 x 64 x 32 ->
    64 x 128 x 64 -> 3 x 256 x 128.

    The output lives in whatever space the targets are in: FD-GAN's L1
    compares the tanh output with ImageNet-normalised target images.

    Args:
        input_size (tuple[int, int]): Pose map ``(h, w)``. Defaults to
            ``(256, 128)``.
        pose_channels (int): Pose map channels. Defaults to 18.
        feat_channels (int): Re-ID feature size. Defaults to 2048.
        noise_channels (int): Noise size. Defaults to 256.
        pose_feat_channels (int): Pose feature size. Defaults to 128.
        out_channels (int): Image channels. Defaults to 3.
        ngf (int): Base width. Defaults to 64.
        num_downsamples (int): Stride-2 convs of the pose encoder (the
            input size must be divisible by ``2 ** num_downsamples``).
            Defaults to 5.
        dropout (float): Decoder dropout. Defaults to 0.2.
        fuse_mode (str): ``'cat'`` or ``'add'`` (learned projections of
            the three inputs to a common size, summed). Defaults to
            ``'cat'``.
        init_cfg (dict | list, optional): Defaults to FD-GAN's init.

    Examples:
        >>> g = PoseGuidedGenerator(input_size=(64, 32), feat_channels=16,
        ...                         noise_channels=4, pose_feat_channels=8,
        ...                         ngf=8, num_downsamples=3)
        >>> out = g(torch.rand(2, 18, 64, 32), torch.randn(2, 16),
        ...         torch.randn(2, 4))
        >>> out.shape
        torch.Size([2, 3, 64, 32])
    """

    def __init__(self,
                 input_size: Tuple[int, int] = (256, 128),
                 pose_channels: int = 18,
                 feat_channels: int = 2048,
                 noise_channels: int = 256,
                 pose_feat_channels: int = 128,
                 out_channels: int = 3,
                 ngf: int = 64,
                 num_downsamples: int = 5,
                 dropout: float = 0.2,
                 fuse_mode: str = 'cat',
                 init_cfg: Optional[Sequence[dict]] = None) -> None:
        super().__init__(
            init_cfg=GAN_INIT_CFG if init_cfg is None else init_cfg)
        h, w = input_size
        scale = 2**num_downsamples
        if num_downsamples < 1 or h % scale or w % scale:
            raise ValueError(
                f'PoseGuidedGenerator: input_size {tuple(input_size)} must '
                f'be divisible by 2 ** num_downsamples = {scale}')
        if fuse_mode not in ('cat', 'add'):
            raise ValueError(f"fuse_mode must be 'cat' or 'add', got "
                             f'{fuse_mode!r}')
        self.input_size = (h, w)
        self.bottleneck = (h // scale, w // scale)
        self.pose_channels = pose_channels
        self.feat_channels = feat_channels
        self.noise_channels = noise_channels
        self.fuse_mode = fuse_mode
        chans = [ngf * min(2**i, 8) for i in range(num_downsamples)]

        enc: List[nn.Module] = [
            nn.Conv2d(pose_channels, chans[0], 4, 2, 1, bias=False)
        ]
        for cin, cout in zip(chans[:-1], chans[1:]):
            enc.append(
                nn.Sequential(nn.LeakyReLU(0.2, True),
                              nn.Conv2d(cin, cout, 4, 2, 1, bias=False),
                              nn.BatchNorm2d(cout)))
        enc.append(
            nn.Sequential(
                nn.LeakyReLU(0.2, True),
                nn.Conv2d(chans[-1],
                          pose_feat_channels,
                          self.bottleneck,
                          bias=False), nn.BatchNorm2d(pose_feat_channels)))
        self.pose_encoder = nn.Sequential(*enc)

        if fuse_mode == 'cat':
            fused = feat_channels + pose_feat_channels + noise_channels
        else:
            fused = max(feat_channels, pose_feat_channels, noise_channels)
            self.proj_feat = nn.Linear(feat_channels, fused, bias=False)
            self.proj_pose = nn.Linear(pose_feat_channels, fused, bias=False)
            self.proj_noise = nn.Linear(noise_channels, fused, bias=False)

        dec: List[nn.Module] = [
            nn.Sequential(
                nn.ReLU(True),
                nn.ConvTranspose2d(fused,
                                   chans[-1],
                                   self.bottleneck,
                                   bias=False), nn.BatchNorm2d(chans[-1]),
                nn.Dropout(dropout))
        ]
        rev = chans[::-1]
        for cin, cout in zip(rev[:-1], rev[1:]):
            dec.append(
                nn.Sequential(
                    nn.ReLU(True),
                    nn.ConvTranspose2d(cin, cout, 4, 2, 1, bias=False),
                    nn.BatchNorm2d(cout), nn.Dropout(dropout)))
        dec.append(
            nn.Sequential(
                nn.ReLU(True),
                nn.ConvTranspose2d(chans[0], out_channels, 4, 2, 1,
                                   bias=False), nn.Tanh()))
        self.decoder = nn.Sequential(*dec)

    def encode_pose(self, pose_maps: Tensor) -> Tensor:
        """The N x ``pose_feat_channels`` x 1 x 1 pose feature."""
        if tuple(pose_maps.shape[1:]) != (self.pose_channels,
                                          *self.input_size):
            raise ValueError(
                'PoseGuidedGenerator: pose maps must be N x '
                f'{self.pose_channels} x {self.input_size[0]} x '
                f'{self.input_size[1]}, got {tuple(pose_maps.shape)}')
        return self.pose_encoder(pose_maps)

    def forward(self, pose_maps: Tensor, feats: Tensor,
                noise: Tensor) -> Tensor:
        """Generate images.

        Args:
            pose_maps (Tensor): N x P x H x W target pose maps.
            feats (Tensor): N x C re-ID features (or N x C x 1 x 1).
            noise (Tensor): N x Z noise (or N x Z x 1 x 1).

        Returns:
            Tensor: N x 3 x H x W images in (-1, 1).
        """
        num = pose_maps.shape[0]
        pose = self.encode_pose(pose_maps).view(num, -1)
        feats = feats.reshape(num, -1)
        noise = noise.reshape(num, -1)
        if feats.shape[1] != self.feat_channels:
            raise ValueError(f'PoseGuidedGenerator: features have '
                             f'{feats.shape[1]} channels, expected '
                             f'{self.feat_channels}')
        if noise.shape[1] != self.noise_channels:
            raise ValueError(f'PoseGuidedGenerator: noise has '
                             f'{noise.shape[1]} channels, expected '
                             f'{self.noise_channels}')
        if self.fuse_mode == 'cat':
            fused = torch.cat([feats, pose, noise], dim=1)
        else:
            fused = (self.proj_feat(feats) + self.proj_pose(pose) +
                     self.proj_noise(noise))
        return self.decoder(fused[:, :, None, None])
