# Copyright (c) mmreid contributors. All rights reserved.
from .gan_loss import GANLoss
from .triplet_loss import TripletLoss, batch_distance_matrix

__all__ = ['TripletLoss', 'batch_distance_matrix', 'GANLoss']
