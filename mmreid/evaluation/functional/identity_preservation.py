# Copyright (c) mmreid contributors. All rights reserved.
"""Identity preservation of generated person images, with re-ID features.

A pose-transfer generator (FD-GAN) should change the pose and keep the
identity. Given the re-ID features of the generated images and of their
references (the real image of the same person they should match: the
target, or the source image), two measures:

- pair similarity: the mean cosine similarity (``metric='cosine'``) or the
  mean Euclidean distance (``metric='euclidean'``) between each generated
  image and its own reference;
- retrieval: with identities, each generated image is a query against a
  gallery of real images (the references themselves, or another gallery),
  scored by CMC rank-k and mAP with
  :func:`mmreid.evaluation.functional.evaluate_features` (protocol
  ``'no_camera'``: every real image is a candidate; pid -1 is junk).
"""
from typing import Dict, Optional, Sequence, Union

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from .evaluate import evaluate_features

#: The names accepted by ``metric``.
IDENTITY_METRICS = ('cosine', 'euclidean')

ArrayLike = Union[Tensor, np.ndarray, Sequence]


def _features(value, name: str) -> Tensor:
    """A 2-D float32 CPU tensor, or a clear error."""
    value = torch.as_tensor(
        np.asarray(value) if not isinstance(value, Tensor) else value)
    if value.ndim != 2:
        raise ValueError(f'identity_preservation: {name} must be N x D '
                         f'features, got shape {tuple(value.shape)}')
    return value.detach().to('cpu', torch.float32)


def identity_preservation(
    gen_feats: ArrayLike,
    ref_feats: ArrayLike,
    metric: str = 'cosine',
    gen_pids: Optional[ArrayLike] = None,
    ref_pids: Optional[ArrayLike] = None,
    gallery_feats: Optional[ArrayLike] = None,
    gallery_pids: Optional[ArrayLike] = None,
    topk: Sequence[int] = (1, )
) -> Dict[str, float]:
    """How well generated images keep the identity of their references.

    Args:
        gen_feats (Tensor | np.ndarray): N x D re-ID features of the
            generated images.
        ref_feats (Tensor | np.ndarray): N x D features of their references
            (row i is the real image generated image i should match).
        metric (str): ``'cosine'`` or ``'euclidean'``, for the pair measure
            and for the retrieval distances. Defaults to ``'cosine'``.
        gen_pids (array-like, optional): (N, ) identities of the generated
            images. With a gallery, turns the retrieval measure on.
            Defaults to None.
        ref_pids (array-like, optional): (N, ) identities of the references;
            used as the gallery (with ``ref_feats``) when ``gallery_feats``
            is not given. Defaults to None.
        gallery_feats (Tensor | np.ndarray, optional): G x D features of a
            gallery of real images. Defaults to None (the references).
        gallery_pids (array-like, optional): (G, ) their identities.
            Defaults to None.
        topk (Sequence[int]): CMC ranks reported. Defaults to (1, ).

    Returns:
        dict: ``cos`` (mean cosine similarity, in [-1, 1]) for
        ``metric='cosine'`` or ``dist`` (mean Euclidean distance) for
        ``'euclidean'``; with the retrieval measure also ``rank{k}`` and
        ``mAP`` (fractions in [0, 1]) and ``num_skipped_queries``
        (generated images whose identity is not in the gallery).

    Examples:
        >>> import torch
        >>> ref = torch.tensor([[1., 0.], [0., 1.], [1., 1.]])
        >>> gen = torch.tensor([[2., 0.], [1., 1.], [1., 1.]])
        >>> res = identity_preservation(gen, ref)
        >>> round(res['cos'], 4)  # (1 + 0.7071 + 1) / 3
        0.9024
        >>> res = identity_preservation(gen, ref, gen_pids=[1, 2, 3],
        ...                             ref_pids=[1, 2, 3])
        >>> round(res['rank1'], 4)  # gen 1 is closest to pid 3's reference
        0.6667
    """
    if metric not in IDENTITY_METRICS:
        raise ValueError(f'identity_preservation: unknown metric {metric!r};'
                         f' expected one of {IDENTITY_METRICS}')
    gen = _features(gen_feats, 'gen_feats')
    ref = _features(ref_feats, 'ref_feats')
    if gen.shape != ref.shape:
        raise ValueError('identity_preservation: gen_feats and ref_feats '
                         'must have the same shape (one reference per '
                         f'generated image), got {tuple(gen.shape)} and '
                         f'{tuple(ref.shape)}')
    if gen.shape[0] == 0:
        raise ValueError('identity_preservation: no features')
    if metric == 'cosine':
        result = dict(
            cos=float(F.cosine_similarity(gen, ref, dim=1).double().mean()))
    else:
        result = dict(dist=float((gen - ref).double().norm(dim=1).mean()))

    if gen_pids is None:
        if any(v is not None for v in (ref_pids, gallery_feats, gallery_pids)):
            raise ValueError('identity_preservation: gen_pids are needed for '
                             'the retrieval measure (ref_pids / gallery '
                             'given without them)')
        return result
    if gallery_feats is None:
        if ref_pids is None:
            raise ValueError('identity_preservation: gen_pids need a gallery'
                             ': give ref_pids (the references are the '
                             'gallery) or gallery_feats and gallery_pids')
        if gallery_pids is not None:
            raise ValueError('identity_preservation: gallery_pids given '
                             'without gallery_feats')
        gallery, g_pids = ref, ref_pids
    else:
        if gallery_pids is None:
            raise ValueError('identity_preservation: gallery_feats given '
                             'without gallery_pids')
        gallery, g_pids = _features(gallery_feats, 'gallery_feats'), \
            gallery_pids
        if gallery.shape[1] != gen.shape[1]:
            raise ValueError('identity_preservation: gallery_feats have '
                             f'{gallery.shape[1]} dimensions, the generated '
                             f'features {gen.shape[1]}')
    q_pids = torch.as_tensor(np.asarray(gen_pids)).reshape(-1)
    g_pids = torch.as_tensor(np.asarray(g_pids)).reshape(-1)
    if q_pids.numel() != gen.shape[0]:
        raise ValueError(f'identity_preservation: {q_pids.numel()} gen_pids '
                         f'for {gen.shape[0]} generated images')
    if g_pids.numel() != gallery.shape[0]:
        raise ValueError(f'identity_preservation: {g_pids.numel()} gallery '
                         f'pids for {gallery.shape[0]} gallery images')
    res = evaluate_features(
        gen,
        gallery,
        q_pids,
        g_pids,
        metric=metric,
        protocol='no_camera',
        topk=tuple(topk))
    for k in topk:
        result[f'rank{k}'] = res[f'rank{k}']
    result['mAP'] = res['mAP']
    result['num_skipped_queries'] = res['num_skipped_queries']
    return result
