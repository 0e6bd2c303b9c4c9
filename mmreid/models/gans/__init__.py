# Copyright (c) mmreid contributors. All rights reserved.
from .base_reid_gan import BaseReIDGAN
from .fdgan import FDGAN, copy_verifier_to_discriminator

__all__ = [
    'BaseReIDGAN', 'FDGAN',
    'copy_verifier_to_discriminator'
]
