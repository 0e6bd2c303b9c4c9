# Copyright (c) mmreid contributors. All rights reserved.
"""Give a pairwise model's distance function to the re-ID metrics."""
from typing import Callable, Optional

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from torch import Tensor

from mmreid.registry import HOOKS


def _device_of(model: torch.nn.Module) -> torch.device:
    """The device of the model's first parameter or buffer (CPU if none)."""
    for tensor in list(model.parameters()) + list(model.buffers()):
        return tensor.device
    return torch.device('cpu')


@HOOKS.register_module()
class PairwiseDistanceHook(Hook):
    """Pass ``model.pairwise_distance`` to the metrics before evaluation.

    Pairwise models (IDLA's verification head, FD-GAN's cascade re-scoring)
    score (query, gallery) pairs instead of ranking by a feature distance.
    Such a model stores per-image tensors in ``pred_feature`` (e.g. the
    flattened trunk output, computed once per image) and defines

    ``pairwise_distance(query_feats: Tensor[q, ...], gallery_feats:
    Tensor[g, ...]) -> Tensor[q, g]``

    returning distances (smaller = more alike, e.g. ``1 - P(same)``).
    Before every validation and test epoch this hook calls
    ``metric.set_distance_fn(fn)`` on every metric of the evaluator that has
    that method, unless its ``uses_distance_fn`` attribute is False (e.g.
    ``ReIDMetric`` uses it only with ``metric='model'``). ``fn`` moves the
    inputs to the model's device, runs the model in eval mode without
    gradients and returns the distances on the CPU.

    Args:
        method (str): Name of the model's distance method. Defaults to
            ``'pairwise_distance'``.

    Examples:
        >>> hook = PairwiseDistanceHook()
        >>> hook.method
        'pairwise_distance'
    """

    priority = 'NORMAL'

    def __init__(self, method: str = 'pairwise_distance') -> None:
        self.method = method

    def _distance_fn(self, runner) -> Callable[[Tensor, Tensor], Tensor]:
        """Wrap the (unwrapped) model's method."""
        model = runner.model
        if is_model_wrapper(model):
            model = model.module
        fn = getattr(model, self.method, None)
        if not callable(fn):
            raise AttributeError(
                f'PairwiseDistanceHook: {type(model).__name__} has no '
                f'method {self.method!r}; a pairwise model must define '
                f'{self.method}(query_feats, gallery_feats) -> Tensor[q, g]')

        def distance_fn(query: Tensor, gallery: Tensor) -> Tensor:
            device = _device_of(model)
            was_training = model.training
            model.eval()
            try:
                with torch.no_grad():
                    dist = fn(query.to(device), gallery.to(device))
            finally:
                model.train(was_training)
            return dist.detach().cpu()

        return distance_fn

    def _inject(self, runner, evaluator) -> None:
        """Give the distance function to the metrics that accept one."""
        fn: Optional[Callable] = None
        for metric in getattr(evaluator, 'metrics', []):
            if hasattr(metric, 'set_distance_fn') and getattr(
                    metric, 'uses_distance_fn', True):
                fn = fn or self._distance_fn(runner)
                metric.set_distance_fn(fn)

    def before_val_epoch(self, runner) -> None:
        """Inject into the validation evaluator."""
        self._inject(runner, runner.val_loop.evaluator)

    def before_test_epoch(self, runner) -> None:
        """Inject into the test evaluator."""
        self._inject(runner, runner.test_loop.evaluator)
