# Copyright (c) mmreid contributors. All rights reserved.
from .base_reid_gan import BaseReIDGAN
from .fdgan import FDGAN, copy_verifier_to_discriminator
from .pngan import PNGAN

__all__ = [
    'BaseReIDGAN', 'FDGAN', 'PNGAN',
    'copy_verifier_to_discriminator'
]
