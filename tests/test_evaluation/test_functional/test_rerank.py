# Copyright (c) mmreid contributors. All rights reserved.
import numpy as np
import pytest
import torch

from mmreid.evaluation.functional import (compute_distance, evaluate_distmat,
                                          evaluate_features,
                                          iter_k_reciprocal_rerank,
                                          k_reciprocal_rerank)
from tests.test_evaluation.reference import dense_rerank


def clustered(num_query=12, num_gallery=60, dim=8, seed=0):
    gen = torch.Generator().manual_seed(seed)
    pids = torch.randint(0, 8, (num_query + num_gallery, ), generator=gen)
    centres = torch.randn(8, dim, generator=gen)
    feats = centres[pids] + 0.7 * torch.randn(
        num_query + num_gallery, dim, generator=gen)
    return feats[:num_query], feats[num_query:], pids


def full_matrix(query, gallery, chunk_size, metric='euclidean'):
    """[[d_qq, d_qg], [d_qg^T, d_gg]] as the published code builds it.

    The blocks are computed in the same row blocks as the chunked
    implementation, so both start from bitwise-identical distances.
    """
    q_q = compute_distance(query, query, metric, chunk_size=chunk_size)
    q_g = compute_distance(query, gallery, metric, chunk_size=chunk_size)
    g_g = compute_distance(gallery, gallery, metric, chunk_size=chunk_size)
    return torch.cat([torch.cat([q_q, q_g], 1), torch.cat([q_g.t(), g_g], 1)])


def reference(query, gallery, chunk_size, metric='euclidean', **kwargs):
    full = full_matrix(query, gallery, chunk_size, metric)
    return dense_rerank(full.numpy(), len(query), **kwargs)


@pytest.mark.parametrize('k1,k2,lambda_value', [(20, 6, 0.3), (6, 3, 0.5),
                                                (4, 1, 0.0), (1, 2, 1.0),
                                                (9, 10, 0.3)])
def test_matches_dense_reference(k1, k2, lambda_value):
    query, gallery, _ = clustered()
    ours = k_reciprocal_rerank(
        query, gallery, k1=k1, k2=k2, lambda_value=lambda_value, chunk_size=16)
    ref = reference(
        query, gallery, 16, k1=k1, k2=k2, lambda_value=lambda_value)
    assert ours.shape == (12, 60)
    assert np.abs(ours.numpy() - ref).max() <= 1e-6


def test_cosine_and_recomputed_pairs():
    query, gallery, _ = clustered(seed=1)
    ref = reference(query, gallery, 8, metric='cosine')
    # num_candidates=k1 + 1 keeps no spare distances: most V weights are
    # then recomputed pair by pair.
    for num_candidates in (None, 21):
        ours = k_reciprocal_rerank(
            query,
            gallery,
            metric='cosine',
            chunk_size=8,
            num_candidates=num_candidates)
        assert np.abs(ours.numpy() - ref).max() <= 1e-5


def test_duplicate_features_ties():
    query, gallery, _ = clustered(seed=2)
    gallery[1::3] = gallery[0::3][:len(gallery[1::3])]  # exact duplicates
    gallery[2::3] = gallery[0::3][:len(gallery[2::3])]
    query[1] = gallery[5]
    ref = reference(query, gallery, 5, k1=7, k2=3)
    # num_candidates=k1 + 1: many rows are tied at the last candidate and
    # are recomputed in full
    for num_candidates in (None, 8):
        ours = k_reciprocal_rerank(
            query,
            gallery,
            k1=7,
            k2=3,
            chunk_size=5,
            num_candidates=num_candidates)
        assert np.abs(ours.numpy() - ref).max() <= 1e-6


def test_distance_fn_and_precomputed_matrix():
    query, gallery, _ = clustered(seed=3)
    # an asymmetric distance: the published code uses d_gq = d_qg^T
    gen = torch.Generator().manual_seed(0)
    full = full_matrix(query, gallery, 7) + 0.01 * torch.rand(
        72, 72, generator=gen)
    calls = set()

    def lookup(rows, cols):  # "features" are item indices
        calls.add((bool(rows.max() < 12), int(cols.min()), len(cols)))
        return full[rows.long()][:, cols.long()]

    idx = torch.arange(72)
    ours = k_reciprocal_rerank(
        idx[:12],
        idx[12:],
        distance_fn=lookup,
        chunk_size=7,
        num_candidates=21)
    dense = full.clone()
    dense[12:, :12] = full[:12, 12:].t()
    ref = dense_rerank(dense.numpy(), 12)
    assert np.abs(ours.numpy() - ref).max() <= 1e-6
    # the query-query, query-gallery and gallery-gallery blocks, and
    # query x (some gallery items) for weights missing from the candidates
    blocks = {(True, 0, 12), (True, 12, 60), (False, 12, 60)}
    assert blocks <= calls
    assert all(q and first >= 12 for q, first, _ in calls - blocks)
    # the rare full-row recomputation uses the same blocks
    ours = k_reciprocal_rerank(
        idx[:12],
        idx[12:],
        distance_fn=lookup,
        chunk_size=7,
        num_candidates=8,
        k1=7)
    ref = dense_rerank(dense.numpy(), 12, k1=7)
    assert np.abs(ours.numpy() - ref).max() <= 1e-6


def test_blocks_and_evaluation():
    query, gallery, pids = clustered(seed=4)
    blocks = list(iter_k_reciprocal_rerank(query, gallery, chunk_size=5))
    assert [s for s, _ in blocks] == [0, 5, 10]
    dense = k_reciprocal_rerank(query, gallery, chunk_size=5)
    assert torch.equal(torch.cat([b for _, b in blocks]), dense)
    # d_qg^2 kept from pass 1 or computed again: bitwise the same
    streamed = k_reciprocal_rerank(
        query, gallery, chunk_size=5, keep_qg_bytes=0)
    assert torch.equal(streamed, dense)
    q_pids, g_pids = pids[:12], pids[12:]
    res = evaluate_features(
        query,
        gallery,
        q_pids,
        g_pids,
        protocol='no_camera',
        rerank=dict(k1=20),
        chunk_size=5)
    ref = evaluate_distmat(dense, q_pids, g_pids, protocol='no_camera')
    assert res['mAP'] == pytest.approx(ref['mAP'], abs=1e-12)
    assert res['rank1'] == ref['rank1']


def test_errors():
    query, gallery, _ = clustered()
    with pytest.raises(ValueError, match='k2 must be <= k1 \\+ 1'):
        k_reciprocal_rerank(query, gallery, k1=3, k2=5)
    with pytest.raises(ValueError, match='lambda_value'):
        k_reciprocal_rerank(query, gallery, lambda_value=2)
    bad = query.clone()
    bad[0, 0] = float('nan')
    with pytest.raises(ValueError, match='NaN'):
        k_reciprocal_rerank(bad, gallery)
    with pytest.raises(KeyError, match='unknown rerank option'):
        evaluate_features(
            query,
            gallery, [0] * 12, [0] * 60,
            protocol='no_camera',
            rerank=dict(k3=1))
