# Copyright (c) mmreid contributors. All rights reserved.
"""Structural similarity (SSIM) of batches of images.

SSIM (Wang, Bovik, Sheikh and Simoncelli, "Image quality assessment: from
error visibility to structural similarity", TIP 2004) compares two images
window by window. With Gaussian-weighted local means :math:`\\mu_x,
\\mu_y`, variances :math:`\\sigma_x^2, \\sigma_y^2` and covariance
:math:`\\sigma_{xy}` (population estimates, i.e. normalised by the sum of
the weights, not by ``n - 1``):

.. math::

    SSIM(x, y) = \\frac{(2 \\mu_x \\mu_y + C_1)(2 \\sigma_{xy} + C_2)}
                      {(\\mu_x^2 + \\mu_y^2 + C_1)
                       (\\sigma_x^2 + \\sigma_y^2 + C_2)},
    \\quad C_1 = (k_1 L)^2, \\; C_2 = (k_2 L)^2

with ``L`` the data range. The value of an image is the mean of this map.

Conventions (those of the paper's reference code ``ssim_index.m`` and of
scikit-image's ``structural_similarity(gaussian_weights=True, sigma=1.5,
use_sample_covariance=False, data_range=L)``, whose 11-tap window is the
default here):

- the window is a ``win_size`` x ``win_size`` Gaussian of standard deviation
  ``sigma``, normalised to sum to 1, applied as two 1-D convolutions;
- only the **valid** region is kept: the map has ``(H - win_size + 1) x
  (W - win_size + 1)`` values, one for each window lying entirely inside the
  image (no padding; scikit-image pads and then crops exactly this border,
  so the means agree);
- colour images are compared channel by channel and the maps are averaged
  over channels and pixels (scikit-image's ``channel_axis`` behaviour);
- no automatic down-sampling (which the later ``ssim.m`` applies to large
  images) is done.
"""
import torch
import torch.nn.functional as F
from torch import Tensor

#: The names accepted by ``reduction``.
SSIM_REDUCTIONS = ('mean', 'none')


def gaussian_window(win_size: int,
                    sigma: float,
                    dtype: torch.dtype = torch.float32,
                    device=None) -> Tensor:
    """A normalised 1-D Gaussian window of odd length ``win_size``.

    Args:
        win_size (int): Number of taps (odd).
        sigma (float): Standard deviation, in pixels.
        dtype (torch.dtype): Defaults to ``torch.float32``.
        device (torch.device, optional): Defaults to None (the CPU).

    Returns:
        Tensor: ``win_size`` weights summing to 1, symmetric around the
        centre tap.

    Examples:
        >>> import math
        >>> w = gaussian_window(3, 1.0, torch.float64)
        >>> bool(torch.isclose(w.sum(), torch.tensor(1., dtype=w.dtype)))
        True
        >>> round(float(w[0] / w[1]), 4) == round(math.exp(-0.5), 4)
        True
    """
    if win_size < 1 or win_size % 2 == 0:
        raise ValueError(f'win_size must be a positive odd integer, got '
                         f'{win_size}')
    if not sigma > 0:
        raise ValueError(f'sigma must be > 0, got {sigma}')
    radius = (win_size - 1) // 2
    offsets = torch.arange(
        -radius, radius + 1, dtype=torch.float64, device=device)
    weights = torch.exp(-offsets**2 / (2.0 * sigma**2))
    return (weights / weights.sum()).to(dtype)


def _as_image_batch(img, name: str) -> Tensor:
    """Check one argument of :func:`ssim` and return it as a tensor."""
    if not isinstance(img, Tensor):
        img = torch.as_tensor(img)
    if img.ndim != 4:
        raise ValueError(f'ssim: {name} must be a 4-D N x C x H x W tensor, '
                         f'got shape {tuple(img.shape)} (use '
                         'img.unsqueeze(0) for a single C x H x W image)')
    if img.dtype != torch.uint8 and not img.is_floating_point():
        raise TypeError(f'ssim: {name} must be a uint8 or floating-point '
                        f'tensor, got {img.dtype}')
    return img


def _filter_valid(x: Tensor, window: Tensor) -> Tensor:
    """Separable Gaussian filtering of (B, 1, H, W) maps, valid region."""
    win = window.numel()
    x = F.conv2d(x, window.view(1, 1, win, 1))
    return F.conv2d(x, window.view(1, 1, 1, win))


