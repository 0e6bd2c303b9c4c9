# Copyright (c) mmreid contributors. All rights reserved.
from .reid_metric import ReIDMetric

__all__ = ['ReIDMetric']
