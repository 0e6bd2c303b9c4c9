# Copyright (c) mmreid contributors. All rights reserved.
import importlib.util

import numpy as np
import pytest
import torch

from mmreid.apis import FeatureSet, build_faiss_index, search


def reference_topk(q, g, k, metric):
    """Dense float64 distances by the textbook formulas, stable argsort."""
    q, g = q.double().numpy(), g.double().numpy()
    if metric == 'cosine':
        qn = q / np.linalg.norm(q, axis=1, keepdims=True)
        gn = g / np.linalg.norm(g, axis=1, keepdims=True)
        d = 1 - qn @ gn.T
    else:
        d = ((q[:, None, :] - g[None]) ** 2).sum(-1)
        if metric == 'euclidean':
            d = np.sqrt(d)
    order = np.argsort(d, axis=1, kind='stable')[:, :k]
    return np.take_along_axis(d, order, 1), order


@pytest.mark.parametrize('metric', ['euclidean', 'sqeuclidean', 'cosine'])
def test_exact_search_matches_dense_reference(metric):
    gen = torch.Generator().manual_seed(0)
    q, g = torch.randn(37, 16, generator=gen), torch.randn(300, 16,
                                                           generator=gen)
    res = search(q, g, topk=7, metric=metric, chunk_size=10)
    dist, idx = reference_topk(q, g, 7, metric)
    assert res.metric == metric
    assert np.array_equal(res.indices.numpy(), idx)
    assert np.allclose(res.distances.numpy(), dist, atol=1e-4)
    assert res.img_paths is None


def test_ties_by_gallery_index_and_topk_capped():
    g = torch.tensor([[1., 0.], [0., 0.], [1., 0.], [1., 0.]])
    res = search(torch.tensor([1., 0.]), g, topk=10)
    assert res.indices.tolist() == [[0, 2, 3, 1]]  # at most G items
    assert res.distances.tolist() == [[0., 0., 0., 1.]]


def test_feature_sets_give_paths_and_metric():
    gallery = FeatureSet(torch.tensor([[0., 1.], [1., 0.], [2., 0.]]),
                         ['a.jpg', 'b.jpg', 'c.jpg'],
                         metainfo=dict(metric='cosine'))
    res = search(torch.tensor([[3., 0.1]]), gallery, topk=2)
    assert res.metric == 'cosine'
    # cosine: b and c are equally close (tie -> b first)
    assert res.img_paths == [['b.jpg', 'c.jpg']]
    res = search(torch.tensor([[3., 0.1]]), gallery, topk=2,
                 metric='euclidean')
    assert res.img_paths == [['c.jpg', 'b.jpg']]


def test_errors_and_model_warning():
    g = torch.zeros(4, 3)
    with pytest.raises(ValueError, match='query features are 2-d, gallery '
                       'features 3-d'):
        search(torch.zeros(1, 2), g)
    with pytest.raises(ValueError, match='unknown backend'):
        search(torch.zeros(1, 3), g, backend='annoy')
    with pytest.raises(ValueError, match='unknown metric'):
        search(torch.zeros(1, 3), g, metric='manhattan')
    with pytest.raises(ValueError, match='topk must be >= 1'):
        search(torch.zeros(1, 3), g, topk=0)
    with pytest.raises(ValueError, match='no gallery features'):
        search(torch.zeros(1, 3), torch.zeros(0, 3))
    a = FeatureSet(torch.zeros(1, 3), metainfo=dict(checkpoint='a.pth'))
    b = FeatureSet(g, metainfo=dict(checkpoint='b.pth'))
    with pytest.warns(UserWarning, match='differ in checkpoint'):
        search(a, b)


needs_faiss = pytest.mark.skipif(
    importlib.util.find_spec('faiss') is None,
    reason='faiss is not installed (pip install faiss-cpu)')


@needs_faiss
@pytest.mark.parametrize('metric', ['euclidean', 'sqeuclidean', 'cosine'])
def test_faiss_flat_equals_exact(metric):
    gen = torch.Generator().manual_seed(1)
    q, g = torch.randn(20, 32, generator=gen), torch.randn(500, 32,
                                                           generator=gen)
    exact = search(q, g, topk=10, metric=metric)
    res = search(q, g, topk=10, metric=metric, backend='faiss')
    assert torch.equal(res.indices, exact.indices)
    assert torch.allclose(res.distances, exact.distances, atol=1e-4)


@needs_faiss
def test_faiss_ivf_and_index_reuse():
    gen = torch.Generator().manual_seed(2)
    g = torch.randn(2000, 16, generator=gen)
    q = g[:50] + 0.01 * torch.randn(50, 16, generator=gen)
    exact = search(q, g, topk=5)
    index = build_faiss_index(g, 'euclidean', 'IVF16,Flat')
    assert index.ntotal == 2000
    # visiting every list is an exhaustive search
    full = search(q, g, topk=5, backend='faiss', faiss_index=index,
                  nprobe=16)
    assert torch.equal(full.indices, exact.indices)
    # one list of 16: approximate, but each query's own item is found
    one = search(q, g, topk=5, backend='faiss', faiss_index=index, nprobe=1)
    assert torch.equal(one.indices[:, 0], torch.arange(50))
    # the index alone is enough
    alone = search(q, None, topk=5, backend='faiss', faiss_index=index,
                   nprobe=16)
    assert torch.equal(alone.indices, exact.indices)
    with pytest.raises(ValueError, match='index holds 2000 items, the '
                       'gallery 10'):
        search(q, FeatureSet(g[:10]), backend='faiss', faiss_index=index)
    with pytest.raises(ValueError, match='no gallery'):
        search(q, None)
    cos = build_faiss_index(g, 'cosine')
    with pytest.raises(ValueError, match='metric type'):
        search(q, g, metric='euclidean', backend='faiss', faiss_index=cos)
