# Copyright (c) mmreid contributors. All rights reserved.
"""The KL divergence of a diagonal Gaussian from N(0, I) (VAE prior)."""
import torch
from torch import Tensor, nn

from mmreid.registry import MODELS


@MODELS.register_module()
class GaussianKLLoss(nn.Module):
    """``KL(N(mu, diag(exp(logvar))) || N(0, I))`` in closed form.

    IP-GAN's l_KL on the attribute code: per sample
    ``0.5 * sum_j (mu_j ** 2 + exp(logvar_j) - 1 - logvar_j)``, summed over
    the code's dimensions and averaged over the batch.

    Args:
        loss_weight (float): Multiplies the loss. Defaults to 1.0.

    Examples:
        >>> loss = GaussianKLLoss()
        >>> float(loss(torch.zeros(2, 4), torch.zeros(2, 4)))  # the prior
        0.0
        >>> float(loss(torch.ones(1, 2), torch.zeros(1, 2)))  # 0.5 * 2
        1.0
    """

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = float(loss_weight)

    def forward(self, mu: Tensor, logvar: Tensor) -> Tensor:
        """The batch-mean KL of N x D means and log-variances.

        Args:
            mu (Tensor): N x D means.
            logvar (Tensor): N x D log-variances.

        Returns:
            Tensor: A scalar.
        """
        if mu.shape != logvar.shape or mu.dim() != 2:
            raise ValueError('GaussianKLLoss: mu and logvar must both be '
                             f'N x D, got {tuple(mu.shape)} and '
                             f'{tuple(logvar.shape)}')
        kl = 0.5 * (mu.pow(2) + torch.exp(logvar) - 1 - logvar).sum(1)
        return self.loss_weight * kl.mean()
