# Copyright (c) mmreid contributors. All rights reserved.
"""The top-k gallery items of each query: exact on torch, or a faiss
index."""
import warnings
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple, Union

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from mmreid.evaluation.functional import (DISTANCE_METRICS,
                                          iter_distance_chunks, smallest_k)
from mmreid.structures import FeatureSet

#: The values of ``backend``.
SEARCH_BACKENDS = ('torch', 'faiss')

Features = Union[Tensor, np.ndarray, FeatureSet]


@dataclass
class SearchResult:
    """Ranked gallery items of each query, closest first.

    Attributes:
        distances (Tensor): Q x k float32 distances (smaller is closer).
        indices (Tensor): Q x k long gallery rows (-1 where a faiss index
            found fewer than k candidates; their distance is +inf).
        metric (str): The distance.
        img_paths (list[list[str]], optional): The gallery images of
            ``indices`` when the gallery is a :class:`FeatureSet`.
    """
    distances: Tensor
    indices: Tensor
    metric: str
    img_paths: Optional[List[List[Optional[str]]]] = None


def _as_matrix(feats: Features, name: str) -> Tensor:
    if isinstance(feats, FeatureSet):
        feats = feats.feats
    feats = torch.as_tensor(feats)
    if feats.ndim == 1:
        feats = feats[None]
    if feats.ndim != 2:
        raise ValueError(f'{name} features must be N x D (or one D-vector), '
                         f'got shape {tuple(feats.shape)}')
    if feats.shape[0] == 0:
        raise ValueError(f'no {name} features (0 rows)')
    return feats.float().cpu()


def _resolve_metric(metric: Optional[str], query: Features,
                    gallery: Features) -> str:
    """``metric``, else the one recorded by the feature sets, else
    euclidean."""
    if metric is None:
        for feats in (gallery, query):
            if isinstance(feats, FeatureSet) and \
                    feats.metainfo.get('metric') in DISTANCE_METRICS:
                return feats.metainfo['metric']
        return 'euclidean'
    if metric not in DISTANCE_METRICS:
        raise ValueError(f'unknown metric {metric!r}; expected one of '
                         f'{DISTANCE_METRICS}')
    return metric


def _check_same_model(query: Features, gallery: Features) -> None:
    if not (isinstance(query, FeatureSet) and isinstance(gallery, FeatureSet)):
        return
    for key in ('checkpoint', 'test_cfg'):
        q, g = query.metainfo.get(key), gallery.metainfo.get(key)
        if q is not None and g is not None and q != g:
            warnings.warn(f'query and gallery features differ in {key}: '
                          f'{q!r} vs {g!r}; their distances may mean '
                          'nothing')


def _import_faiss():
    try:
        import faiss
    except ImportError as e:
        raise ImportError(
            "backend='faiss' needs faiss: pip install faiss-cpu (listed in "
            'requirements/optional.txt)') from e
    return faiss


def build_faiss_index(gallery: Features,
                      metric: str = 'euclidean',
                      index: str = 'Flat',
                      nprobe: Optional[int] = None) -> Any:
    """A faiss index of gallery features for :func:`search`.

    Euclidean distances use an L2 index, cosine distances an
    inner-product index of the L2-normalised features.

    Args:
        gallery (Tensor | np.ndarray | FeatureSet): G x D features.
        metric (str): ``'euclidean'``, ``'sqeuclidean'`` or ``'cosine'``.
        index (str): A faiss index factory string: ``'Flat'`` (exact),
            ``'IVF1024,Flat'`` (inverted lists, trained on the gallery),
            ``'HNSW32'``, ... Defaults to ``'Flat'``.
        nprobe (int, optional): Inverted lists visited per query (IVF
            indexes).

    Returns:
        faiss.Index: The trained index holding the gallery.

    Examples:
        >>> idx = build_faiss_index(torch.eye(4), 'cosine')  # doctest: +SKIP
        >>> idx.ntotal  # doctest: +SKIP
        4
    """
    faiss = _import_faiss()
    metric = _resolve_metric(metric, None, None)
    x = _as_matrix(gallery, 'gallery')
    if metric == 'cosine':
        x = F.normalize(x, dim=1)
    x = np.ascontiguousarray(x.numpy(), dtype=np.float32)
    kind = faiss.METRIC_INNER_PRODUCT if metric == 'cosine' else \
        faiss.METRIC_L2
    built = faiss.index_factory(x.shape[1], index, kind)
    if not built.is_trained:
        built.train(x)
    built.add(x)
    if nprobe is not None:
        faiss.ParameterSpace().set_index_parameter(built, 'nprobe', nprobe)
    return built


