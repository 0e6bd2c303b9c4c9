# Copyright (c) mmreid contributors. All rights reserved.
from .identity_contiguous_sampler import IdentityContiguousSampler
from .identity_sampler import BaseIdentitySampler, IdentitySampler
from .pair_sampler import PairSampler

__all__ = [
    'BaseIdentitySampler', 'IdentitySampler', 'IdentityContiguousSampler',
    'PairSampler'
]
