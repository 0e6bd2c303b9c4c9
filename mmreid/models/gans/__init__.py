# Copyright (c) mmreid contributors. All rights reserved.
from .base_reid_gan import BaseReIDGAN, set_requires_grad
from .fdgan import FDGAN, copy_verifier_to_discriminator

__all__ = [
    'BaseReIDGAN', 'set_requires_grad', 'FDGAN',
    'copy_verifier_to_discriminator'
]
