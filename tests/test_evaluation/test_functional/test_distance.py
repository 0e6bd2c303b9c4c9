# Copyright (c) mmreid contributors. All rights reserved.
import pytest
import torch

from mmreid.evaluation.functional import (compute_distance,
                                          iter_distance_chunks,
                                          pairwise_distance, smallest_k)


def test_euclidean_and_cosine_values():
    torch.manual_seed(0)
    x, y = torch.randn(7, 5), torch.randn(11, 5)
    ref = torch.cdist(x.double(), y.double())
    assert torch.allclose(pairwise_distance(x, y).double(), ref, atol=1e-5)
    assert torch.allclose(
        pairwise_distance(x, y, 'sqeuclidean').double(), ref**2, atol=1e-4)
    cos = (x / x.norm(dim=1, keepdim=True)) @ (
        y / y.norm(dim=1, keepdim=True)).t()
    assert torch.allclose(
        pairwise_distance(x, y, 'cosine'), 1 - cos, atol=1e-6)
    # fp16 storage is computed in float32
    assert pairwise_distance(x.half(), y.half()).dtype == torch.float32


def test_chunks_cover_the_matrix():
    torch.manual_seed(0)
    q, g = torch.randn(10, 4), torch.randn(6, 4)
    starts = [s for s, _ in iter_distance_chunks(q, g, chunk_size=3)]
    assert starts == [0, 3, 6, 9]
    full = compute_distance(q, g, 'cosine', chunk_size=3)
    assert torch.allclose(full, pairwise_distance(q, g, 'cosine'), atol=1e-6)
    # a user distance function is called per block of queries
    calls = []

    def fn(a, b):
        calls.append(a.shape[0])
        return torch.cdist(a, b)

    full = compute_distance(q, g, chunk_size=4, distance_fn=fn)
    assert calls == [4, 4, 2]
    assert torch.allclose(full, torch.cdist(q, g))


def test_errors():
    x = torch.randn(3, 2)
    with pytest.raises(ValueError, match='Unknown distance metric'):
        pairwise_distance(x, x, 'manhattan')
    with pytest.raises(ValueError, match='expected \\(2, 3\\)'):
        compute_distance(x[:2], x, distance_fn=lambda a, b: a @ a.t())
    with pytest.raises(ValueError, match='chunk_size'):
        list(iter_distance_chunks(x, x, chunk_size=0))


def test_smallest_k_tie_rule():
    torch.manual_seed(0)
    for _ in range(200):
        n = int(torch.randint(1, 30, ()))
        dist = torch.randint(0, 4, (5, n)).float()
        k = int(torch.randint(1, n + 1, ()))
        num = int(torch.randint(k, n + 3, ()))
        vals, idx = smallest_k(dist, k, num)
        ref_vals, ref_idx = dist.sort(dim=1, stable=True)
        assert torch.equal(idx[:, :k], ref_idx[:, :k])
        assert torch.equal(vals, ref_vals[:, :vals.shape[1]])
    with pytest.raises(ValueError):
        smallest_k(dist, 0)


def test_single_threaded_restores_the_setting():
    from mmreid.evaluation.functional.threads import single_threaded
    before = torch.get_num_threads()
    with single_threaded():
        x = torch.rand(1 << 16).exp().sum()
    with single_threaded(num_elements=1):
        pass
    assert torch.get_num_threads() == before and torch.isfinite(x)
