# Copyright (c) mmreid contributors. All rights reserved.
"""IP-GAN's reconstruction loss, weighted by the kind of pair."""
from typing import Optional

from torch import Tensor, nn

from mmreid.registry import MODELS


@MODELS.register_module()
class AsymmetricReconstructionLoss(nn.Module):
    """``w_i / 2 * ||x_a_i - x'_i||^2``: full weight for matching pairs.

    IP-GAN's l_GR: the image generated from a subject and an attribute
    image is pulled to the attribute image with weight 1 when the pair
    *matches* (the same image, or the same identity, as the caller
    decides) and with weight ``mismatch_weight`` (the paper's lambda = 0.1)
    otherwise, where the attribute image is only a loose target.

    Args:
        mismatch_weight (float): The weight of non-matching pairs.
            Defaults to 0.1.
        reduction (str): How one sample's squared error is reduced:
            ``'sum'`` over its pixels (the paper's norm) or ``'mean'``
            (per pixel; the same minimiser, a scale independent of the
            image size). Defaults to ``'mean'``.
        loss_weight (float): Multiplies the loss. Defaults to 1.0.

    Examples:
        >>> import torch
        >>> loss = AsymmetricReconstructionLoss(reduction='sum')
        >>> fake, real = torch.zeros(2, 1, 1, 2), torch.ones(2, 1, 1, 2)
        >>> # matching pair: 2 / 2 = 1; other pair: 0.1 * 1; batch mean
        >>> round(float(loss(fake, real, torch.tensor([True, False]))), 4)
        0.55
    """

    REDUCTIONS = ('sum', 'mean')

    def __init__(self,
                 mismatch_weight: float = 0.1,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if reduction not in self.REDUCTIONS:
            raise ValueError(f'reduction must be one of {self.REDUCTIONS}, '
                             f'got {reduction!r}')
        if mismatch_weight < 0:
            raise ValueError(
                f'mismatch_weight must be >= 0, got {mismatch_weight}')
        self.mismatch_weight = float(mismatch_weight)
        self.reduction = reduction
        self.loss_weight = float(loss_weight)

    def forward(self,
                pred: Tensor,
                target: Tensor,
                matching: Optional[Tensor] = None) -> Tensor:
        """The batch-mean weighted loss.

        Args:
            pred (Tensor): N x ... generated images.
            target (Tensor): N x ... attribute images.
            matching (Tensor, optional): N booleans, True for a matching
                pair. None: every pair matches.

        Returns:
            Tensor: A scalar.
        """
        if pred.shape != target.shape:
            raise ValueError('AsymmetricReconstructionLoss: pred '
                             f'{tuple(pred.shape)} and target '
                             f'{tuple(target.shape)} differ')
        err = (pred - target).pow(2).flatten(1)
        err = err.sum(1) if self.reduction == 'sum' else err.mean(1)
        err = 0.5 * err
        if matching is not None:
            matching = matching.to(device=err.device).reshape(-1).bool()
            if matching.numel() != err.numel():
                raise ValueError(
                    f'AsymmetricReconstructionLoss: {matching.numel()} '
                    f'matching flags for {err.numel()} pairs')
            weight = err.new_full(err.shape, self.mismatch_weight)
            weight[matching] = 1.0
            err = err * weight
        return self.loss_weight * err.mean()
