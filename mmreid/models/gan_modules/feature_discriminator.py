# Copyright (c) mmreid contributors. All rights reserved.
"""A real/fake discriminator that also returns its intermediate feature."""
from typing import Optional, Sequence, Tuple, Union

from mmengine.model import BaseModule
from torch import Tensor, nn

from mmreid.registry import MODELS
from .conv_encoder import check_divisible, strided_conv_stack
from .pose_guided_generator import GAN_INIT_CFG


@MODELS.register_module()
class FeatureDiscriminator(BaseModule):
    """DCGAN-style discriminator with a feature output for feature matching.

    A strided conv stack (4 x 4, stride 2, BN but on the first,
    LeakyReLU 0.2), flattened, a linear layer to ``feat_dim`` with
    LeakyReLU (the feature f_D of IP-GAN's l_GD: the layer before the
    logit), then a linear layer to one real/fake logit (no sigmoid: the
    losses take logits).

    Args:
        input_size (tuple[int, int]): Input (H, W). Defaults to (128, 64).
        in_channels (int): Input channels. Defaults to 3.
        ndf (int): Width of the first conv. Defaults to 64.
        num_downsamples (int): Stride-2 convs. Defaults to 5.
        feat_dim (int): Dimension of the feature. Defaults to 512.
        norm_cfg (dict): Norm layer. Defaults to ``dict(type='BN')``.
        init_cfg (dict | list, optional): Defaults to N(0, 0.02) weights.

    Examples:
        >>> import torch
        >>> d = FeatureDiscriminator(input_size=(32, 16), ndf=4,
        ...                          num_downsamples=3, feat_dim=8)
        >>> logits, feat = d(torch.randn(2, 3, 32, 16), return_feat=True)
        >>> logits.shape, feat.shape
        (torch.Size([2, 1]), torch.Size([2, 8]))
    """

    def __init__(self,
                 input_size: Tuple[int, int] = (128, 64),
                 in_channels: int = 3,
                 ndf: int = 64,
                 num_downsamples: int = 5,
                 feat_dim: int = 512,
                 norm_cfg: dict = dict(type='BN'),
                 init_cfg: Optional[Sequence[dict]] = None) -> None:
        super().__init__(
            init_cfg=GAN_INIT_CFG if init_cfg is None else init_cfg)
        bh, bw = check_divisible(input_size, num_downsamples,
                                 type(self).__name__)
        self.input_size = tuple(input_size)
        self.convs, channels = strided_conv_stack(in_channels, ndf,
                                                  num_downsamples, norm_cfg)
        self.fc_feat = nn.Sequential(
            nn.Linear(channels * bh * bw, feat_dim), nn.LeakyReLU(0.2, True))
        self.fc_logit = nn.Linear(feat_dim, 1)

    def forward(self,
                x: Tensor,
                return_feat: bool = False
                ) -> Union[Tensor, Tuple[Tensor, Tensor]]:
        """N x C x H x W -> N x 1 logits (and the N x ``feat_dim``
        feature with ``return_feat``)."""
        if tuple(x.shape[-2:]) != self.input_size:
            raise ValueError(
                f'FeatureDiscriminator: expected {self.input_size} inputs, '
                f'got {tuple(x.shape[-2:])}')
        feat = self.fc_feat(self.convs(x).flatten(1))
        logits = self.fc_logit(feat)
        return (logits, feat) if return_feat else logits
