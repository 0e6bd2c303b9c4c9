# Copyright (c) mmreid contributors. All rights reserved.
from .reid_runner import ReIDRunner, fill_from_metainfo

__all__ = ['ReIDRunner', 'fill_from_metainfo']
