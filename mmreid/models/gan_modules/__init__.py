# Copyright (c) mmreid contributors. All rights reserved.
from .attribute_encoder import AttributeEncoder
from .conv_encoder import strided_conv_stack
from .feature_discriminator import FeatureDiscriminator
from .identity_attribute_generator import IdentityAttributeGenerator
from .patch_discriminator import PatchDiscriminator
from .pose_guided_generator import GAN_INIT_CFG, PoseGuidedGenerator
from .resnet_generator import ResidualBlock, ResnetGenerator

__all__ = [
    'PoseGuidedGenerator', 'PatchDiscriminator', 'GAN_INIT_CFG',
    'ResnetGenerator', 'ResidualBlock', 'AttributeEncoder',
    'FeatureDiscriminator', 'IdentityAttributeGenerator',
    'strided_conv_stack'
]
