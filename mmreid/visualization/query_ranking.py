# Copyright (c) mmreid contributors. All rights reserved.
"""The ranked gallery of a few queries, as the re-ID metric filters it."""
from typing import List

import numpy as np
import torch

from mmreid.evaluation.functional import compute_distance, rank_gallery


def rank_queries(records: List[dict],
                 num_queries: int,
                 topk: int,
                 metric: str = 'euclidean',
                 protocol: str = 'market',
                 distance_fn=None) -> dict:
    """Rank the gallery for ``num_queries`` evenly spread queries.

    The gallery is filtered as the metric filters it (same-pid-same-camera
    and junk removed, :func:`protocol_masks`).

    Args:
        records (list[dict]): Samples with ``feat``, ``pid``, ``camid``,
            ``split`` and ``img_path``.
        num_queries (int): Queries drawn (evenly spread over the queries).
        topk (int): Ranked gallery items per query.
        metric (str): Distance of :func:`compute_distance`, or ``'model'``
            with ``distance_fn``. Defaults to ``'euclidean'``.
        protocol (str): ``'no_camera'`` ignores cameras; any other protocol
            removes same-camera matches as Market's does. Defaults to
            ``'market'``.
        distance_fn (callable, optional): ``fn(query_feats, gallery_feats)``
            for ``metric='model'``.

    Returns:
        dict: ``query`` (the chosen query records), ``ranked`` (their
        top-k gallery indices), ``matches`` (whether each is a true
        match) and ``gallery`` (the gallery records).

    Examples:
        >>> recs = [dict(feat=torch.tensor([0.]), pid=1, camid=0,
        ...              split='query', img_path='q'),
        ...         dict(feat=torch.tensor([3.]), pid=2, camid=1,
        ...              split='gallery', img_path='a'),
        ...         dict(feat=torch.tensor([1.]), pid=1, camid=1,
        ...              split='gallery', img_path='b')]
        >>> out = rank_queries(recs, 1, 2)
        >>> [out['gallery'][j]['img_path'] for j in out['ranked'][0]]
        ['b', 'a']
        >>> out['matches']
        [[True, False]]
    """
    query = [r for r in records if r['split'] == 'query']
    gallery = [r for r in records if r['split'] == 'gallery']
    if not query or not gallery:
        raise ValueError(f'RankedListVisHook: {len(query)} query and '
                         f'{len(gallery)} gallery samples were evaluated; '
                         'a ranked list needs both')
    picks = np.unique(
        np.linspace(0, len(query) - 1, min(num_queries, len(query))).astype(
            int))
    q = [query[i] for i in picks]
    qf = torch.stack([r['feat'] for r in q]).float()
    gf = torch.stack([r['feat'] for r in gallery]).float()
    if metric == 'model':
        if distance_fn is None:
            raise RuntimeError("RankedListVisHook: metric='model' needs the "
                               "metric's distance function")
        dist = distance_fn(qf, gf).float()
    else:
        dist = compute_distance(qf, gf, metric)

    def ids(items, key):
        return torch.tensor([-1 if r[key] is None else r[key] for r in items])

    no_cam = protocol == 'no_camera'
    out = rank_gallery(dist,
                       ids(q, 'pid'),
                       ids(gallery, 'pid'),
                       None if no_cam else ids(q, 'camid'),
                       None if no_cam else ids(gallery, 'camid'),
                       protocol='no_camera' if no_cam else 'market',
                       topk=topk)
    ranked, matches = out['ranked'], out['matches']
    return dict(query=q, ranked=ranked, matches=matches, gallery=gallery)
