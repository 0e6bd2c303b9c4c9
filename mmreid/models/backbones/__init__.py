# Copyright (c) mmreid contributors. All rights reserved.
from .idla_trunk import IDLATrunk
from .inception_v1 import TORCHVISION_GOOGLENET_URL, InceptionV1

__all__ = ['IDLATrunk', 'InceptionV1', 'TORCHVISION_GOOGLENET_URL']
