# Copyright (c) mmreid contributors. All rights reserved.
import inspect
import warnings

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmreid.evaluation.functional import (INCEPTION_V3_URL,
                                          InceptionFeatureExtractor,
                                          feature_statistics,
                                          fid_from_features, frechet_distance)
from mmreid.registry import MODELS


def _psd_sqrt(mat):
    """Square root of a symmetric PSD matrix by eigendecomposition."""
    vals, vecs = np.linalg.eigh((mat + mat.T) / 2)
    return (vecs * np.sqrt(np.clip(vals, 0, None))) @ vecs.T


def eigh_frechet(mu1, s1, mu2, s2):
    """Independent FD: Tr((S1 S2)^1/2) = Tr((S1^1/2 S2 S1^1/2)^1/2)."""
    r1 = _psd_sqrt(s1)
    inner = _psd_sqrt(r1 @ s2 @ r1)
    return float(((mu1 - mu2)**2).sum() + np.trace(s1) + np.trace(s2) -
                 2 * np.trace(inner))


def test_diagonal_closed_form():
    rng = np.random.default_rng(0)
    mu1, mu2 = rng.normal(size=6), rng.normal(size=6)
    s1, s2 = rng.uniform(0.1, 3, 6), rng.uniform(0.1, 3, 6)
    expected = ((mu1 - mu2)**2).sum() + (s1 + s2 - 2 * np.sqrt(s1 * s2)).sum()
    got = frechet_distance(mu1, np.diag(s1), mu2, np.diag(s2))
    assert isinstance(got, float)
    assert abs(got - expected) < 1e-10
    # torch inputs give the same value
    got_t = frechet_distance(
        torch.from_numpy(mu1).float(),
        torch.from_numpy(np.diag(s1)).float(),
        torch.from_numpy(mu2).float(),
        torch.from_numpy(np.diag(s2)).float())
    assert abs(got_t - expected) < 1e-5


def test_full_covariances_match_eigh_formula():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(5, 5)), rng.normal(size=(5, 5))
    s1, s2 = a @ a.T + 0.1 * np.eye(5), b @ b.T + 0.1 * np.eye(5)
    mu1, mu2 = rng.normal(size=5), rng.normal(size=5)
    expected = eigh_frechet(mu1, s1, mu2, s2)
    assert abs(frechet_distance(mu1, s1, mu2, s2) - expected) < 1e-9
    # symmetric in its two arguments
    assert abs(frechet_distance(mu2, s2, mu1, s1) - expected) < 1e-9


def test_identical_statistics_give_zero():
    rng = np.random.default_rng(2)
    feats = rng.normal(size=(50, 8))
    mu, sigma = feature_statistics(feats)
    assert abs(frechet_distance(mu, sigma, mu, sigma)) < 1e-9
    # singular covariance (fewer samples than dimensions): eps path, the
    # offset is added to both sides so identical statistics still give 0
    mu, sigma = feature_statistics(feats[:4])
    assert np.linalg.matrix_rank(sigma) == 3
    assert abs(frechet_distance(mu, sigma, mu, sigma)) < 1e-6


def test_singular_products_stay_close_to_exact_value():
    rng = np.random.default_rng(3)
    real, fake = rng.normal(size=(4, 8)), rng.normal(size=(5, 8)) + 0.5
    mu1, s1 = feature_statistics(real)
    mu2, s2 = feature_statistics(fake)
    expected = eigh_frechet(mu1, s1, mu2, s2)
    got = fid_from_features(real, fake)
    assert np.isfinite(got)
    assert abs(got - expected) < 1e-3 * max(1., expected)


