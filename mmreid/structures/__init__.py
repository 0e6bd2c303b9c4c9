# Copyright (c) mmreid contributors. All rights reserved.
from .reid_data_sample import ReIDDataSample, format_label

__all__ = ['ReIDDataSample', 'format_label']
