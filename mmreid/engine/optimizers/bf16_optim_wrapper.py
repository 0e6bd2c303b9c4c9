# Copyright (c) mmreid contributors. All rights reserved.
"""Mixed precision with bfloat16 autocast, on CPUs as on GPUs."""
from contextlib import contextmanager

import torch
from mmengine.device import get_device
from mmengine.optim import OptimWrapper
from torch import nn

from mmreid.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
class BF16OptimWrapper(OptimWrapper):
    """An :class:`~mmengine.optim.OptimWrapper` whose forward runs under
    bfloat16 autocast on the model's device, CPU included.

    MMEngine's ``AmpOptimWrapper`` refuses a machine without an accelerator
    (it is built around float16 and its loss scaler). bfloat16 has float32's
    exponent range, so it needs no loss scaling: this wrapper only adds
    ``torch.autocast(device_type, dtype=torch.bfloat16)`` to
    :meth:`optim_context`; backward, step, gradient clipping and
    accumulation are the plain wrapper's. Convolutions and matrix products
    run in bfloat16 (much faster on CPUs with AVX512-BF16 / AMX and on
    GPUs with bfloat16 tensor cores), reductions and losses stay float32,
    the parameters and optimizer states stay float32. Results differ from
    float32 training by bfloat16 rounding.

    ``tools/train.py --amp`` selects it when there is no GPU (MMEngine's
    ``AmpOptimWrapper`` otherwise).

    Args:
        **kwargs: Those of :class:`~mmengine.optim.OptimWrapper`
            (``optimizer``, ``accumulative_counts``, ``clip_grad``).

    Examples:
        >>> model = nn.Linear(4, 2)
        >>> wrapper = BF16OptimWrapper(
        ...     optimizer=torch.optim.SGD(model.parameters(), lr=0.1))
        >>> with wrapper.optim_context(model):
        ...     out = model(torch.randn(3, 4))
        >>> out.dtype, model.weight.dtype
        (torch.bfloat16, torch.float32)
        >>> wrapper.update_params(out.float().sum())
    """

    @contextmanager
    def optim_context(self, model: nn.Module):
        """The plain wrapper's context under bfloat16 autocast."""
        device = get_device()
        device_type = 'cuda' if device.startswith('cuda') else device
        with super().optim_context(model), torch.autocast(
                device_type=device_type, dtype=torch.bfloat16):
            yield
