# Copyright (c) mmreid contributors. All rights reserved.
from .bilinear_pooling import BilinearPooling
from .compact_bilinear_pooling import (CompactBilinearPooling,
                                       count_sketch_matrix)

__all__ = [
    'BilinearPooling', 'CompactBilinearPooling', 'count_sketch_matrix'
]
