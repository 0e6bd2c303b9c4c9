# Copyright (c) mmreid contributors. All rights reserved.
from .base import BaseReID
from .baseline import Baseline

__all__ = ['BaseReID', 'Baseline']
