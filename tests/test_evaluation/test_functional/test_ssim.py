# Copyright (c) mmreid contributors. All rights reserved.
import math

import numpy as np
import pytest
import torch
from scipy import ndimage

from mmreid.evaluation.functional import ssim
from mmreid.evaluation.functional.ssim import gaussian_window


def naive_ssim(img1,
               img2,
               data_range=255.,
               win_size=11,
               sigma=1.5,
               k1=0.01,
               k2=0.03):
    """SSIM of one C x H x W pair by the definition: a loop over windows.

    Float64 numpy, one window position at a time, weighted population
    statistics; valid windows only; mean over channels and positions.
    """
    img1 = np.asarray(img1, dtype=np.float64)
    img2 = np.asarray(img2, dtype=np.float64)
    r = win_size // 2
    g = np.array(
        [math.exp(-(i * i) / (2 * sigma * sigma)) for i in range(-r, r + 1)])
    w = np.outer(g, g)
    w /= w.sum()
    c1, c2 = (k1 * data_range)**2, (k2 * data_range)**2
    values = []
    for c in range(img1.shape[0]):
        for i in range(img1.shape[1] - win_size + 1):
            for j in range(img1.shape[2] - win_size + 1):
                x = img1[c, i:i + win_size, j:j + win_size]
                y = img2[c, i:i + win_size, j:j + win_size]
                mx, my = (w * x).sum(), (w * y).sum()
                vx = (w * (x - mx)**2).sum()
                vy = (w * (y - my)**2).sum()
                cxy = (w * (x - mx) * (y - my)).sum()
                values.append((2 * mx * my + c1) * (2 * cxy + c2) /
                              ((mx * mx + my * my + c1) * (vx + vy + c2)))
    return float(np.mean(values))


def skimage_style_ssim(img1, img2, data_range=255.):
    """scikit-image's algorithm (gaussian_weights=True, sigma=1.5,
    use_sample_covariance=False): reflect-padded gaussian_filter with
    truncate=3.5 on the full image, then crop (win_size - 1) // 2 pixels
    from each border and average. Per channel, then mean over channels."""
    values = []
    for x, y in zip(
            np.asarray(img1, np.float64), np.asarray(img2, np.float64)):

        def filt(a):
            return ndimage.gaussian_filter(a, sigma=1.5, truncate=3.5)

        ux, uy = filt(x), filt(y)
        vx = filt(x * x) - ux * ux
        vy = filt(y * y) - uy * uy
        vxy = filt(x * y) - ux * uy
        c1, c2 = (0.01 * data_range)**2, (0.03 * data_range)**2
        s = ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux**2 + uy**2 + c1) *
                                                     (vx + vy + c2))
        values.append(s[5:-5, 5:-5].mean())
    return float(np.mean(values))


def _pair(seed, shape=(2, 3, 16, 12), noise=40.):
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(shape, generator=gen, dtype=torch.float64) * 255
    y = (x +
         torch.randn(shape, generator=gen, dtype=torch.float64) * noise).clamp(
             0, 255)
    return x, y


def test_matches_naive_window_loop():
    x, y = _pair(0)
    expected = [naive_ssim(x[i], y[i]) for i in range(2)]
    # float64 inputs: computed in float64
    got = ssim(x, y, reduction='none')
    assert got.dtype == torch.float64 and got.shape == (2, )
    assert np.allclose(got.numpy(), expected, rtol=0, atol=1e-12)
    # float32 inputs: float32, accurate to ~1e-6
    got32 = ssim(x.float(), y.float(), reduction='none')
    assert got32.dtype == torch.float32
    assert np.allclose(got32.numpy(), expected, rtol=0, atol=2e-6)
    # mean reduction
    assert abs(float(ssim(x, y)) - np.mean(expected)) < 1e-12
    # the value is far from trivial: SSIM of this noise level is well
    # below 1 and above 0
    assert 0.1 < min(expected) < max(expected) < 0.9


