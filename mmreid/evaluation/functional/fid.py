# Copyright (c) mmreid contributors. All rights reserved.
"""Fréchet Inception Distance (FID) of generated images.

FID (Heusel et al., "GANs trained by a two time-scale update rule converge
to a local Nash equilibrium", NeurIPS 2017) fits a Gaussian to the features
of real images and one to the features of generated images and reports the
Fréchet (2-Wasserstein) distance between them:

.. math::

    d^2 = \\|\\mu_1 - \\mu_2\\|^2 + \\mathrm{Tr}\\big(\\Sigma_1 + \\Sigma_2
          - 2 (\\Sigma_1 \\Sigma_2)^{1/2}\\big)

Three pieces:

- :func:`feature_statistics`: mean and covariance of N x D features;
- :func:`frechet_distance`: the distance between two Gaussians;
- :class:`InceptionFeatureExtractor`: the 2048-d pool features of
  torchvision's Inception v3 (or of any network given to it).

Note:
    The features come from torchvision's ImageNet Inception v3 weights
    (:data:`INCEPTION_V3_URL`), downloaded on first use. Published FIDs
    are usually computed with the TensorFlow Inception graph (the weights of
    ``pytorch-fid``), which gives different values: FIDs from this module
    compare models with each other, not with numbers from papers. FID is
    biased with few samples, and the covariance of N < 2048 features is
    singular; compare models on the same number of images.
"""
import warnings
from typing import Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmreid.registry import MODELS

#: torchvision's ImageNet weights of Inception v3 (``IMAGENET1K_V1``).
INCEPTION_V3_URL = ('https://download.pytorch.org/models/'
                    'inception_v3_google-0cc3c7bd.pth')

ArrayLike = Union[Tensor, np.ndarray]


def _as_float64(value: ArrayLike, name: str) -> np.ndarray:
    """Convert a tensor or array to a float64 numpy array."""
    if isinstance(value, Tensor):
        value = value.detach().to('cpu', torch.float64).numpy()
    return np.asarray(value, dtype=np.float64)


