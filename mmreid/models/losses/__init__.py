# Copyright (c) mmreid contributors. All rights reserved.
from .asymmetric_reconstruction_loss import AsymmetricReconstructionLoss
from .feature_matching_loss import FeatureMatchingLoss
from .gan_loss import GANLoss
from .gaussian_kl_loss import GaussianKLLoss
from .map_l2_loss import MapL2Loss
from .triplet_loss import (ALL_TRIPLETS_ACROSS_RANKS, TripletLoss,
                           batch_distance_matrix)

__all__ = [
    'ALL_TRIPLETS_ACROSS_RANKS', 'TripletLoss', 'batch_distance_matrix',
    'GANLoss', 'MapL2Loss', 'AsymmetricReconstructionLoss',
    'FeatureMatchingLoss', 'GaussianKLLoss'
]
