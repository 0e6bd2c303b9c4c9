# Copyright (c) mmreid contributors. All rights reserved.
from .base_reid_dataset import BaseReIDDataset, DatasetFormatError
from .keypoint_cache import (KeypointCacheError, load_keypoint_cache,
                             save_keypoint_cache)
from .market1501 import Market1501

__all__ = [
    'BaseReIDDataset', 'DatasetFormatError', 'KeypointCacheError',
    'load_keypoint_cache', 'save_keypoint_cache', 'Market1501'
]
