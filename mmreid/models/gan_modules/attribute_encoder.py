# Copyright (c) mmreid contributors. All rights reserved.
"""IP-GAN's attribute encoder A: a convolutional VAE encoder."""
from typing import Optional, Sequence, Tuple

import torch
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmreid.registry import MODELS
from .conv_encoder import check_divisible, strided_conv_stack
from .pose_guided_generator import GAN_INIT_CFG


@MODELS.register_module()
class AttributeEncoder(BaseModule):
    """Encode an image's attributes (pose, background, camera, light) as a
    diagonal Gaussian ``N(mu, diag(exp(logvar)))``.

    A strided conv stack (4 x 4, stride 2, BN, LeakyReLU 0.2) to an
    ``H / 2^n x W / 2^n`` map, flattened, then two linear layers give
    ``mu`` and ``logvar``. :meth:`encode` returns the attribute code: the
    reparameterised sample ``z = mu + r * exp(logvar / 2)``, ``r ~ N(0,
    I)``, in training mode and ``mu`` in eval mode.

    Args:
        input_size (tuple[int, int]): Input (H, W). Defaults to (128, 64).
        in_channels (int): Input channels. Defaults to 3.
        base_channels (int): Width of the first conv. Defaults to 64.
        num_downsamples (int): Stride-2 convs. Defaults to 5.
        latent_dim (int): Dimension of the code. Defaults to 256.
        norm_cfg (dict): Norm layer. Defaults to ``dict(type='BN')``.
        init_cfg (dict | list, optional): Defaults to N(0, 0.02) weights.

    Examples:
        >>> enc = AttributeEncoder(input_size=(64, 32), base_channels=8,
        ...                        num_downsamples=3, latent_dim=16)
        >>> mu, logvar = enc(torch.randn(2, 3, 64, 32))
        >>> mu.shape, logvar.shape
        (torch.Size([2, 16]), torch.Size([2, 16]))
        >>> _ = enc.eval()
        >>> torch.equal(enc.encode(torch.ones(1, 3, 64, 32)),
        ...             enc(torch.ones(1, 3, 64, 32))[0])
        True
    """

    def __init__(self,
                 input_size: Tuple[int, int] = (128, 64),
                 in_channels: int = 3,
                 base_channels: int = 64,
                 num_downsamples: int = 5,
                 latent_dim: int = 256,
                 norm_cfg: dict = dict(type='BN'),
                 init_cfg: Optional[Sequence[dict]] = None) -> None:
        super().__init__(
            init_cfg=GAN_INIT_CFG if init_cfg is None else init_cfg)
        bh, bw = check_divisible(input_size, num_downsamples,
                                 type(self).__name__)
        self.input_size = tuple(input_size)
        self.latent_dim = int(latent_dim)
        self.convs, channels = strided_conv_stack(in_channels,
                                                  base_channels,
                                                  num_downsamples, norm_cfg)
        self.fc_mu = nn.Linear(channels * bh * bw, latent_dim)
        self.fc_logvar = nn.Linear(channels * bh * bw, latent_dim)

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        """N x C x H x W images -> (mu, logvar), each N x ``latent_dim``."""
        if tuple(x.shape[-2:]) != self.input_size:
            raise ValueError(f'AttributeEncoder: expected {self.input_size} '
                             f'inputs, got {tuple(x.shape[-2:])}')
        h = self.convs(x).flatten(1)
        return self.fc_mu(h), self.fc_logvar(h)

    @staticmethod
    def reparameterize(mu: Tensor,
                       logvar: Tensor,
                       noise: Optional[Tensor] = None) -> Tensor:
        """``mu + r * exp(logvar / 2)``, ``r`` drawn from N(0, I) if None."""
        if noise is None:
            noise = torch.randn_like(mu)
        return mu + noise * torch.exp(0.5 * logvar)

    def encode(self, x: Tensor) -> Tensor:
        """The attribute code: a sample in training mode, ``mu`` in eval."""
        mu, logvar = self(x)
        return self.reparameterize(mu, logvar) if self.training else mu
