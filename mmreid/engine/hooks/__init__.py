# Copyright (c) mmreid contributors. All rights reserved.
from .pairwise_distance_hook import PairwiseDistanceHook

__all__ = ['PairwiseDistanceHook']
