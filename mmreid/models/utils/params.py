# Copyright (c) mmreid contributors. All rights reserved.
"""Switching the gradients of a module's parameters."""
from torch import nn


def set_requires_grad(module: nn.Module, flag: bool) -> None:
    """Switch gradients of every parameter of ``module`` on or off.

    Args:
        module (nn.Module): The module.
        flag (bool): ``requires_grad`` of each parameter.

    Examples:
        >>> m = nn.Linear(2, 2)
        >>> set_requires_grad(m, False)
        >>> any(p.requires_grad for p in m.parameters())
        False
    """
    for p in module.parameters():
        p.requires_grad_(flag)
