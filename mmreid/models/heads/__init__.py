# Copyright (c) mmreid contributors. All rights reserved.
from .bnneck_head import BNNeckHead

__all__ = ['BNNeckHead']
