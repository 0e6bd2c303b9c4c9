# Copyright (c) mmreid contributors. All rights reserved.
"""Triplet losses over the identities of a batch."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmreid.registry import MODELS
from ..utils.dist import gather_across_ranks


def batch_distance_matrix(x: torch.Tensor,
                          squared: bool = False) -> torch.Tensor:
    """Euclidean distances between all rows of a batch, for metric losses.

    Unlike :func:`mmreid.evaluation.functional.pairwise_distance` (query x
    gallery blocks at test time), this keeps a finite gradient everywhere.

    Args:
        x (torch.Tensor): N x D features.
        squared (bool): Return squared distances. Defaults to False.

    Returns:
        torch.Tensor: N x N distances (exactly 0 on the diagonal; the square
        root is taken of ``max(d2, 1e-12)`` so its gradient is finite).

    Examples:
        >>> x = torch.tensor([[0., 0.], [3., 4.]])
        >>> batch_distance_matrix(x)[0, 1].item()
        5.0
    """
    sq = x.pow(2).sum(1)
    d2 = sq[:, None] + sq[None, :] - 2 * x @ x.t()
    off_diag = 1 - torch.eye(len(x), device=x.device, dtype=x.dtype)
    d2 = d2.clamp(min=0) * off_diag
    if squared:
        return d2
    return d2.clamp(min=1e-12).sqrt() * off_diag


#: DPL's and PABR's loss: every valid triplet of the batch of all ranks,
#: margin 0.2 on squared distances (the default of their heads).
ALL_TRIPLETS_ACROSS_RANKS = dict(
    type='TripletLoss',
    margin=0.2,
    mining='all',
    squared=True,
    gather_across_ranks=True)


@MODELS.register_module()
class TripletLoss(nn.Module):
    """Triplet loss with batch-hard or all-triplets mining.

    ``batch_hard`` (Hermans et al. 2017): for each anchor, its farthest
    positive and nearest negative in the batch,
    ``mean_a max(0, d(a, p*) - d(a, n*) + margin)``, or the soft-margin form
    ``log(1 + exp(d(a, p*) - d(a, n*)))`` when ``margin`` is None.

    ``all``: every valid (a, p, n) of the batch,
    ``max(0, d(a, p) - d(a, n) + margin)`` averaged over the triplets with a
    positive loss (0 if there are none), as in DPL's and PABR's code.

    Args:
        margin (float, optional): The margin; None for soft margin
            (batch_hard only). Defaults to 0.3.
        mining (str): ``'batch_hard'`` or ``'all'``. Defaults to
            ``'batch_hard'``.
        squared (bool): Use squared Euclidean distances. Defaults to False.
        normalize (bool): L2-normalise the features first. Defaults to False.
        loss_weight (float): Weight of the loss. Defaults to 1.0.
        gather_across_ranks (bool): Under DDP, mine over the batches of all
            ranks (:func:`~mmreid.models.utils.gather_across_ranks`), as a
            single process would over the whole multi-GPU batch; a no-op in
            one process. Defaults to False.

    Examples:
        >>> loss = TripletLoss(margin=0.3)
        >>> feats = torch.tensor([[0., 0.], [0., 1.], [5., 0.], [5., 1.]])
        >>> labels = torch.tensor([0, 0, 1, 1])
        >>> loss(feats, labels).item()  # positives at 1, negatives >= 5
        0.0
    """

    def __init__(self,
                 margin: Optional[float] = 0.3,
                 mining: str = 'batch_hard',
                 squared: bool = False,
                 normalize: bool = False,
                 loss_weight: float = 1.0,
                 gather_across_ranks: bool = False) -> None:
        super().__init__()
        if mining not in ('batch_hard', 'all'):
            raise ValueError(f"mining must be 'batch_hard' or 'all', got "
                             f'{mining!r}')
        if margin is None and mining != 'batch_hard':
            raise ValueError('soft margin (margin=None) needs batch_hard')
        self.margin = margin
        self.mining = mining
        self.squared = squared
        self.normalize = normalize
        self.loss_weight = loss_weight
        self.gather_across_ranks = gather_across_ranks

    def forward(self, feats: torch.Tensor,
                labels: torch.Tensor) -> torch.Tensor:
        """Compute the loss.

        Args:
            feats (torch.Tensor): N x D features.
            labels (torch.Tensor): N identity labels.

        Returns:
            torch.Tensor: The scalar loss (times ``loss_weight``).
        """
        if self.gather_across_ranks:
            feats, labels = gather_across_ranks(feats, labels)
        if self.normalize:
            feats = F.normalize(feats, dim=1)
        dist = batch_distance_matrix(feats, squared=self.squared)
        same = labels[:, None] == labels[None, :]
        eye = torch.eye(len(labels), dtype=torch.bool, device=labels.device)
        pos_mask = same & ~eye
        neg_mask = ~same
        if self.mining == 'batch_hard':
            loss = self._batch_hard(dist, pos_mask, neg_mask)
        else:
            loss = self._all_triplets(dist, pos_mask, neg_mask)
        return loss * self.loss_weight

    def _batch_hard(self, dist, pos_mask, neg_mask) -> torch.Tensor:
        valid = pos_mask.any(1) & neg_mask.any(1)
        if not valid.any():
            return dist.sum() * 0
        big = dist.detach().max() + 1
        hardest_pos = (dist * pos_mask).max(1).values
        hardest_neg = (dist + big * (~neg_mask)).min(1).values
        diff = (hardest_pos - hardest_neg)[valid]
        if self.margin is None:
            return F.softplus(diff).mean()
        return F.relu(diff + self.margin).mean()

    def _all_triplets(self, dist, pos_mask, neg_mask) -> torch.Tensor:
        # N x N x N: anchor a, positive p, negative n.
        losses = dist[:, :, None] - dist[:, None, :] + self.margin
        valid = pos_mask[:, :, None] & neg_mask[:, None, :]
        losses = F.relu(losses) * valid
        num_active = (losses > 0).sum()
        if num_active == 0:
            return dist.sum() * 0
        return losses.sum() / num_active
