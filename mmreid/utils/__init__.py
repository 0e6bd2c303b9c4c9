# Copyright (c) mmreid contributors. All rights reserved.
from .lazy_imports import import_mmpretrain_models
from .logs import load_last_metrics
from .malloc import set_malloc_thresholds
from .setup_env import register_all_modules

__all__ = [
    'import_mmpretrain_models', 'load_last_metrics', 'register_all_modules',
    'set_malloc_thresholds'
]
