# Copyright (c) mmreid contributors. All rights reserved.
from .multi_view_data_preprocessor import MultiViewDataPreprocessor
from .pair_data_preprocessor import PairDataPreprocessor
from .pose_transfer_data_preprocessor import PoseTransferDataPreprocessor
from .reid_data_preprocessor import ReIDDataPreprocessor

__all__ = [
    'ReIDDataPreprocessor', 'PairDataPreprocessor',
    'PoseTransferDataPreprocessor', 'MultiViewDataPreprocessor'
]
