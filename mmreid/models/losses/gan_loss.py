# Copyright (c) mmreid contributors. All rights reserved.
"""Adversarial losses with FD-GAN's label smoothing and label flipping."""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mmreid.registry import MODELS


@MODELS.register_module()
class GANLoss(nn.Module):
    """Vanilla (BCE-with-logits) or least-squares GAN loss.

    The discriminator's targets can be noisy, as FD-GAN's ``--smooth-label``
    (docs/en/method_specs.md, FD-GAN): with ``smooth_real=(0.7, 1.0)`` and
    ``smooth_fake=(0.0, 0.3)`` each loss call draws one real target from
    U(0.7, 1.0) and one fake target from U(0, 0.3); with probability
    ``flip_prob`` (FD-GAN: 1 / 10001) a discriminator update swaps real and
    fake (see :meth:`draw_flip`). The generator's terms always use the hard
    targets (``is_disc=False``).

    Draws use ``torch``'s global generator (seeded by MMEngine's
    ``randomness``), so runs are reproducible.

    Args:
        gan_type (str): ``'vanilla'`` (sigmoid + BCE on logits) or
            ``'lsgan'`` (mean squared error). Defaults to ``'vanilla'``.
        real_label (float): Hard real target. Defaults to 1.0.
        fake_label (float): Hard fake target. Defaults to 0.0.
        smooth_real (tuple[float, float], optional): Range of the
            discriminator's real target. Defaults to None (hard).
        smooth_fake (tuple[float, float], optional): Range of the
            discriminator's fake target. Defaults to None (hard).
        flip_prob (float): Probability that :meth:`draw_flip` says to swap
            real and fake for a discriminator update. Defaults to 0.

    Examples:
        >>> loss = GANLoss()
        >>> logits = torch.zeros(2, 1, 3, 3)
        >>> round(float(loss(logits, True)), 4)  # -log(sigmoid(0))
        0.6931
        >>> lsgan = GANLoss(gan_type='lsgan')
        >>> float(lsgan(torch.ones(4), False))
        1.0
    """

    def __init__(self,
                 gan_type: str = 'vanilla',
                 real_label: float = 1.0,
                 fake_label: float = 0.0,
                 smooth_real: Optional[Tuple[float, float]] = None,
                 smooth_fake: Optional[Tuple[float, float]] = None,
                 flip_prob: float = 0.0) -> None:
        super().__init__()
        if gan_type not in ('vanilla', 'lsgan'):
            raise ValueError("gan_type must be 'vanilla' or 'lsgan', got "
                             f'{gan_type!r}')
        for name, rng in (('smooth_real', smooth_real), ('smooth_fake',
                                                         smooth_fake)):
            if rng is not None and (len(rng) != 2 or rng[0] > rng[1]):
                raise ValueError(f'{name} must be (low, high), got {rng}')
        if not 0 <= flip_prob <= 1:
            raise ValueError(f'flip_prob must be in [0, 1], got {flip_prob}')
        self.gan_type = gan_type
        self.real_label = float(real_label)
        self.fake_label = float(fake_label)
        self.smooth_real = smooth_real
        self.smooth_fake = smooth_fake
        self.flip_prob = float(flip_prob)

    def target_value(self, target_is_real: bool, is_disc: bool) -> float:
        """The target of one loss call (drawn if smoothing applies)."""
        rng = self.smooth_real if target_is_real else self.smooth_fake
        if is_disc and rng is not None:
            low, high = rng
            return float(low + (high - low) * torch.rand(()).item())
        return self.real_label if target_is_real else self.fake_label

    def draw_flip(self) -> bool:
        """Whether this discriminator update swaps real and fake targets."""
        return self.flip_prob > 0 and torch.rand(()).item() < self.flip_prob

    def forward(self,
                pred: Tensor,
                target_is_real: bool,
                is_disc: bool = False) -> Tensor:
        """The mean loss of logits ``pred`` against one target value.

        Args:
            pred (Tensor): Discriminator logits, any shape.
            target_is_real (bool): Real (True) or fake target.
            is_disc (bool): Whether this is a discriminator update (only
                then are the targets smoothed). Defaults to False.

        Returns:
            Tensor: Scalar loss.
        """
        target = torch.full_like(pred,
                                 self.target_value(target_is_real, is_disc))
        if self.gan_type == 'vanilla':
            return F.binary_cross_entropy_with_logits(pred, target)
        return F.mse_loss(pred, target)

    def disc_loss(self, pred_real: Tensor, pred_fake: Tensor) -> Tensor:
        """A discriminator's loss: ``(loss(real, 1) + loss(fake, 0)) / 2``.

        Smoothed targets and, with probability ``flip_prob``, swapped
        roles, as FD-GAN's discriminator updates.

        Args:
            pred_real (Tensor): Logits on real inputs.
            pred_fake (Tensor): Logits on generated inputs.

        Returns:
            Tensor: Scalar loss.
        """
        if self.draw_flip():
            pred_real, pred_fake = pred_fake, pred_real
        return 0.5 * (self(pred_real, True, is_disc=True) +
                      self(pred_fake, False, is_disc=True))
