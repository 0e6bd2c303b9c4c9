# Copyright (c) mmreid contributors. All rights reserved.
"""Cross-rank gathering of a batch's features and labels."""
from typing import Tuple

import torch
import torch.distributed as dist
from mmengine.dist import get_dist_info


class _AllGatherWithGrad(torch.autograd.Function):
    """All-gather whose backward sums the gradients of every rank."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        out = [torch.zeros_like(x) for _ in range(dist.get_world_size())]
        dist.all_gather(out, x.contiguous())
        return tuple(out)

    @staticmethod
    def backward(ctx, *grads: torch.Tensor) -> torch.Tensor:
        grad = torch.stack(grads)
        dist.all_reduce(grad)
        return grad[dist.get_rank()]


def gather_across_ranks(
        feats: torch.Tensor,
        labels: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """Concatenate the features and labels of every rank's batch.

    Under DDP each process sees only its own batch; a metric loss that
    mines over the whole multi-GPU batch (as the single-process Caffe /
    DataParallel code of DPL and PABR did) needs every rank's features.
    The features keep their gradient: backward sums every rank's gradient
    of its copy of the loss into the local slice, so after DDP's gradient
    averaging the update equals the single-process one on the concatenated
    batch. Every rank must pass the same batch size. Without a process
    group the inputs are returned as they are.

    Switch it on with ``TripletLoss(gather_across_ranks=True)``.

    Args:
        feats (torch.Tensor): N x D local features.
        labels (torch.Tensor): N local labels.

    Returns:
        tuple[torch.Tensor, torch.Tensor]: (W * N) x D features and labels,
        rank 0's batch first.

    Examples:
        >>> f, l = gather_across_ranks(torch.ones(2, 3), torch.zeros(2))
        >>> f.shape, l.shape
        (torch.Size([2, 3]), torch.Size([2]))
    """
    _, world_size = get_dist_info()
    if world_size == 1:
        return feats, labels
    feats = torch.cat(_AllGatherWithGrad.apply(feats), 0)
    gathered = [torch.zeros_like(labels) for _ in range(world_size)]
    dist.all_gather(gathered, labels.contiguous())
    return feats, torch.cat(gathered, 0)