def feature_statistics(feats: ArrayLike) -> Tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of a set of features.

    Args:
        feats (Tensor | np.ndarray): N x D features, N >= 2.

    Returns:
        tuple[np.ndarray, np.ndarray]: The (D, ) mean and the D x D
        covariance (unbiased, normalised by ``N - 1``), in float64.

    Examples:
        >>> mu, sigma = feature_statistics(np.array([[0., 1.], [2., 5.]]))
        >>> mu
        array([1., 3.])
        >>> sigma
        array([[2., 4.],
               [4., 8.]])
    """
    feats = _as_float64(feats, 'feats')
    if feats.ndim != 2:
        raise ValueError('feature_statistics: features must be 2-D (N x D), '
                         f'got shape {feats.shape}')
    if feats.shape[0] < 2:
        raise ValueError('feature_statistics: at least 2 samples are needed '
                         f'for a covariance, got {feats.shape[0]}')
    if not np.isfinite(feats).all():
        raise ValueError('feature_statistics: the features contain NaN or '
                         'infinite values')
    return feats.mean(axis=0), np.cov(
        feats, rowvar=False).reshape(feats.shape[1], feats.shape[1])


def _sqrtm(mat: np.ndarray) -> Tuple[np.ndarray, bool]:
    """``scipy.linalg.sqrtm`` and whether it reported a singular matrix."""
    # scipy is imported here, not at module load: every tool imports this
    # module through mmreid.evaluation, few compute an FID
    from scipy import linalg
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        root = linalg.sqrtm(mat)
    singular = False
    for item in caught:
        if issubclass(item.category, linalg.LinAlgWarning):
            singular = True
        else:  # not ours to swallow
            warnings.warn_explicit(item.message, item.category, item.filename,
                                   item.lineno)
    return np.asarray(root), singular


def frechet_distance(mu1: ArrayLike,
                     sigma1: ArrayLike,
                     mu2: ArrayLike,
                     sigma2: ArrayLike,
                     eps: float = 1e-6,
                     imag_atol: float = 1e-3) -> float:
    """Fréchet distance between two Gaussians N(mu1, sigma1), N(mu2, sigma2).

    Computed in float64 with ``scipy.linalg.sqrtm`` of ``sigma1 @ sigma2``:

    - if the square root is not finite, or scipy reports the product as
      singular (typical with fewer samples than dimensions), ``eps * I`` is
      added to both covariances and the distance between the regularised
      Gaussians is returned (the offset enters every term, so identical
      statistics still give 0);
    - rounding can give the square root a small imaginary part; it is
      dropped if the imaginary parts of its diagonal are below
      ``imag_atol``, otherwise a ``ValueError`` is raised.

    Args:
        mu1 (Tensor | np.ndarray): (D, ) mean of the first set.
        sigma1 (Tensor | np.ndarray): D x D covariance of the first set.
        mu2 (Tensor | np.ndarray): (D, ) mean of the second set.
        sigma2 (Tensor | np.ndarray): D x D covariance of the second set.
        eps (float): Diagonal offset used for singular products.
            Defaults to 1e-6.
        imag_atol (float): Largest imaginary part of the diagonal of the
            square root that is treated as rounding. Defaults to 1e-3.

    Returns:
        float: The squared Fréchet distance (may be slightly negative,
        about -1e-10 relative to the traces, from rounding).

    Examples:
        >>> mu1, mu2 = np.zeros(2), np.array([3., 4.])
        >>> round(frechet_distance(mu1, np.eye(2), mu2, np.eye(2)), 6)
        25.0
        >>> # 1-D: (m1 - m2)^2 + (s1 - s2)^2 with standard deviations s
        >>> round(frechet_distance([0.], [[4.]], [1.], [[9.]]), 6)
        2.0
    """
    mu1, mu2 = _as_float64(mu1, 'mu1'), _as_float64(mu2, 'mu2')
    sigma1 = _as_float64(sigma1, 'sigma1')
    sigma2 = _as_float64(sigma2, 'sigma2')
    if mu1.ndim != 1 or mu1.shape != mu2.shape:
        raise ValueError('frechet_distance: the means must be 1-D of the '
                         f'same length, got {mu1.shape} and {mu2.shape}')
    dim = mu1.shape[0]
    for name, sigma in (('sigma1', sigma1), ('sigma2', sigma2)):
        if sigma.shape != (dim, dim):
            raise ValueError(f'frechet_distance: {name} must be {dim} x '
                             f'{dim} (the means have {dim} dimensions), got '
                             f'shape {sigma.shape}')
    for name, value in (('mu1', mu1), ('mu2', mu2), ('sigma1', sigma1),
                        ('sigma2', sigma2)):
        if not np.isfinite(value).all():
            raise ValueError(f'frechet_distance: {name} contains NaN or '
                             'infinite values')

    root, singular = _sqrtm(sigma1 @ sigma2)
    if singular or not np.isfinite(root).all():
        offset = eps * np.eye(dim)
        sigma1, sigma2 = sigma1 + offset, sigma2 + offset
        root, _ = _sqrtm(sigma1 @ sigma2)
        if not np.isfinite(root).all():
            raise ValueError('frechet_distance: the square root of the '
                             'covariance product is not finite even with '
                             f'an offset of eps={eps}')
    if np.iscomplexobj(root):
        worst = np.abs(np.diagonal(root).imag).max()
        if worst > imag_atol:
            raise ValueError('frechet_distance: the square root of the '
                             'covariance product has imaginary diagonal '
                             f'parts up to {worst:.3g} (> {imag_atol}); the '
                             'covariances are probably not valid')
        root = root.real
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) -
                 2 * np.trace(root))


def fid_from_features(real_feats: ArrayLike,
                      fake_feats: ArrayLike,
                      eps: float = 1e-6) -> float:
    """FID between two sets of features (of real and generated images).

    Args:
        real_feats (Tensor | np.ndarray): N1 x D features, N1 >= 2.
        fake_feats (Tensor | np.ndarray): N2 x D features, N2 >= 2.
        eps (float): See :func:`frechet_distance`. Defaults to 1e-6.

    Returns:
        float: :func:`frechet_distance` of their statistics.

    Examples:
        >>> real = np.array([[0., 0.], [2., 0.], [0., 2.], [2., 2.]])
        >>> round(fid_from_features(real, real + 1), 6)
        2.0
    """
    real_feats = _as_float64(real_feats, 'real_feats')
    fake_feats = _as_float64(fake_feats, 'fake_feats')
    if real_feats.ndim != 2 or fake_feats.ndim != 2 or \
            real_feats.shape[1] != fake_feats.shape[1]:
        raise ValueError('fid_from_features: expected N1 x D and N2 x D '
                         f'features, got shapes {real_feats.shape} and '
                         f'{fake_feats.shape}')
    mu1, sigma1 = feature_statistics(real_feats)
    mu2, sigma2 = feature_statistics(fake_feats)
    return frechet_distance(mu1, sigma1, mu2, sigma2, eps=eps)


def build_inception_v3() -> nn.Module:
    """torchvision's Inception v3 architecture, randomly initialised.

    Built with ``weights=None, aux_logits=False, init_weights=False,
    transform_input=False`` (the input scaling is done by
    :class:`InceptionFeatureExtractor`); its classifier ``fc`` is replaced
    by an identity, so the output is the 2048-d average-pooled feature.

    Returns:
        nn.Module: The network, N x 3 x 299 x 299 -> N x 2048.
    """
    from torchvision.models import inception_v3
    net = inception_v3(
        weights=None,
        aux_logits=False,
        init_weights=False,
        transform_input=False)
    net.fc = nn.Identity()
    return net


def load_inception_v3_weights(net: nn.Module, checkpoint: str) -> None:
    """Load torchvision Inception v3 weights into :func:`build_inception_v3`.

    The auxiliary classifier (``AuxLogits.*``) and the final classifier
    (``fc.*``) of the checkpoint are not used; every other parameter and
    buffer must be present and no other key is accepted.

    Args:
        net (nn.Module): A network from :func:`build_inception_v3`.
        checkpoint (str): A local path or URL (downloaded once to the torch
            hub cache by MMEngine's checkpoint loader).
    """
    from mmengine.runner.checkpoint import CheckpointLoader
    ckpt = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else ckpt
    if not isinstance(state, dict):
        raise TypeError(f'{checkpoint} holds a {type(state)}, not a state '
                        'dict')
    state = {
        (k[7:] if k.startswith('module.') else k): v
        for k, v in state.items()
    }
    state = {
        k: v
        for k, v in state.items() if not k.startswith(('AuxLogits.', 'fc.'))
    }
    missing, unexpected = net.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise RuntimeError(
            f'{checkpoint} is not an Inception v3 checkpoint of torchvision '
            f'layout: missing keys {missing[:5]}{"..." * (len(missing) > 5)}'
            f', unexpected keys {unexpected[:5]}'
            f'{"..." * (len(unexpected) > 5)}')


@MODELS.register_module()
class InceptionFeatureExtractor(nn.Module):
    """Image features for FID: Inception v3 pool features (or any network).

    ``forward`` takes N x 3 x H x W RGB images, uint8 or float with values
    in [0, 255], resizes them to ``input_size`` (bilinear,
    ``align_corners=False``) and scales them to [-1, 1]: this is what
    torchvision's ImageNet Inception v3 sees (its ``transform_input=True``
    turns the ImageNet-normalised input ``(x / 255 - mean) / std`` into
    ``x / 127.5 - 1``). The network is always in eval mode and its
    parameters are frozen; gradients still flow to the input.

    Args:
        network (nn.Module | dict, optional): A network mapping
            N x 3 x H x W to N x D (or N x D x 1 x 1; the output is
            flattened), e.g. a small random network in tests. A dict is
            built with ``MODELS`` and its ``init_weights()`` is called (so
            its own ``init_cfg`` loads its weights). None uses
            torchvision's Inception v3 (2048-d features). Defaults to None.
        checkpoint (str, optional): Weights of the default Inception v3: a
            URL or local path of a torchvision Inception v3 state dict.
            Defaults to :data:`INCEPTION_V3_URL` (torchvision's ImageNet
            weights, downloaded to the torch hub cache when the extractor
            is built). None keeps the random initialisation and warns that
            the features are meaningless for measuring image quality.
            Ignored when ``network`` is given.
        input_size (Sequence[int], optional): (h, w) the images are resized
            to; None keeps their size. Defaults to (299, 299).
        normalize (bool): Scale [0, 255] inputs to [-1, 1]. Defaults to
            True.

    Examples:
        >>> import torch
        >>> import torch.nn as nn
        >>> tiny = nn.Sequential(nn.Conv2d(3, 4, 3), nn.AdaptiveAvgPool2d(1))
        >>> extractor = InceptionFeatureExtractor(
        ...     network=tiny, input_size=(32, 32))
        >>> imgs = torch.randint(0, 256, (2, 3, 24, 12), dtype=torch.uint8)
        >>> extractor(imgs).shape
        torch.Size([2, 4])
    """

    def __init__(self,
                 network: Optional[Union[nn.Module, dict]] = None,
                 checkpoint: Optional[str] = INCEPTION_V3_URL,
                 input_size: Optional[Sequence[int]] = (299, 299),
                 normalize: bool = True) -> None:
        super().__init__()
        if network is None:
            network = build_inception_v3()
            if checkpoint is None:
                warnings.warn(
                    'InceptionFeatureExtractor: checkpoint=None, the '
                    'Inception v3 network is randomly initialised; its '
                    'features (and FIDs computed from them) say nothing '
                    'about image quality. Use the default checkpoint '
                    f'({INCEPTION_V3_URL}) for real measurements.')
            else:
                load_inception_v3_weights(network, checkpoint)
        elif isinstance(network, dict):
            network = MODELS.build(network)
            if hasattr(network, 'init_weights'):
                network.init_weights()
        elif not isinstance(network, nn.Module):
            raise TypeError('InceptionFeatureExtractor: network must be an '
                            f'nn.Module, a config dict or None, got '
                            f'{type(network)}')
        if input_size is not None:
            input_size = tuple(int(s) for s in input_size)
            if len(input_size) != 2 or min(input_size) < 1:
                raise ValueError('InceptionFeatureExtractor: input_size must '
                                 f'be (h, w), got {input_size}')
        self.network = network
        self.input_size = input_size
        self.normalize = normalize
        self.network.requires_grad_(False)
        self.train(False)

    def train(self, mode: bool = True) -> 'InceptionFeatureExtractor':
        """Keep the network in eval mode whatever ``mode`` is.

        Args:
            mode (bool): Ignored for the network (batch norm must use its
                running statistics). Defaults to True.

        Returns:
            InceptionFeatureExtractor: self.
        """
        super().train(mode)
        self.network.eval()
        return self

    def forward(self, imgs: Tensor) -> Tensor:
        """Extract one feature vector per image.

        Args:
            imgs (Tensor): N x 3 x H x W RGB images, uint8 or float in
                [0, 255] (moved to the network's device).

        Returns:
            Tensor: N x D float features.
        """
        if not isinstance(imgs, Tensor) or imgs.ndim != 4 or \
                imgs.shape[1] != 3:
            shape = tuple(imgs.shape) if isinstance(imgs, Tensor) else None
            raise ValueError('InceptionFeatureExtractor: expected N x 3 x H '
                             f'x W RGB images, got {type(imgs).__name__} of '
                             f'shape {shape}')
        if imgs.dtype != torch.uint8 and not imgs.is_floating_point():
            raise TypeError('InceptionFeatureExtractor: images must be uint8 '
                            f'or float, got {imgs.dtype}')
        param = next(self.network.parameters(), None)
        dtype = param.dtype if param is not None else torch.float32
        device = param.device if param is not None else imgs.device
        x = imgs.to(device=device, dtype=dtype)
        if self.input_size is not None and \
                tuple(x.shape[-2:]) != self.input_size:
            x = F.interpolate(
                x, size=self.input_size, mode='bilinear', align_corners=False)
        if self.normalize:
            x = x / 127.5 - 1
        feats = self.network(x)
        if isinstance(feats, (tuple, list)):
            feats = feats[0]
        return feats.flatten(1)
