# Copyright (c) mmreid contributors. All rights reserved.
"""The k smallest entries of each row, with a deterministic tie rule."""
from typing import Optional, Tuple

import torch
from torch import Tensor


def smallest_k(dist: Tensor,
               k: int,
               num_candidates: Optional[int] = None) -> Tuple[Tensor, Tensor]:
    """Return the ``k`` smallest entries of each row of ``dist``, in order.

    The order is the one of a *stable* ascending sort of the row: by value,
    ties by column index. This is the order of ``torch.sort(dist,
    stable=True)`` and ``np.argsort(dist, kind='stable')``, computed with
    ``torch.topk`` (a full sort is only done for a row whose k-th value is
    tied with more than ``num_candidates`` entries).

    Args:
        dist (Tensor): R x N values (no NaN).
        k (int): How many entries to return in exact order (``k <= N``).
        num_candidates (int, optional): Return this many columns (>= k):
            the first ``k`` follow the tie rule exactly; the others are the
            next smallest values (which of several entries tied at the last
            column is returned is unspecified). Defaults to ``k``.

    Returns:
        tuple[Tensor, Tensor]: The values and the column indices, both
        R x ``min(num_candidates, N)``.

    Examples:
        >>> d = torch.tensor([[3., 1., 2., 1.], [0., 0., 0., 0.]])
        >>> smallest_k(d, 3)[1]
        tensor([[1, 3, 2],
                [0, 1, 2]])
    """
    num_cols = dist.shape[1]
    if not 1 <= k <= num_cols:
        raise ValueError(f'k must be in [1, {num_cols}], got {k}')
    num = min(max(num_candidates or k, k), num_cols)
    # One more candidate than returned tells whether the k-th value is tied
    # with entries outside the list.
    extra = min(max(num, k + 1), num_cols)
    vals, idx = dist.topk(extra, dim=1, largest=False, sorted=True)
    # (value, index) order inside the candidate list.
    idx, order = idx.sort(dim=1)
    vals = vals.gather(1, order)
    vals, order = vals.sort(dim=1, stable=True)
    idx = idx.gather(1, order)
    if extra < num_cols:
        # Entries outside the list are >= its last value. If that equals
        # the k-th value, a tied entry with a smaller index may be
        # missing: sort that row fully.
        tied = vals[:, k - 1] == vals[:, extra - 1]
        for row in tied.nonzero().flatten().tolist():
            v, i = dist[row].sort(stable=True)
            vals[row] = v[:extra]
            idx[row] = i[:extra]
    return vals[:, :num], idx[:, :num]