def test_singular_product_uses_eps_offset(monkeypatch):
    from scipy import linalg
    calls = []
    sqrtm = linalg.sqrtm

    def counting_sqrtm(mat):
        calls.append(mat.copy())
        return sqrtm(mat)

    monkeypatch.setattr(linalg, 'sqrtm', counting_sqrtm)
    # exactly singular product (scipy warns): retried with eps * I on both
    # covariances; close to the diagonal closed form
    s1, s2 = np.diag([1., 0., 2.]), np.diag([4., 0., 1.])
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # the scipy warning is handled
        got = frechet_distance(np.zeros(3), s1, np.ones(3), s2, eps=1e-6)
    expected = 3 + (1 + 4 - 4) + 0 + (2 + 1 - 2 * np.sqrt(2))
    assert len(calls) == 2
    assert np.allclose(calls[1],
                       (s1 + 1e-6 * np.eye(3)) @ (s2 + 1e-6 * np.eye(3)))
    assert abs(got - expected) < 1e-5
    # identical singular statistics: exactly the regularised distance, 0
    assert abs(frechet_distance(np.zeros(3), s1, np.zeros(3), s1)) < 1e-12

    # a non-finite square root is retried with the offset too
    calls.clear()

    def nan_once(mat):
        calls.append(mat.copy())
        return np.full_like(mat, np.nan) if len(calls) == 1 else sqrtm(mat)

    monkeypatch.setattr(linalg, 'sqrtm', nan_once)
    got = frechet_distance(
        np.zeros(2), np.eye(2), np.zeros(2), 4 * np.eye(2), eps=0.5)
    # (1.5 + 4.5 - 2 sqrt(1.5 * 4.5)) per dimension
    assert len(calls) == 2
    assert abs(got - 2 * (6 - 2 * np.sqrt(6.75))) < 1e-12


def test_imaginary_square_root_is_an_error():
    # not a covariance: sigma1 @ sigma2 has a negative eigenvalue, whose
    # square root is imaginary (1j on the diagonal)
    with pytest.raises(ValueError, match='imaginary'):
        frechet_distance(
            np.zeros(2), np.diag([1., -1.]), np.zeros(2), np.eye(2))


def test_feature_statistics_and_fid_from_features():
    rng = np.random.default_rng(4)
    feats = rng.normal(size=(7, 3))
    mu, sigma = feature_statistics(torch.from_numpy(feats))
    centred = feats - feats.sum(0) / 7
    cov = sum(np.outer(r, r) for r in centred) / 6
    assert np.allclose(mu, feats.sum(0) / 7, rtol=0, atol=1e-12)
    assert np.allclose(sigma, cov, rtol=0, atol=1e-12)
    # a pure shift of the features: FID = |shift|^2 (same covariance)
    shift = np.array([1., -2., 0.5])
    assert abs(fid_from_features(feats, feats + shift) - 5.25) < 1e-9
    # 1-D features: mean gap^2 + std gap^2; [0, 2] has mean 1 and std
    # sqrt(2) (ddof 1), [1, 7] mean 4 and std 3 sqrt(2): 3^2 + (2 sqrt 2)^2
    one = np.array([[0.], [2.]])
    assert abs(fid_from_features(one, 3 * one + 1) - 17) < 1e-9


def test_errors():
    with pytest.raises(ValueError, match='at least 2'):
        feature_statistics(np.zeros((1, 3)))
    with pytest.raises(ValueError, match='2-D'):
        feature_statistics(np.zeros(3))
    with pytest.raises(ValueError, match='NaN'):
        feature_statistics(np.array([[0., np.nan], [1., 1.]]))
    with pytest.raises(ValueError, match='same length'):
        frechet_distance(np.zeros(2), np.eye(2), np.zeros(3), np.eye(3))
    with pytest.raises(ValueError, match='sigma2 must be 2 x 2'):
        frechet_distance(np.zeros(2), np.eye(2), np.zeros(2), np.eye(3))
    with pytest.raises(ValueError, match='N1 x D and N2 x D'):
        fid_from_features(np.zeros((3, 2)), np.zeros((3, 4)))


