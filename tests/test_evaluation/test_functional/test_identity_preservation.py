# Copyright (c) mmreid contributors. All rights reserved.
import numpy as np
import pytest
import torch

from mmreid.evaluation.functional import identity_preservation


def _data(seed=0, n=12, d=6):
    rng = np.random.default_rng(seed)
    ref = rng.normal(size=(n, d))
    gen = ref + rng.normal(scale=0.9, size=(n, d))
    pids = rng.integers(1, 5, size=n)
    return gen, ref, pids


def _naive_topk(gen, gallery, q_pids, g_pids, k, metric):
    """Per query: sort the non-junk gallery, hit if a same-pid item is in
    the first k (queries without any same-pid item are left out)."""
    hits, valid = 0, 0
    for i in range(len(gen)):
        keep = [j for j in range(len(gallery)) if g_pids[j] != -1]
        if not any(g_pids[j] == q_pids[i] for j in keep):
            continue
        valid += 1
        if metric == 'cosine':
            dist = [
                1 - gen[i] @ gallery[j] /
                (np.linalg.norm(gen[i]) * np.linalg.norm(gallery[j]))
                for j in keep
            ]
        else:
            dist = [np.linalg.norm(gen[i] - gallery[j]) for j in keep]
        order = [keep[t] for t in np.argsort(dist, kind='stable')]
        hits += any(g_pids[j] == q_pids[i] for j in order[:k])
    return hits / valid, len(gen) - valid


def test_pair_similarity_by_definition():
    gen, ref, _ = _data()
    cos = np.mean([
        gen[i] @ ref[i] / (np.linalg.norm(gen[i]) * np.linalg.norm(ref[i]))
        for i in range(len(gen))
    ])
    res = identity_preservation(torch.from_numpy(gen), ref)
    assert set(res) == {'cos'}
    assert abs(res['cos'] - cos) < 1e-6
    dist = np.mean([np.linalg.norm(gen[i] - ref[i]) for i in range(len(gen))])
    res = identity_preservation(gen, ref, metric='euclidean')
    assert set(res) == {'dist'}
    assert abs(res['dist'] - dist) < 1e-5
    # identical features: cosine 1, distance 0
    assert abs(identity_preservation(ref, ref)['cos'] - 1) < 1e-6
    assert identity_preservation(ref, ref, 'euclidean')['dist'] == 0


@pytest.mark.parametrize('metric', ['cosine', 'euclidean'])
def test_retrieval_against_the_references(metric):
    gen, ref, pids = _data(1)
    res = identity_preservation(
        gen, ref, metric, gen_pids=pids, ref_pids=pids, topk=(1, 2))
    for k in (1, 2):
        expected, skipped = _naive_topk(gen, ref, pids, pids, k, metric)
        assert abs(res[f'rank{k}'] - expected) < 1e-12
    assert res['num_skipped_queries'] == 0
    assert 0 < res['mAP'] <= 1
    # perfectly preserved identities: every generated image finds its own
    # reference first
    perfect = identity_preservation(
        ref, ref, metric, gen_pids=pids, ref_pids=pids)
    assert perfect['rank1'] == 1.0


def test_retrieval_against_another_gallery():
    gen, ref, pids = _data(2)
    rng = np.random.default_rng(5)
    gallery = rng.normal(size=(20, 6))
    g_pids = rng.integers(1, 5, size=20)
    g_pids[:3] = -1  # junk: never counted
    res = identity_preservation(
        gen, ref, gen_pids=pids, gallery_feats=gallery, gallery_pids=g_pids)
    expected, skipped = _naive_topk(gen, gallery, pids, g_pids, 1, 'cosine')
    assert abs(res['rank1'] - expected) < 1e-12
    assert res['num_skipped_queries'] == skipped
    # an identity absent from the gallery is skipped and counted
    res = identity_preservation(
        gen[:2],
        ref[:2],
        gen_pids=[99, 1],
        gallery_feats=gallery[3:],
        gallery_pids=np.r_[g_pids[3:-1], 1])
    assert res['num_skipped_queries'] == 1


def test_errors():
    gen, ref, pids = _data()
    with pytest.raises(ValueError, match='unknown metric'):
        identity_preservation(gen, ref, 'manhattan')
    with pytest.raises(ValueError, match='same shape'):
        identity_preservation(gen, ref[:-1])
    with pytest.raises(ValueError, match='N x D'):
        identity_preservation(gen[0], ref[0])
    with pytest.raises(ValueError, match='need a gallery'):
        identity_preservation(gen, ref, gen_pids=pids)
    with pytest.raises(ValueError, match='gen_pids are needed'):
        identity_preservation(gen, ref, ref_pids=pids)
    with pytest.raises(ValueError, match='without gallery_pids'):
        identity_preservation(gen, ref, gen_pids=pids, gallery_feats=ref)
    with pytest.raises(ValueError, match='gen_pids'):
        identity_preservation(gen, ref, gen_pids=pids[:-1], ref_pids=pids)
    with pytest.raises(ValueError, match='dimensions'):
        identity_preservation(
            gen,
            ref,
            gen_pids=pids,
            gallery_feats=ref[:, :3],
            gallery_pids=pids)
