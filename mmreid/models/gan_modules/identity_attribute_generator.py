# Copyright (c) mmreid contributors. All rights reserved.
"""IP-GAN's generator G: an image from an identity and an attribute code."""
from typing import List, Optional, Sequence, Tuple

import torch
from mmcv.cnn import build_norm_layer
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmreid.registry import MODELS
from .conv_encoder import check_divisible
from .pose_guided_generator import GAN_INIT_CFG


@MODELS.register_module()
class IdentityAttributeGenerator(BaseModule):
    """``x' = G(concat(f_I, z))``: decode concatenated codes into an image.

    A linear layer maps the ``identity_dim + attribute_dim`` code to a
    ``ngf * 8`` x ``H / 2^n`` x ``W / 2^n`` map (BN, ReLU); ``n`` up-sampling
    blocks (nearest x2, 3 x 3 conv, BN, ReLU; widths halving from
    ``ngf * 8`` down to ``ngf``) bring it to ``H x W``; a 3 x 3 conv to
    ``out_channels`` and tanh give the image in [-1, 1]. For 128 x 128
    faces and ``n = 5`` the first map is 4 x 4, the paper's layout; a
    128 x 64 person image starts at 4 x 2.

    Args:
        identity_dim (int): Dimension of f_I.
        attribute_dim (int): Dimension of the attribute code z.
        output_size (tuple[int, int]): Output (H, W). Defaults to
            (128, 64).
        ngf (int): Width of the last block. Defaults to 64.
        num_upsamples (int): Up-sampling blocks. Defaults to 5.
        out_channels (int): Output channels. Defaults to 3.
        norm_cfg (dict): Norm layer. Defaults to ``dict(type='BN')``.
        init_cfg (dict | list, optional): Defaults to N(0, 0.02) weights.

    Examples:
        >>> g = IdentityAttributeGenerator(8, 4, output_size=(32, 16),
        ...                                ngf=4, num_upsamples=3)
        >>> g(torch.randn(2, 8), torch.randn(2, 4)).shape
        torch.Size([2, 3, 32, 16])
    """

    def __init__(self,
                 identity_dim: int,
                 attribute_dim: int,
                 output_size: Tuple[int, int] = (128, 64),
                 ngf: int = 64,
                 num_upsamples: int = 5,
                 out_channels: int = 3,
                 norm_cfg: dict = dict(type='BN'),
                 init_cfg: Optional[Sequence[dict]] = None) -> None:
        super().__init__(
            init_cfg=GAN_INIT_CFG if init_cfg is None else init_cfg)
        self.base_size = check_divisible(output_size, num_upsamples,
                                         type(self).__name__)
        self.identity_dim = int(identity_dim)
        self.attribute_dim = int(attribute_dim)
        self.output_size = tuple(output_size)
        widths = [
            ngf * min(2**(num_upsamples - k), 8)
            for k in range(num_upsamples + 1)
        ]
        bh, bw = self.base_size
        self.fc = nn.Linear(identity_dim + attribute_dim,
                            widths[0] * bh * bw)
        self.fc_norm = nn.Sequential(
            build_norm_layer(norm_cfg, widths[0])[1], nn.ReLU(True))
        blocks: List[nn.Module] = []
        for cin, cout in zip(widths[:-1], widths[1:]):
            blocks += [
                nn.Upsample(scale_factor=2, mode='nearest'),
                nn.Conv2d(cin, cout, 3, 1, 1, bias=False),
                build_norm_layer(norm_cfg, cout)[1],
                nn.ReLU(True)
            ]
        self.blocks = nn.Sequential(*blocks)
        self.to_image = nn.Sequential(
            nn.Conv2d(widths[-1], out_channels, 3, 1, 1), nn.Tanh())

    def forward(self, identity: Tensor, attribute: Tensor) -> Tensor:
        """(N x identity_dim, N x attribute_dim) -> N x C x H x W."""
        if identity.shape[1] != self.identity_dim or \
                attribute.shape[1] != self.attribute_dim:
            raise ValueError(
                'IdentityAttributeGenerator: expected codes of '
                f'{self.identity_dim} + {self.attribute_dim} dimensions, got '
                f'{identity.shape[1]} + {attribute.shape[1]}')
        h = self.fc(torch.cat([identity, attribute], dim=1))
        h = h.view(h.shape[0], -1, *self.base_size)
        return self.to_image(self.blocks(self.fc_norm(h)))
