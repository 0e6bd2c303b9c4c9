# Copyright (c) mmreid contributors. All rights reserved.
from .base import BaseReID
from .baseline import Baseline
from .idla import IDLA

__all__ = ['BaseReID', 'Baseline', 'IDLA']
