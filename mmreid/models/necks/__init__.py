# Copyright (c) mmreid contributors. All rights reserved.
from .attention_alignment import AttentionAlignment
from .bilinear_pooling import BilinearPooling
from .compact_bilinear_pooling import (CompactBilinearPooling,
                                       count_sketch_matrix)
from .weighted_composition import WeightedComposition

__all__ = [
    'BilinearPooling', 'CompactBilinearPooling', 'count_sketch_matrix',
    'AttentionAlignment', 'WeightedComposition'
]
