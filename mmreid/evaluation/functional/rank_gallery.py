# Copyright (c) mmreid contributors. All rights reserved.
"""The top-k gallery of each query, filtered as the metric filters it."""
from typing import Dict, List, Optional

from torch import Tensor

from .ranking import protocol_masks
from .topk import smallest_k


def rank_gallery(dist: Tensor,
                 q_pids: Tensor,
                 g_pids: Tensor,
                 q_camids: Optional[Tensor] = None,
                 g_camids: Optional[Tensor] = None,
                 protocol: str = 'market',
                 topk: int = 10) -> Dict[str, List[list]]:
    """Rank the gallery of each query, keeping what the metric ranks.

    The gallery items the protocol removes (junk, and for camera protocols
    the same identity seen by the query's camera, :func:`protocol_masks`)
    are left out; the others are ordered by a stable ascending sort of the
    distance (ties by gallery index, :func:`smallest_k`). Shared by
    ``RankedListVisHook`` and ``tools/analysis_tools/visualize_ranks.py``,
    so both draw what the evaluation counts.

    Args:
        dist (Tensor): Q x G query-gallery distances (smaller is closer).
        q_pids (Tensor): (Q, ) query identities.
        g_pids (Tensor): (G, ) gallery identities.
        q_camids (Tensor, optional): (Q, ) query cameras; needed unless
            ``protocol='no_camera'``.
        g_camids (Tensor, optional): (G, ) gallery cameras.
        protocol (str): ``'no_camera'`` keeps every non-junk item; any
            other protocol also removes same-identity same-camera items.
            Defaults to ``'market'``.
        topk (int): Gallery items per query. Defaults to 10.

    Returns:
        dict: Per query (lists of Q lists of at most ``topk`` items, fewer
        when fewer are valid): ``ranked`` (gallery indices), ``dists``
        (their distances) and ``matches`` (whether each is a true match).

    Examples:
        >>> import torch
        >>> dist = torch.tensor([[0.5, 0.1, 0.3, 0.2]])
        >>> out = rank_gallery(dist, torch.tensor([1]),
        ...                    torch.tensor([1, 1, 2, -1]),
        ...                    torch.tensor([0]), torch.tensor([1, 0, 1, 1]),
        ...                    topk=3)
        >>> out['ranked'], out['matches']
        ([[2, 0]], [[False, True]])
    """
    no_camera = protocol == 'no_camera'
    if not no_camera and (q_camids is None or g_camids is None):
        raise ValueError(f'rank_gallery: protocol {protocol!r} needs query '
                         "and gallery cameras; use protocol='no_camera' "
                         'without them')
    valid, pos = protocol_masks(q_pids, None if no_camera else q_camids,
                                g_pids, None if no_camera else g_camids,
                                'no_camera' if no_camera else protocol)
    dist = dist.float().masked_fill(~valid, float('inf'))
    vals, order = smallest_k(dist, min(topk, dist.shape[1]))
    ranked, dists, matches = [], [], []
    for i, (row, row_vals) in enumerate(zip(order.tolist(), vals.tolist())):
        keep = [(j, v) for j, v in zip(row, row_vals) if valid[i, j]]
        ranked.append([j for j, _ in keep])
        dists.append([v for _, v in keep])
        matches.append([bool(pos[i, j]) for j, _ in keep])
    return dict(ranked=ranked, dists=dists, matches=matches)