def ssim(img1: Tensor,
         img2: Tensor,
         data_range: float = 255.,
         win_size: int = 11,
         sigma: float = 1.5,
         k1: float = 0.01,
         k2: float = 0.03,
         reduction: str = 'mean') -> Tensor:
    """Gaussian-window SSIM of two batches of images (Wang et al. 2004).

    See the module documentation for the exact definition; the result
    equals scikit-image's ``structural_similarity(a, b,
    gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
    data_range=data_range, channel_axis=0)`` for each image, valid-region
    (un-padded) windows only.

    The computation is done on the device of ``img1`` in float32 (float64 if
    either input is float64). The local variances are computed from images
    centred on their per-channel means (SSIM's variance and covariance terms
    do not depend on this shift), which keeps float32 accurate for 0-255
    data.

    Args:
        img1 (Tensor): N x C x H x W images, uint8 or float.
        img2 (Tensor): Images of the same shape (and device) as ``img1``.
        data_range (float): The range ``L`` of the pixel values (255 for
            8-bit images, 1 for images in [0, 1]). Defaults to 255.
        win_size (int): Side of the Gaussian window (odd, at most ``H`` and
            ``W``). Defaults to 11.
        sigma (float): Standard deviation of the window. Defaults to 1.5.
        k1 (float): Luminance constant, ``C1 = (k1 L)^2``. Defaults to 0.01.
        k2 (float): Contrast constant, ``C2 = (k2 L)^2``. Defaults to 0.03.
        reduction (str): ``'none'``: one SSIM per image (shape ``(N, )``);
            ``'mean'``: their mean (a 0-d tensor). Defaults to ``'mean'``.

    Returns:
        Tensor: The SSIM of each image pair or their mean; 1 for identical
        images.

    Examples:
        >>> import torch
        >>> x = torch.arange(2 * 3 * 16 * 12, dtype=torch.float32)
        >>> x = (x * 37 % 256).view(2, 3, 16, 12)
        >>> ssim(x, x)
        tensor(1.)
        >>> # constant images a, b: SSIM = (2ab + C1) / (a^2 + b^2 + C1)
        >>> a, b = torch.full((1, 1, 11, 11), 100.), torch.full(
        ...     (1, 1, 11, 11), 150.)
        >>> c1 = (0.01 * 255)**2
        >>> expected = (2 * 100 * 150 + c1) / (100**2 + 150**2 + c1)
        >>> abs(float(ssim(a, b)) - expected) < 1e-5
        True
        >>> ssim(x, x.flip(-1), reduction='none').shape
        torch.Size([2])
    """
    img1 = _as_image_batch(img1, 'img1')
    img2 = _as_image_batch(img2, 'img2')
    if img1.shape != img2.shape:
        raise ValueError(f'ssim: the images have different shapes '
                         f'{tuple(img1.shape)} and {tuple(img2.shape)}')
    if img1.device != img2.device:
        raise ValueError(f'ssim: the images are on different devices '
                         f'({img1.device} and {img2.device})')
    if reduction not in SSIM_REDUCTIONS:
        raise ValueError(f'ssim: unknown reduction {reduction!r}; expected '
                         f'one of {SSIM_REDUCTIONS}')
    if not data_range > 0:
        raise ValueError(f'ssim: data_range must be > 0, got {data_range}')
    num, channels, height, width = img1.shape
    if num == 0 or channels == 0:
        raise ValueError(f'ssim: empty batch of shape {tuple(img1.shape)}')
    if win_size < 1 or win_size % 2 == 0:
        raise ValueError(f'ssim: win_size must be a positive odd integer, '
                         f'got {win_size}')
    if height < win_size or width < win_size:
        raise ValueError(f'ssim: the images ({height} x {width}) are '
                         f'smaller than the {win_size} x {win_size} window; '
                         'use a smaller (odd) win_size')

    dtype = torch.float64 if torch.float64 in (img1.dtype,
                                               img2.dtype) else torch.float32
    window = gaussian_window(win_size, sigma, dtype, img1.device)
    x = img1.to(dtype).reshape(num * channels, 1, height, width)
    y = img2.to(dtype).reshape(num * channels, 1, height, width)
    # Centre each channel: variances and covariance are shift-invariant and
    # E[x^2] - E[x]^2 loses less precision on centred data.
    x_shift = x.mean(dim=(2, 3), keepdim=True)
    y_shift = y.mean(dim=(2, 3), keepdim=True)
    xc, yc = x - x_shift, y - y_shift
    # One filtering pass over the five maps, stacked along the batch axis.
    maps = torch.cat([xc, yc, xc * xc, yc * yc, xc * yc])
    mu_xc, mu_yc, e_xx, e_yy, e_xy = _filter_valid(maps, window).chunk(5)
    var_x = e_xx - mu_xc * mu_xc
    var_y = e_yy - mu_yc * mu_yc
    cov_xy = e_xy - mu_xc * mu_yc
    mu_x = mu_xc + x_shift
    mu_y = mu_yc + y_shift

    c1 = (k1 * data_range)**2
    c2 = (k2 * data_range)**2
    numerator = (2 * mu_x * mu_y + c1) * (2 * cov_xy + c2)
    denominator = (mu_x * mu_x + mu_y * mu_y + c1) * (var_x + var_y + c2)
    ssim_map = numerator / denominator
    per_image = ssim_map.reshape(num, -1).mean(dim=1)
    if reduction == 'none':
        return per_image
    return per_image.mean()
