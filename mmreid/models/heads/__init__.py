# Copyright (c) mmreid contributors. All rights reserved.
from .bnneck_head import BNNeckHead
from .embedding_head import EmbeddingHead
from .idla_head import IDLAHead
from .neighborhood_difference import (NeighborhoodDifference,
                                      neighborhood_difference)
from .part_attention_head import PartAttentionHead
from .part_map_head import PartMapHead
from .verification_head import SquaredDiffVerificationHead

__all__ = [
    'BNNeckHead', 'EmbeddingHead', 'IDLAHead', 'NeighborhoodDifference',
    'neighborhood_difference', 'PartMapHead', 'SquaredDiffVerificationHead',
    'PartAttentionHead'
]
