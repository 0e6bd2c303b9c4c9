# Copyright (c) mmreid contributors. All rights reserved.
"""Two-stage (cascade) ranking: re-score each query's top-k gallery."""
from typing import Callable

import torch
from torch import Tensor

from .topk import smallest_k


def cascade_rescore(dist: Tensor,
                    pair_distance: Callable[[Tensor, Tensor], Tensor],
                    topk: int = 100) -> Tensor:
    """Replace each query's ``topk`` smallest distances by a pair score.

    FD-GAN's test procedure (docs/en/method_specs.md, FD-GAN; the official
    ``CascadeEvaluator``): rank the gallery by a cheap feature distance,
    re-score the first ``topk`` entries of every query with a pairwise
    verifier (e.g. ``P(different)``), and shift every other entry of the row
    by the same amount so that it stays behind all re-scored ones: the
    shift is ``max(0, max(rescored) + 1 - d_(k+1))`` where ``d_(k+1)`` is
    the smallest distance outside the top-k (the official rule).

    Args:
        dist (Tensor): q x g first-stage distances.
        pair_distance (Callable): ``fn(query_idx, gallery_idx) -> Tensor``
            taking two equal-length 1-D index tensors (into the rows and
            columns of ``dist``) and returning the second-stage distance of
            each pair. Called once, with ``q * min(topk, g)`` pairs; batch
            inside it if needed.
        topk (int): Entries re-scored per query. Defaults to 100.

    Returns:
        Tensor: q x g distances, same dtype as ``dist``.

    Examples:
        >>> dist = torch.tensor([[0.1, 0.2, 0.3, 0.4]])
        >>> # the verifier prefers gallery 1 over gallery 0
        >>> score = {0: 0.9, 1: 0.2}
        >>> fn = lambda qi, gi: torch.tensor([score[int(g)] for g in gi])
        >>> cascade_rescore(dist, fn, topk=2)
        tensor([[0.9000, 0.2000, 1.9000, 2.0000]])
    """
    if dist.dim() != 2:
        raise ValueError(f'dist must be q x g, got shape {tuple(dist.shape)}')
    if topk < 1:
        raise ValueError(f'topk must be >= 1, got {topk}')
    num_q, num_g = dist.shape
    k = min(int(topk), num_g)
    out = dist.clone()
    if num_q == 0 or num_g == 0:
        return out
    if k < num_g:
        # the k nearest in stable order, and the value of the (k+1)-th
        vals, idx = smallest_k(dist, k, num_candidates=k + 1)
        top, nxt = idx[:, :k], vals[:, k]
    else:
        top = torch.arange(num_g, device=dist.device).expand(num_q, num_g)
    qidx = torch.arange(num_q, device=dist.device).repeat_interleave(k)
    scores = pair_distance(qidx, top.reshape(-1)).to(out).view(num_q, k)
    out.scatter_(1, top, scores)
    if k < num_g:
        gap = (scores.max(dim=1).values + 1 - nxt).clamp(min=0)
        rest = torch.ones_like(out, dtype=torch.bool)
        rest.scatter_(1, top, False)
        out += rest * gap[:, None]
    return out
