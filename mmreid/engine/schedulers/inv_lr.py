# Copyright (c) mmreid contributors. All rights reserved.
"""Caffe's ``inv`` learning-rate policy as MMEngine parameter schedulers."""
from typing import Union

from mmengine.optim import BaseOptimWrapper
from mmengine.optim.scheduler.lr_scheduler import LRSchedulerMixin
from mmengine.optim.scheduler.param_scheduler import INF, _ParamScheduler
from torch.optim import Optimizer

from mmreid.registry import PARAM_SCHEDULERS


@PARAM_SCHEDULERS.register_module()
class InvParamScheduler(_ParamScheduler):
    """Decay a parameter as ``base * (1 + gamma * t) ** (-power)``.

    This is Caffe's ``inv`` policy (used by IDLA: base lr 0.01,
    ``gamma=1e-4``, ``power=0.75``), with ``t`` the number of steps since
    ``begin`` (iterations, or epochs if ``by_epoch``). It is written in the
    chainable form of MMEngine's schedulers: each step multiplies the
    current value by ``((1 + gamma t) / (1 + gamma (t - 1))) ** (-power)``,
    so alone it gives exactly the closed form, and it composes with a
    warm-up like the built-in schedulers.

    Args:
        optimizer (Optimizer | BaseOptimWrapper): The optimizer.
        param_name (str): The parameter, e.g. ``'lr'``.
        gamma (float): Defaults to 1e-4.
        power (float): Defaults to 0.75.
        begin (int): First step of the schedule. Defaults to 0.
        end (int): Step after the last one. Defaults to INF.
        last_step (int): For resuming without a state dict. Defaults to -1.
        by_epoch (bool): Step by epochs. Defaults to False (Caffe steps
            by iterations).
        verbose (bool): Print each update. Defaults to False.
    """

    def __init__(self,
                 optimizer: Union[Optimizer, BaseOptimWrapper],
                 param_name: str,
                 gamma: float = 1e-4,
                 power: float = 0.75,
                 begin: int = 0,
                 end: int = INF,
                 last_step: int = -1,
                 by_epoch: bool = False,
                 verbose: bool = False) -> None:
        if gamma < 0:
            raise ValueError(f'gamma must be >= 0, got {gamma}')
        self.gamma = gamma
        self.power = power
        super().__init__(
            optimizer,
            param_name=param_name,
            begin=begin,
            end=end,
            last_step=last_step,
            by_epoch=by_epoch,
            verbose=verbose)

    @classmethod
    def build_iter_from_epoch(cls,
                              *args,
                              begin: int = 0,
                              end: int = INF,
                              by_epoch: bool = True,
                              epoch_length: int = None,
                              **kwargs):
        """Build an iteration-based instance from epoch-based arguments.

        ``gamma`` stays per *iteration* of the converted schedule.
        """
        if not by_epoch or not epoch_length or epoch_length < 1:
            raise ValueError('build_iter_from_epoch needs by_epoch=True and '
                             f'epoch_length >= 1, got {epoch_length}')
        begin = int(begin * epoch_length)
        if end != INF:
            end = int(end * epoch_length)
        return cls(*args, begin=begin, end=end, by_epoch=False, **kwargs)

    def _get_value(self) -> list:
        """The values after this step (chainable form)."""
        # MMEngine counts ``last_step`` from 0 at ``begin``.
        t = self.last_step
        values = [g[self.param_name] for g in self.optimizer.param_groups]
        if t <= 0:
            return values
        factor = ((1 + self.gamma * t) /
                  (1 + self.gamma * (t - 1)))**(-self.power)
        return [v * factor for v in values]


@PARAM_SCHEDULERS.register_module()
class InvLR(LRSchedulerMixin, InvParamScheduler):
    """The ``inv`` policy for the learning rate:
    ``lr_t = base_lr * (1 + gamma * t) ** (-power)``.

    See :class:`InvParamScheduler` for the arguments (without
    ``param_name``).

    Examples:
        >>> import torch
        >>> opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)],
        ...                       lr=0.01)
        >>> sched = InvLR(opt, gamma=0.1, power=0.75)
        >>> for _ in range(10):
        ...     opt.step()
        ...     sched.step()
        >>> round(opt.param_groups[0]['lr'], 6)
        0.005946
        >>> round(0.01 * (1 + 0.1 * 10) ** -0.75, 6)
        0.005946
    """
