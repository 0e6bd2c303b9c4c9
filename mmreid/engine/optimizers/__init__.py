# Copyright (c) mmreid contributors. All rights reserved.
from .bf16_optim_wrapper import BF16OptimWrapper
from .multi_optim_wrapper_constructor import MultiOptimWrapperConstructor

__all__ = ['MultiOptimWrapperConstructor', 'BF16OptimWrapper']
