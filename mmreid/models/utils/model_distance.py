# Copyright (c) mmreid contributors. All rights reserved.
"""A pairwise model's distance as a function for the evaluator."""
from typing import Callable

import torch
from torch import Tensor, nn

from .wrappers import unwrap_model

#: The method a pairwise model defines to score (query, gallery) pairs.
DISTANCE_METHOD = 'distance_matrix'


def _device_of(model: nn.Module) -> torch.device:
    """The device of the model's first parameter or buffer (CPU if none)."""
    for tensor in list(model.parameters()) + list(model.buffers()):
        return tensor.device
    return torch.device('cpu')


def model_distance_fn(model: nn.Module) -> Callable[[Tensor, Tensor], Tensor]:
    """Wrap a pairwise model's ``distance_matrix`` for ``ReIDMetric``.

    A pairwise model (IDLA's pair head, FD-GAN's cascade re-scoring) stores
    per-image tensors in ``pred_feature`` and defines
    ``distance_matrix(query_feats[q, ...], gallery_feats[g, ...]) ->
    Tensor[q, g]`` (smaller = more alike, e.g. ``1 - P(same)``). The
    returned function unwraps a DDP wrapper, moves its inputs to the
    model's device, runs the model in eval mode without gradients and
    returns the distances on the CPU. :class:`~mmreid.engine.ReIDRunner`
    gives it to every metric built with ``metric='model'``.

    Args:
        model (nn.Module): The model (possibly wrapped).

    Returns:
        callable: ``fn(query, gallery) -> Tensor[q, g]``.

    Raises:
        AttributeError: If the model defines no ``distance_matrix``.

    Examples:
        >>> class Pairwise(nn.Module):
        ...     def distance_matrix(self, q, g):
        ...         return torch.cdist(q, g)
        >>> fn = model_distance_fn(Pairwise())
        >>> fn(torch.zeros(1, 2), torch.tensor([[3., 4.]])).tolist()
        [[5.0]]
    """
    model = unwrap_model(model)
    method = getattr(model, DISTANCE_METHOD, None)
    if not callable(method):
        raise AttributeError(
            f"ReIDMetric(metric='model') needs a pairwise model, but "
            f'{type(model).__name__} has no {DISTANCE_METHOD}(query_feats, '
            "gallery_feats) method; use metric='euclidean' (or 'cosine', "
            "'sqeuclidean') for an embedding model")

    def distance_fn(query: Tensor, gallery: Tensor) -> Tensor:
        device = _device_of(model)
        was_training = model.training
        model.eval()
        try:
            with torch.no_grad():
                dist = method(query.to(device), gallery.to(device))
        finally:
            model.train(was_training)
        return dist.detach().cpu()

    return distance_fn
