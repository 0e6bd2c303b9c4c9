# Copyright (c) mmreid contributors. All rights reserved.
from .base_reid_gan import BaseReIDGAN
from .fdgan import FDGAN, copy_verifier_to_discriminator
from .ipgan import IPGAN, IPGAN_OBJECTIVES
from .pngan import PNGAN

__all__ = [
    'BaseReIDGAN', 'FDGAN', 'PNGAN', 'IPGAN', 'IPGAN_OBJECTIVES',
    'copy_verifier_to_discriminator'
]