def _faiss_search(query: Tensor, index: Any, metric: str,
                  k: int) -> Tuple[Tensor, Tensor]:
    faiss = _import_faiss()
    want = faiss.METRIC_INNER_PRODUCT if metric == 'cosine' else \
        faiss.METRIC_L2
    if index.metric_type != want:
        raise ValueError(f'the faiss index ranks with metric type '
                         f'{index.metric_type}, not the one of {metric!r} '
                         f'({want}); build it with build_faiss_index(..., '
                         f'metric={metric!r})')
    if metric == 'cosine':
        query = F.normalize(query, dim=1)
    dist, idx = index.search(
        np.ascontiguousarray(query.numpy(), dtype=np.float32), k)
    dist = torch.from_numpy(dist).float()
    idx = torch.from_numpy(idx).long()
    if metric == 'cosine':
        dist = 1 - dist
    elif metric == 'euclidean':
        dist = dist.clamp(min=0).sqrt()
    dist[idx < 0] = float('inf')
    return dist, idx


def search(query: Features,
           gallery: Features,
           topk: int = 10,
           metric: Optional[str] = None,
           backend: str = 'torch',
           chunk_size: int = 256,
           faiss_index: Any = 'Flat',
           nprobe: Optional[int] = None) -> SearchResult:
    """The ``topk`` closest gallery items of each query.

    ``backend='torch'`` is exact: query blocks of ``chunk_size`` rows
    against the whole gallery with the distances of
    :mod:`mmreid.evaluation.functional` (the evaluator's), ties broken by
    gallery index. ``backend='faiss'`` searches a faiss index (an extra:
    ``pip install faiss-cpu``): ``'Flat'`` is exact too (up to float
    rounding), ``'IVF...'`` / ``'HNSW...'`` approximate for galleries too
    large for a dense search; a built index (:func:`build_faiss_index`)
    can be passed to search it again without rebuilding.

    Args:
        query (Tensor | np.ndarray | FeatureSet): Q x D (or D) features.
        gallery (Tensor | np.ndarray | FeatureSet): G x D features (None
            with a built ``faiss_index``).
        topk (int): Items per query; at most G are returned. Defaults
            to 10.
        metric (str, optional): ``'euclidean'``, ``'sqeuclidean'`` or
            ``'cosine'``. Defaults to the metric the feature sets record
            (the model's test evaluator), else ``'euclidean'``.
        backend (str): ``'torch'`` or ``'faiss'``. Defaults to ``'torch'``.
        chunk_size (int): Query rows per block (torch). Defaults to 256.
        faiss_index (str | faiss.Index): A factory string or a built
            index (faiss). Defaults to ``'Flat'``.
        nprobe (int, optional): IVF lists visited per query (faiss).

    Returns:
        SearchResult: Distances and gallery indices, Q x min(topk, G).

    Examples:
        >>> g = torch.tensor([[0., 0.], [3., 4.], [1., 0.]])
        >>> r = search(torch.tensor([[0.9, 0.]]), g, topk=2)
        >>> r.indices, r.distances
        (tensor([[2, 0]]), tensor([[0.1000, 0.9000]]))
    """
    if backend not in SEARCH_BACKENDS:
        raise ValueError(f'unknown backend {backend!r}; expected one of '
                         f'{SEARCH_BACKENDS}')
    if int(topk) < 1:
        raise ValueError(f'topk must be >= 1, got {topk}')
    metric = _resolve_metric(metric, query, gallery)
    _check_same_model(query, gallery)
    q = _as_matrix(query, 'query')
    num_gallery = None if gallery is None else len(gallery)
    if backend == 'faiss' and not isinstance(faiss_index, str):
        index = faiss_index
        if num_gallery is not None and index.ntotal != num_gallery:
            raise ValueError(f'the faiss index holds {index.ntotal} items, '
                             f'the gallery {num_gallery}')
        num_gallery = index.ntotal
        dim = index.d
    else:
        if gallery is None:
            raise ValueError('no gallery: pass its features, or a built '
                             "faiss index with backend='faiss'")
        g = _as_matrix(gallery, 'gallery')
        num_gallery, dim = g.shape
    if q.shape[1] != dim:
        raise ValueError(f'query features are {q.shape[1]}-d, gallery '
                         f'features {dim}-d')
    k = min(int(topk), num_gallery)
    if backend == 'torch':
        dist = torch.empty(q.shape[0], k)
        idx = torch.empty(q.shape[0], k, dtype=torch.long)
        for start, block in iter_distance_chunks(q, g, metric, chunk_size):
            vals, cols = smallest_k(block, k)
            dist[start:start + len(block)] = vals
            idx[start:start + len(block)] = cols
    else:
        if isinstance(faiss_index, str):
            index = build_faiss_index(g, metric, faiss_index, nprobe)
        elif nprobe is not None:
            _import_faiss().ParameterSpace().set_index_parameter(
                index, 'nprobe', nprobe)
        dist, idx = _faiss_search(q, index, metric, k)
    paths = None
    if isinstance(gallery, FeatureSet):
        paths = [[gallery.img_paths[j] if j >= 0 else None for j in row]
                 for row in idx.tolist()]
    return SearchResult(dist, idx, metric, paths)
