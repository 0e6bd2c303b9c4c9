# Copyright (c) mmreid contributors. All rights reserved.
"""Feature matching between generated and real images (IP-GAN's l_GD,
l_GC)."""
from torch import Tensor, nn

from mmreid.registry import MODELS


@MODELS.register_module()
class FeatureMatchingLoss(nn.Module):
    """``1/2 ||f(fake) - f(real)||^2`` on a network's intermediate features.

    The real features are the target (detached). Two forms:

    - ``'mean'``: between the batch means of the features (Salimans et
      al.'s feature matching, as CVAE-GAN and IP-GAN use it);
    - ``'pairwise'``: between the features of each fake and its own real
      image, averaged over the batch.

    Args:
        mode (str): ``'mean'`` or ``'pairwise'``. Defaults to ``'mean'``.
        loss_weight (float): Multiplies the loss. Defaults to 1.0.

    Examples:
        >>> import torch
        >>> fake = torch.tensor([[0., 0.], [2., 0.]])
        >>> real = torch.tensor([[1., 0.], [1., 0.]])
        >>> float(FeatureMatchingLoss()(fake, real))  # equal means
        0.0
        >>> float(FeatureMatchingLoss(mode='pairwise')(fake, real))
        0.5
    """

    MODES = ('mean', 'pairwise')

    def __init__(self, mode: str = 'mean', loss_weight: float = 1.0) -> None:
        super().__init__()
        if mode not in self.MODES:
            raise ValueError(
                f'mode must be one of {self.MODES}, got {mode!r}')
        self.mode = mode
        self.loss_weight = float(loss_weight)

    def forward(self, fake: Tensor, real: Tensor) -> Tensor:
        """The loss of N x ... features of fakes and of real images.

        Args:
            fake (Tensor): Features of the generated images.
            real (Tensor): Features of the real images (detached here).

        Returns:
            Tensor: A scalar.
        """
        if fake.shape != real.shape:
            raise ValueError(f'FeatureMatchingLoss: fake {tuple(fake.shape)}'
                             f' and real {tuple(real.shape)} features differ')
        fake, real = fake.flatten(1), real.detach().flatten(1)
        if self.mode == 'mean':
            diff = fake.mean(0) - real.mean(0)
            loss = 0.5 * diff.pow(2).sum()
        else:
            loss = 0.5 * (fake - real).pow(2).sum(1).mean()
        return self.loss_weight * loss
