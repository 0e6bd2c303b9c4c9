# Copyright (c) mmreid contributors. All rights reserved.
from .patch_discriminator import PatchDiscriminator
from .pose_guided_generator import GAN_INIT_CFG, PoseGuidedGenerator
from .resnet_generator import ResidualBlock, ResnetGenerator

__all__ = [
    'PoseGuidedGenerator', 'PatchDiscriminator', 'GAN_INIT_CFG',
    'ResnetGenerator', 'ResidualBlock'
]