def test_other_window_and_range():
    x, y = _pair(1, shape=(1, 2, 13, 9), noise=0.1)
    x, y = x / 255, (y / 255).clamp(0, 1)
    expected = naive_ssim(
        x[0], y[0], data_range=1., win_size=7, sigma=1.0, k1=0.02, k2=0.05)
    got = ssim(x, y, data_range=1., win_size=7, sigma=1.0, k1=0.02, k2=0.05)
    assert abs(float(got) - expected) < 1e-12
    # a window as large as the image: a single position
    x, y = _pair(2, shape=(1, 1, 11, 11))
    assert abs(float(ssim(x, y)) - naive_ssim(x[0], y[0])) < 1e-12


def test_matches_skimage_algorithm_on_uint8():
    x, y = _pair(3, shape=(1, 3, 24, 17))
    x8, y8 = x.round().to(torch.uint8), y.round().to(torch.uint8)
    expected = skimage_style_ssim(x8[0].numpy(), y8[0].numpy())
    got = ssim(x8, y8)
    assert got.dtype == torch.float32
    assert abs(float(got) - expected) < 2e-6
    # uint8 and the same values as float give the same SSIM
    assert abs(float(ssim(x8.float(), y8.double())) - expected) < 1e-12


def test_identical_images_give_exactly_one():
    x, _ = _pair(4)
    for img in (x, x.float(), x.round().to(torch.uint8)):
        assert torch.equal(
            ssim(img, img.clone(), reduction='none'),
            torch.ones(
                2,
                dtype=torch.float64
                if img.dtype == torch.float64 else torch.float32))


def test_constant_images_hand_worked():
    # Constant images: every local variance and covariance is 0, so
    # SSIM = (2ab + C1) / (a^2 + b^2 + C1); with a = 50, b = 200, L = 255:
    # C1 = 2.55^2 = 6.5025, (20000 + 6.5025) / (2500 + 40000 + 6.5025)
    a = torch.full((1, 3, 12, 12), 50., dtype=torch.float64)
    b = torch.full((1, 3, 12, 12), 200., dtype=torch.float64)
    assert abs(float(ssim(a, b)) - 20006.5025 / 42506.5025) < 1e-12
    assert abs(float(ssim(a.float(), b.float())) - 0.4706692) < 1e-6
    # a constant image against a +-25 checkerboard around it
    board = a.clone()
    board[..., ::2, ::2] += 25
    board[..., 1::2, 1::2] += 25
    board[..., ::2, 1::2] -= 25
    board[..., 1::2, ::2] -= 25
    assert abs(float(ssim(a, board)) - naive_ssim(a[0], board[0])) < 1e-12
    assert float(ssim(a, board)) < 0.3


def test_symmetry_and_monotonic_in_noise():
    x, y = _pair(5)
    assert torch.allclose(ssim(x, y), ssim(y, x), rtol=0, atol=1e-14)
    values = [float(ssim(*_pair(6, noise=n))) for n in (1., 10., 50.)]
    assert values[0] > values[1] > values[2]


def test_gaussian_window():
    w = gaussian_window(11, 1.5, torch.float64)
    g = np.exp(-np.arange(-5, 6)**2 / (2 * 1.5**2))
    assert np.allclose(w.numpy(), g / g.sum(), rtol=0, atol=1e-15)
    with pytest.raises(ValueError, match='odd'):
        gaussian_window(4, 1.5)
    with pytest.raises(ValueError, match='sigma'):
        gaussian_window(5, 0.)


def test_errors():
    x = torch.rand(2, 3, 16, 12)
    with pytest.raises(ValueError, match='4-D'):
        ssim(x[0], x[0])
    with pytest.raises(ValueError, match='different shapes'):
        ssim(x, x[:, :2])
    with pytest.raises(TypeError, match='uint8 or floating'):
        ssim(x.long(), x.long())
    with pytest.raises(ValueError, match='odd'):
        ssim(x, x, win_size=10)
    with pytest.raises(ValueError, match='smaller than'):
        ssim(x[..., :10], x[..., :10])
    with pytest.raises(ValueError, match='reduction'):
        ssim(x, x, reduction='sum')
    with pytest.raises(ValueError, match='data_range'):
        ssim(x, x, data_range=0)
