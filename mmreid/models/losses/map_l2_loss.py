# Copyright (c) mmreid contributors. All rights reserved.
"""The squared L2 distance of predicted and target maps, per channel."""
import torch
import torch.nn as nn

from mmreid.registry import MODELS


@MODELS.register_module()
class MapL2Loss(nn.Module):
    """``loss_weight / C * sum_c ||target_c - pred_c||^2``, batch-averaged.

    AACN's map losses: for ``C`` maps (keypoint confidence maps, non-rigid
    or rigid part maps) the squared Frobenius norm of each map's error,
    summed over its pixels, averaged over the ``C`` maps and over the
    images of the batch. (MMPose's ``KeypointMSELoss`` averages over the
    pixels too, i.e. this loss divided by ``H * W``.)

    Args:
        loss_weight (float): The weight (AACN's mu). Defaults to 1.0.

    Examples:
        >>> loss = MapL2Loss(loss_weight=2.)
        >>> pred = torch.zeros(1, 2, 2, 2)
        >>> target = torch.ones(1, 2, 2, 2)   # 4 pixels of error 1 per map
        >>> float(loss(pred, target))
        8.0
    """

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = float(loss_weight)

    def forward(self, pred: torch.Tensor,
                target: torch.Tensor) -> torch.Tensor:
        """The loss of N x C x H x W predictions and targets.

        Args:
            pred (torch.Tensor): Predicted maps, N x C x H x W.
            target (torch.Tensor): Target maps of the same shape.

        Returns:
            torch.Tensor: A scalar.
        """
        if pred.shape != target.shape:
            raise ValueError(
                f'MapL2Loss: predicted maps {tuple(pred.shape)} and targets '
                f'{tuple(target.shape)} differ; render the targets at the '
                "network's output size (the transforms' heatmap_size / "
                'stride)')
        if pred.ndim != 4:
            raise ValueError('MapL2Loss expects N x C x H x W maps, got '
                             f'{tuple(pred.shape)}')
        err = (target.to(pred.dtype) - pred).pow(2).sum(dim=(2, 3))
        return self.loss_weight * err.mean()
