# Copyright (c) mmreid contributors. All rights reserved.
from .generation_metric import GenerationMetric
from .reid_metric import ReIDMetric

__all__ = ['ReIDMetric', 'GenerationMetric']
