# Copyright (c) mmreid contributors. All rights reserved.
"""Average query expansion (AQE / alpha-QE), computed in blocks of rows."""
from typing import Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

from .topk import smallest_k


def average_query_expansion(query: Tensor,
                            gallery: Tensor,
                            k: int = 5,
                            alpha: float = 3.0,
                            chunk_size: int = 256) -> Tuple[Tensor, Tensor]:
    """Replace every feature by a weighted mean of its nearest neighbours.

    Over the database of all Q + G items (as fast-reid's ``aqe``), for each
    item ``i`` with ``N_k(i)`` its ``k`` most cosine-similar items (itself
    included; ties by index):

    .. math::
        f'_i = \\frac{\\sum_{j \\in N_k(i)} w_{ij} f_j}
                    {\\sum_{j \\in N_k(i)} w_{ij}},
        \\qquad w_{ij} = \\max(\\cos(f_i, f_j), 0)^{\\alpha}.

    ``alpha=0`` is the plain average of Chum et al. (ICCV 2007); ``alpha>0``
    is the alpha-weighted QE of Radenovic et al. (TPAMI 2019). The output
    keeps the scale of the input features (a weighted mean, not a sum).

    Args:
        query (Tensor): Q x D features.
        gallery (Tensor): G x D features.
        k (int): Neighbours averaged, the item itself included (1 leaves the
            features unchanged). Defaults to 5.
        alpha (float): Exponent of the similarity weights. Defaults to 3.0.
        chunk_size (int): Rows per similarity block. Defaults to 256.

    Returns:
        tuple[Tensor, Tensor]: The expanded query and gallery features
        (float32).

    Examples:
        >>> q = torch.tensor([[1., 0.]])
        >>> g = torch.tensor([[1., 1.], [0., 1.]])
        >>> nq, ng = average_query_expansion(q, g, k=2, alpha=0)
        >>> nq  # mean of q and its nearest item, g[0]
        tensor([[1.0000, 0.5000]])
    """
    if k < 1:
        raise ValueError(f'AQE: k must be >= 1, got {k}')
    if alpha < 0:
        raise ValueError(f'AQE: alpha must be >= 0, got {alpha}')
    num_query = query.shape[0]
    feats = torch.cat([query, gallery]).float()
    num = feats.shape[0]
    k = min(k, num)
    normed = F.normalize(feats, dim=1)
    out = torch.empty_like(feats)
    for s in range(0, num, chunk_size):
        e = min(s + chunk_size, num)
        sim = normed[s:e] @ normed.t()
        neg_sim, idx = smallest_k(sim.neg_(), k)
        weight = neg_sim.neg_().clamp_(min=0).pow_(alpha)
        total = weight.sum(1, keepdim=True)
        mean = (weight[..., None] * feats[idx]).sum(1) / total
        # An all-zero feature has no positive weight: keep it as it is.
        out[s:e] = torch.where(total > 0, mean, feats[s:e])
    return out[:num_query], out[num_query:]