class _Record(nn.Module):
    """Returns its input flattened and remembers what it saw."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(()))
        self.seen = None

    def forward(self, x):
        self.seen = x
        return x.flatten(1) * self.scale


def test_extractor_with_a_small_network():
    imgs = torch.tensor([0, 51, 255], dtype=torch.uint8).view(1, 3, 1, 1)
    imgs = imgs.expand(2, 3, 4, 2).contiguous()
    net = _Record()
    extractor = InceptionFeatureExtractor(network=net, input_size=None)
    out = extractor(imgs)
    # [0, 255] -> [-1, 1]: 0 -> -1, 51 -> -0.6, 255 -> 1
    assert out.shape == (2, 3 * 4 * 2)
    assert torch.allclose(net.seen[0, :, 0, 0], torch.tensor([-1., -0.6, 1.]))
    # float [0, 255] input is the same as uint8
    assert torch.equal(extractor(imgs.float()), out)
    # resized (bilinear) to input_size: a constant image stays constant
    extractor = InceptionFeatureExtractor(network=net, input_size=(6, 5))
    assert extractor(imgs).shape == (2, 3 * 6 * 5)
    assert net.seen.shape == (2, 3, 6, 5)
    assert torch.allclose(net.seen[:, 1], torch.full((2, 6, 5), -0.6))
    # a network of a config with a module inside, built by the registry
    conv = nn.Sequential(nn.Conv2d(3, 5, 3), nn.AdaptiveAvgPool2d(1))
    extractor = MODELS.build(
        dict(
            type='InceptionFeatureExtractor',
            network=conv,
            input_size=(16, 16)))
    with torch.no_grad():
        feats = extractor(torch.randint(0, 256, (2, 3, 20, 10)).byte())
    assert feats.shape == (2, 5)
    # frozen, and always in eval mode
    assert not any(p.requires_grad for p in extractor.parameters())
    extractor.train()
    assert not extractor.network.training


def test_extractor_errors():
    extractor = InceptionFeatureExtractor(network=_Record(), input_size=None)
    with pytest.raises(ValueError, match='N x 3 x H x W'):
        extractor(torch.zeros(3, 4, 4))
    with pytest.raises(ValueError, match='N x 3 x H x W'):
        extractor(torch.zeros(1, 1, 4, 4))
    with pytest.raises(TypeError, match='uint8 or float'):
        extractor(torch.zeros(1, 3, 4, 4, dtype=torch.long))
    with pytest.raises(TypeError, match='nn.Module'):
        InceptionFeatureExtractor(network='resnet')
    with pytest.raises(ValueError, match='input_size'):
        InceptionFeatureExtractor(network=_Record(), input_size=(3, ))


def test_default_checkpoint_is_torchvision_imagenet_weights():
    default = inspect.signature(
        InceptionFeatureExtractor).parameters['checkpoint'].default
    assert default == INCEPTION_V3_URL == (
        'https://download.pytorch.org/models/inception_v3_google-0cc3c7bd.pth')


@pytest.fixture(scope='module')
def random_inception():
    torch.manual_seed(0)
    with pytest.warns(UserWarning, match='randomly initialised'):
        return InceptionFeatureExtractor(checkpoint=None)


def test_inception_random_init_matches_torchvision_pipeline(random_inception):
    from torchvision.models import inception_v3
    gen = torch.Generator().manual_seed(0)
    imgs = torch.randint(0, 256, (2, 3, 40, 24), generator=gen).byte()
    with torch.no_grad():
        feats = random_inception(imgs)
    assert feats.shape == (2, 2048) and torch.isfinite(feats).all()
    assert feats.std() > 0
    # torchvision's own pipeline for its ImageNet weights: ImageNet
    # normalisation and transform_input=True, same (random) weights
    ref_net = inception_v3(
        weights=None,
        aux_logits=False,
        init_weights=False,
        transform_input=True)
    ref_net.fc = nn.Identity()
    ref_net.load_state_dict(random_inception.network.state_dict())
    ref_net.eval()
    x = F.interpolate(
        imgs.float() / 255,
        size=(299, 299),
        mode='bilinear',
        align_corners=False)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    with torch.no_grad():
        expected = ref_net((x - mean) / std)
    assert torch.allclose(
        feats, expected, rtol=1e-4, atol=1e-4 * expected.abs().max().item())


def test_inception_checkpoint_loading(random_inception, tmp_path):
    # a torchvision-layout state dict (with the auxiliary classifier and
    # fc, as in the real file) is loaded, the extra heads are ignored
    state = {
        k: torch.randn_like(v) if v.is_floating_point() else v
        for k, v in random_inception.network.state_dict().items()
    }
    state['AuxLogits.fc.weight'] = torch.zeros(1000, 768)
    state['fc.weight'] = torch.zeros(1000, 2048)
    state['fc.bias'] = torch.zeros(1000)
    path = tmp_path / 'inception.pth'
    torch.save(state, path)
    loaded = InceptionFeatureExtractor(checkpoint=str(path))
    for k, v in loaded.network.state_dict().items():
        assert torch.equal(v, state[k]), k
    # a checkpoint of another network is refused, not half loaded
    torch.save({'conv.weight': torch.zeros(1)}, path)
    with pytest.raises(RuntimeError, match='missing keys'):
        InceptionFeatureExtractor(checkpoint=str(path))
    path.unlink()
