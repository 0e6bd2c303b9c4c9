# Copyright (c) mmreid contributors. All rights reserved.
from .logs import load_last_metrics
from .setup_env import register_all_modules

__all__ = ['load_last_metrics', 'register_all_modules']
