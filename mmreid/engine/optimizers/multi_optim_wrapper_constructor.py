# Copyright (c) mmreid contributors. All rights reserved.
"""One optimizer wrapper per sub-network (GANs), from one config."""
from collections import OrderedDict
from typing import Optional, Sequence

from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapperDict
from torch import nn

from mmreid.models.utils import unwrap_model
from mmreid.registry import OPTIM_WRAPPER_CONSTRUCTORS


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class MultiOptimWrapperConstructor:
    """Build an :class:`OptimWrapperDict` with one wrapper per key.

    The mmagic convention (docs/en/architecture.md, GAN core) for models
    with several optimizers: every key of ``optim_wrapper`` (other than
    ``constructor``) is an optimizer-wrapper config for the sub-module of
    that name, or, with ``modules=[...]``, for several sub-modules that
    share one optimizer (FD-GAN's stage III trains E and G with one Adam).
    Each is built by MMEngine's :class:`DefaultOptimWrapperConstructor`,
    so ``paramwise_cfg`` works; its ``custom_keys`` are matched against the
    model's own parameter names (e.g. ``'encoder.backbone'``).

    A key naming a missing sub-module, a sub-module claimed by two keys, or
    a sub-module without trainable parameters (e.g. frozen for this stage)
    is an error.

    Args:
        optim_wrapper_cfg (dict): ``{key: dict(optimizer=..., type=...,
            modules=..., paramwise_cfg=...)}``.
        paramwise_cfg (dict, optional): Not allowed at the top level (give
            it per key).

    Examples:
        >>> import torch.nn as nn
        >>> model = nn.Module()
        >>> model.generator = nn.Linear(2, 2)
        >>> model.encoder = nn.Linear(2, 2)
        >>> model.disc = nn.Linear(2, 1)
        >>> cfg = dict(
        ...     generator=dict(modules=['generator', 'encoder'],
        ...                    optimizer=dict(type='Adam', lr=1e-5)),
        ...     disc=dict(optimizer=dict(type='SGD', lr=1e-4)))
        >>> wrappers = MultiOptimWrapperConstructor(cfg)(model)
        >>> sorted(wrappers.keys())
        ['disc', 'generator']
        >>> len(wrappers['generator'].param_groups[0]['params'])
        4
    """

    def __init__(self,
                 optim_wrapper_cfg: dict,
                 paramwise_cfg: Optional[dict] = None) -> None:
        if not isinstance(optim_wrapper_cfg, dict):
            raise TypeError('optim_wrapper_cfg must be a dict of per-module '
                            f'configs, got {type(optim_wrapper_cfg)}')
        if paramwise_cfg is not None:
            raise ValueError('MultiOptimWrapperConstructor: give '
                             'paramwise_cfg inside each key')
        for key, cfg in optim_wrapper_cfg.items():
            if not isinstance(cfg, dict) or 'optimizer' not in cfg:
                raise ValueError(
                    f'optim_wrapper.{key} must be a dict with an '
                    f"'optimizer' (one wrapper per sub-module), got {cfg!r}")
        self.optim_wrapper_cfg = optim_wrapper_cfg

    def __call__(self, model: nn.Module) -> OptimWrapperDict:
        """Build the wrappers for ``model`` (possibly DDP-wrapped)."""
        model = unwrap_model(model)
        wrappers = OrderedDict()
        owner = {}
        for key, cfg in self.optim_wrapper_cfg.items():
            cfg = dict(cfg)
            names: Sequence[str] = cfg.pop('modules', [key])
            if isinstance(names, str):
                names = [names]
            paramwise_cfg = cfg.pop('paramwise_cfg', None)
            group = nn.ModuleDict()
            for name in names:
                sub = getattr(model, name, None)
                if not isinstance(sub, nn.Module):
                    raise KeyError(
                        f'optim_wrapper.{key}: the model '
                        f'({type(model).__name__}) has no sub-module '
                        f'{name!r}; its sub-modules are '
                        f'{[n for n, _ in model.named_children()]}')
                if name in owner:
                    raise ValueError(
                        f'sub-module {name!r} is in both optim_wrapper.'
                        f'{owner[name]} and optim_wrapper.{key}')
                sub = unwrap_model(sub)
                if not any(p.requires_grad for p in sub.parameters()):
                    raise ValueError(
                        f'optim_wrapper.{key}: sub-module {name!r} has no '
                        'trainable parameter (is it in frozen_modules for '
                        'this stage?); remove it from the optimizers')
                owner[name] = key
                group[name] = sub
            wrappers[key] = DefaultOptimWrapperConstructor(
                cfg, paramwise_cfg)(group)
        return OptimWrapperDict(**wrappers)
