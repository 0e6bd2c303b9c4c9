# Copyright (c) mmreid contributors. All rights reserved.
from .gan_loss import GANLoss
from .triplet_loss import TripletLoss, pairwise_distance

__all__ = ['TripletLoss', 'pairwise_distance', 'GANLoss']
