# Copyright (c) mmreid contributors. All rights reserved.
from .triplet_loss import TripletLoss, pairwise_distance

__all__ = ['TripletLoss', 'pairwise_distance']
