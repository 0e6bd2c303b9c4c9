# Copyright (c) mmreid contributors. All rights reserved.
"""The whole evaluation of query / gallery features in one function."""
from typing import Dict, Optional, Sequence

import torch
from torch import Tensor

from .distance import DistanceFn, check_metric, iter_distance_chunks
from .query_expansion import average_query_expansion
from .ranking import ArrayLike, check_eval_args, evaluate_distance_chunks
from .rerank import iter_k_reciprocal_rerank

#: Keys accepted in ``rerank`` and ``aqe``, with their defaults.
RERANK_DEFAULTS = dict(k1=20, k2=6, lambda_value=0.3)
AQE_DEFAULTS = dict(k=5, alpha=3.0)


def _options(cfg: Optional[dict], defaults: dict, name: str) -> dict:
    """Merge ``cfg`` over ``defaults``; reject unknown keys."""
    cfg = dict(cfg)
    unknown = set(cfg) - set(defaults)
    if unknown:
        raise KeyError(f'unknown {name} option(s) {sorted(unknown)}; valid '
                       f'keys are {sorted(defaults)}')
    return {**defaults, **cfg}


def evaluate_features(query: Tensor,
                      gallery: Tensor,
                      q_pids: ArrayLike,
                      g_pids: ArrayLike,
                      q_camids: Optional[ArrayLike] = None,
                      g_camids: Optional[ArrayLike] = None,
                      metric: str = 'euclidean',
                      distance_fn: Optional[DistanceFn] = None,
                      aqe: Optional[dict] = None,
                      rerank: Optional[dict] = None,
                      protocol: str = 'market',
                      ap_mode: str = 'finite_sum',
                      topk: Sequence[int] = (1, 5, 10),
                      repeat: int = 10,
                      seed: int = 0,
                      chunk_size: int = 256,
                      return_per_query: bool = False) -> Dict:
    """Evaluate re-ID features: optional AQE, distances or re-ranking, CMC.

    The steps: (1) average query expansion if ``aqe`` is set
    (:func:`average_query_expansion`); (2) the query x gallery distances,
    from ``metric`` or ``distance_fn``, in blocks of ``chunk_size`` queries
    (:func:`iter_distance_chunks`), or k-reciprocal re-ranked distances if
    ``rerank`` is set (:func:`iter_k_reciprocal_rerank`); (3) CMC / mAP /
    mINP (:func:`evaluate_distance_chunks`). No Q x G matrix is held.

    Args:
        query (Tensor): Q x D query features (any per-item tensors when
            ``distance_fn`` is given).
        gallery (Tensor): G x D gallery features.
        q_pids, g_pids, q_camids, g_camids: Identities and cameras, see
            :func:`evaluate_distance_chunks`.
        metric (str): ``'euclidean'``, ``'sqeuclidean'`` or ``'cosine'``.
            Defaults to ``'euclidean'``.
        distance_fn (callable, optional): ``fn(rows, cols) -> distances``
            replacing ``metric`` (pairwise models). Defaults to None.
        aqe (dict, optional): ``dict(k=5, alpha=3.0)`` turns AQE on.
            Not available with ``distance_fn``. Defaults to None.
        rerank (dict, optional): ``dict(k1=20, k2=6, lambda_value=0.3)``
            turns k-reciprocal re-ranking on. Defaults to None.
        protocol, ap_mode, topk, repeat, seed, return_per_query: See
            :func:`evaluate_distance_chunks`.
        chunk_size (int): Query rows per distance block. Defaults to 256.

    Returns:
        dict: See :func:`evaluate_distance_chunks`.

    Examples:
        >>> import torch
        >>> feats = torch.eye(4)
        >>> res = evaluate_features(feats[:2], feats, [0, 1], [0, 1, 2, 3],
        ...                         [0, 0], [1, 1, 1, 1])
        >>> res['rank1'], res['mAP']
        (1.0, 1.0)
    """
    if distance_fn is None:
        check_metric(metric)
        for name, feats in (('query', query), ('gallery', gallery)):
            if not torch.isfinite(feats).all():
                raise ValueError(f'the {name} features contain NaN or inf')
    check_eval_args(protocol, ap_mode, topk, repeat, seed)
    if aqe is not None:
        if distance_fn is not None:
            raise ValueError('aqe averages features; it cannot be used with '
                             'a distance function (pairwise model)')
        query, gallery = average_query_expansion(
            query,
            gallery,
            chunk_size=chunk_size,
            **_options(aqe, AQE_DEFAULTS, 'aqe'))
    if rerank is not None:
        chunks = iter_k_reciprocal_rerank(
            query,
            gallery,
            metric=metric,
            distance_fn=distance_fn,
            chunk_size=chunk_size,
            **_options(rerank, RERANK_DEFAULTS, 'rerank'))
    else:
        chunks = iter_distance_chunks(query, gallery, metric, chunk_size,
                                      distance_fn)
    # Finite features give NaN-free distances; a distance_fn may not.
    return evaluate_distance_chunks(
        chunks,
        q_pids,
        g_pids,
        q_camids,
        g_camids,
        protocol,
        ap_mode,
        topk,
        repeat,
        seed,
        return_per_query,
        check_nan=distance_fn is not None)
