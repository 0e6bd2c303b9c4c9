# Copyright (c) mmreid contributors. All rights reserved.
"""Reaching a model through its (distributed) wrappers."""
from mmengine.model import is_model_wrapper
from torch import nn


def unwrap_model(model: nn.Module) -> nn.Module:
    """Strip every MMEngine / PyTorch model wrapper (DDP and the like).

    Args:
        model (nn.Module): A model, wrapped or not.

    Returns:
        nn.Module: The innermost model.

    Examples:
        >>> m = nn.Linear(2, 2)
        >>> unwrap_model(m) is m
        True
    """
    while is_model_wrapper(model):
        model = model.module
    return model
