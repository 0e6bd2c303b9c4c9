# Copyright (c) mmreid contributors. All rights reserved.
from .pair_data_preprocessor import PairDataPreprocessor
from .reid_data_preprocessor import ReIDDataPreprocessor

__all__ = ['ReIDDataPreprocessor', 'PairDataPreprocessor']
