# Copyright (c) mmreid contributors. All rights reserved.
from .reid_runner import ReIDRunner

__all__ = ['ReIDRunner']
