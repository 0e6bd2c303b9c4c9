# Copyright (c) mmreid contributors. All rights reserved.
import numpy as np
import pytest
import torch

from mmreid.evaluation.functional import (evaluate_distance_chunks,
                                          evaluate_distmat)
from tests.test_evaluation.reference import naive_eval


def random_case(seed, ties):
    gen = torch.Generator().manual_seed(seed)
    nq = int(torch.randint(1, 30, (), generator=gen))
    ng = int(torch.randint(1, 120, (), generator=gen))
    nid = int(torch.randint(1, 12, (), generator=gen))
    q_pids = torch.randint(-1, nid, (nq, ), generator=gen)
    g_pids = torch.randint(-1, nid, (ng, ), generator=gen)
    q_cams = torch.randint(0, 3, (nq, ), generator=gen)
    g_cams = torch.randint(0, 3, (ng, ), generator=gen)
    if ties:  # many exact ties, incl. -0.0 / +0.0 and infinities
        dist = torch.randint(-2, 3, (nq, ng), generator=gen).float()
        dist[0, :3] = -0.0
        dist[-1, -4:] = float('inf')
        dist[0, -2:] = -float('inf')
    else:
        dist = torch.rand(nq, ng, generator=gen) * 2 - 0.5
    return dist, q_pids, g_pids, q_cams, g_cams


@pytest.mark.parametrize('protocol', ['market', 'no_camera'])
@pytest.mark.parametrize('ap_mode', ['finite_sum', 'market_interpolated'])
@pytest.mark.parametrize('dtype', [torch.float32, torch.float64])
def test_matches_naive_reference(protocol, ap_mode, dtype):
    checked = 0
    for seed in range(40):
        dist, q_pids, g_pids, q_cams, g_cams = random_case(seed, seed % 2)
        cmc, m_ap, m_inp, num_valid, per_query = naive_eval(
            dist.numpy(), q_pids.numpy(), g_pids.numpy(), q_cams.numpy(),
            g_cams.numpy(), protocol, ap_mode, 10)
        kwargs = dict(
            protocol=protocol,
            ap_mode=ap_mode,
            topk=(1, 5, 10),
            chunk_size=1 + seed % 7,
            return_per_query=True)
        if num_valid == 0:
            with pytest.raises(ValueError, match='no query has a valid'):
                evaluate_distmat(
                    dist.to(dtype), q_pids, g_pids, q_cams, g_cams, **kwargs)
            continue
        res = evaluate_distmat(
            dist.to(dtype), q_pids, g_pids, q_cams, g_cams, **kwargs)
        assert np.abs(res['cmc'].numpy() - cmc).max() < 1e-12
        assert res['rank1'] == pytest.approx(cmc[0], abs=1e-12)
        assert res['rank10'] == pytest.approx(cmc[9], abs=1e-12)
        assert res['mAP'] == pytest.approx(m_ap, abs=1e-12)
        assert res['mINP'] == pytest.approx(m_inp, abs=1e-12)
        assert res['num_valid_queries'] == num_valid
        assert res['num_skipped_queries'] == len(q_pids) - num_valid
        ap = res['per_query']['ap']
        for i, ref in enumerate(per_query):
            if ref is None:
                assert res['per_query']['first_rank'][i] == -1
            else:
                assert float(ap[i]) == pytest.approx(ref, abs=1e-12)
        checked += 1
    assert checked > 20


def hand_case():
    """Two queries; see test_two_ap_modes_by_hand for the arithmetic."""
    # gallery:  0      1      2      3      4      5      6      7
    g_pids = [2, 1, 1, 0, -1, 1, 3, 1]
    g_cams = [1, 1, 0, 1, 2, 2, 1, 1]
    row = [0.1, 0.2, 0.05, 0.3, 0.15, 0.4, 0.5, 0.45]
    dist = torch.tensor([row, row])
    return dist, [1, 2], g_pids, [0, 0], g_cams


def test_two_ap_modes_by_hand():
    # Query 0 (pid 1, cam 0). Gallery 2 (pid 1, cam 0) is removed, gallery 4
    # is junk. Valid list by distance: g0 (0.1, neg), g1 (0.2, MATCH),
    # g3 (0.3, distractor pid 0 = neg), g5 (0.4, MATCH), g7 (0.45, MATCH),
    # g6 (0.5, neg). Match ranks (0-based) 1, 3, 4; m = 3.
    # Precisions at the matches: 1/2, 2/4, 3/5.
    #   finite_sum  AP = (1/2 + 1/2 + 3/5) / 3 = 8/15
    #   interpolated: previous precisions 0/1, 1/3, 2/4:
    #   AP = ((0 + 1/2) / 2 + (1/3 + 1/2) / 2 + (1/2 + 3/5) / 2) / 3
    #      = (15/60 + 25/60 + 33/60) / 3 = 73/180
    #   INP = 3 / 5.  First match at rank 1: rank1 = 0, rank2 = 1.
    # Query 1 (pid 2, cam 0): g2 (pid 1, 0.05) is a negative for it and
    # precedes its only match g0: rank 1, AP = INP = 1/2; interpolated
    # AP = (0/1 + 1/2) / 2 = 1/4.
    dist, q_pids, g_pids, q_cams, g_cams = hand_case()
    fs = evaluate_distmat(
        dist,
        q_pids,
        g_pids,
        q_cams,
        g_cams,
        topk=(1, 2),
        return_per_query=True)
    assert fs['per_query']['ap'].tolist() == pytest.approx([8 / 15, 1 / 2])
    assert fs['mAP'] == pytest.approx((8 / 15 + 1 / 2) / 2)
    assert fs['mINP'] == pytest.approx((3 / 5 + 1 / 2) / 2)
    assert fs['rank1'] == 0.0 and fs['rank2'] == 1.0
    it = evaluate_distmat(
        dist,
        q_pids,
        g_pids,
        q_cams,
        g_cams,
        ap_mode='market_interpolated',
        return_per_query=True)
    assert it['per_query']['ap'].tolist() == pytest.approx([73 / 180, 1 / 4])
    assert it['mAP'] == pytest.approx((73 / 180 + 1 / 4) / 2)
    # Without cameras g2 (0.05) becomes the first match of query 0:
    # ranks 0, 2, 4, 5 of [g2, g0, g1, g3, g5, g7, g6].
    nc = evaluate_distmat(
        dist, q_pids, g_pids, protocol='no_camera', return_per_query=True)
    assert nc['per_query']['ap'][0] == pytest.approx(
        (1 / 1 + 2 / 3 + 3 / 5 + 4 / 6) / 4)


def test_ties_follow_gallery_index():
    # All at the same distance: the stable order is the gallery order.
    dist = torch.zeros(1, 4)
    res = evaluate_distmat(
        dist, [5], [1, 5, 2, 5], [0], [1, 1, 1, 1], return_per_query=True)
    assert res['per_query']['first_rank'].tolist() == [1]
    assert res['mAP'] == pytest.approx((1 / 2 + 2 / 4) / 2)


def test_skipped_queries_are_counted():
    dist = torch.rand(3, 4)
    # query 1 only matches an image of its own camera, query 2 is junk
    res = evaluate_distmat(dist, [1, 2, -1], [1, 2, 3, -1], [0, 0, 0],
                           [1, 0, 1, 1])
    assert res['num_valid_queries'] == 1
    assert res['num_skipped_queries'] == 2


def single_shot_case():
    # Query 0: pid 1, camera 0.
    #   g0 pid 1 cam 0 (removed)  g1, g2 pid 2 (0.1, 0.2)
    #   g3 pid 1 (0.3)  g4, g5 pid 3 (0.4, 0.9)  g6 pid 1 (0.6)  g7 pid 4
    # Query 1: pid 5, camera 0. Its images g8, g9 (0.25, 0.35) lie after
    #   every image of pid 2 and before every other one: rank 1 always.
    g_pids = [1, 2, 2, 1, 3, 3, 1, 4, 5, 5]
    g_cams = [0, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    dist = torch.tensor([[0.0, 0.1, 0.2, 0.3, 0.4, 0.9, 0.6, 0.7, 2.0, 2.0],
                         [3.0, 0.1, 0.2, 0.5, 0.4, 0.9, 0.6, 0.7, 0.25, 0.35]])
    return dist, [1, 5], g_pids, [0, 0], g_cams


def test_cuhk03_single_shot_by_hand():
    # Query 0, one draw per identity among the valid images:
    #   match g3 (0.3): only pid 2 precedes            -> rank 1 (0-based)
    #   match g6 (0.6): pid 2 and, if g4 is drawn, pid 3 -> rank 2 w.p. 1/2
    #   P(rank 1) = 1/2 + 1/4 = 3/4, P(rank 2) = 1/4: expected CMC
    #   = (0, 3/4, 1) at ranks 1, 2, 3.
    # Query 1: pid 2 always precedes, everything else follows: CMC (0, 1, 1).
    dist, q_pids, g_pids, q_cams, g_cams = single_shot_case()
    res = evaluate_distmat(
        dist[1:],
        q_pids[1:],
        g_pids,
        q_cams[1:],
        g_cams,
        protocol='cuhk03_single_shot',
        topk=(1, 2, 3),
        repeat=3,
        seed=7)
    assert res['cmc'].tolist() == [0.0, 1.0, 1.0]
    res = evaluate_distmat(
        dist,
        q_pids,
        g_pids,
        q_cams,
        g_cams,
        protocol='cuhk03_single_shot',
        topk=(1, 2, 3),
        repeat=4000,
        seed=0)
    assert res['rank1'] == 0.0 and res['rank3'] == 1.0
    # (3/4 + 1) / 2 = 0.875; 4000 draws: std of the mean ~0.0034
    assert res['rank2'] == pytest.approx(0.875, abs=0.015)
    # mAP uses the full market list, as torchreid / fast-reid do
    market = evaluate_distmat(dist, q_pids, g_pids, q_cams, g_cams)
    assert res['mAP'] == market['mAP']
    assert res['mINP'] == market['mINP']


def test_cuhk03_single_shot_documented_draw():
    # Re-implement the documented draw: keys from
    # default_rng([seed, repeat, query_row]); per identity, the valid image
    # with the largest key.
    dist, q_pids, g_pids, q_cams, g_cams = single_shot_case()
    seed, repeat = 3, 5
    expected = np.zeros(3)
    for i in range(2):
        for r in range(repeat):
            keys = np.random.default_rng([seed, r, i]).random(len(g_pids))
            best = {}
            for j, (pid, cam) in enumerate(zip(g_pids, g_cams)):
                if pid == q_pids[i] and cam == q_cams[i]:
                    continue
                if pid not in best or keys[j] > keys[best[pid]]:
                    best[pid] = j
            chosen = sorted(best.values(), key=lambda j: (dist[i, j], j))
            rank = [g_pids[j] for j in chosen].index(q_pids[i])
            expected[rank:] += 1 / repeat / 2
    for chunk_size in (1, 2):
        res = evaluate_distmat(
            dist,
            q_pids,
            g_pids,
            q_cams,
            g_cams,
            protocol='cuhk03_single_shot',
            topk=(1, 2, 3),
            repeat=repeat,
            seed=seed,
            chunk_size=chunk_size)
        assert res['cmc'].numpy() == pytest.approx(expected, abs=1e-12)


def test_chunk_iterator_any_order():
    dist, q_pids, g_pids, q_cams, g_cams = random_case(3, False)
    ref = evaluate_distmat(dist, q_pids, g_pids, q_cams, g_cams)
    blocks = [(s, dist[s:s + 2]) for s in range(0, len(dist), 2)][::-1]
    res = evaluate_distance_chunks(blocks, q_pids, g_pids, q_cams, g_cams)
    assert res['mAP'] == ref['mAP'] and res['rank1'] == ref['rank1']


def test_errors():
    dist, q_pids, g_pids, q_cams, g_cams = hand_case()
    with pytest.raises(ValueError, match='Unknown protocol'):
        evaluate_distmat(dist, q_pids, g_pids, q_cams, g_cams, protocol='duke')
    with pytest.raises(ValueError, match='Unknown ap_mode'):
        evaluate_distmat(dist, q_pids, g_pids, q_cams, g_cams, ap_mode='voc')
    with pytest.raises(ValueError, match='needs q_camids'):
        evaluate_distmat(dist, q_pids, g_pids)
    with pytest.raises(ValueError, match='topk'):
        evaluate_distmat(dist, q_pids, g_pids, q_cams, g_cams, topk=(0, ))
    bad = dist.clone()
    bad[1, 3] = float('nan')
    with pytest.raises(ValueError, match='NaN'):
        evaluate_distmat(bad, q_pids, g_pids, q_cams, g_cams)
    with pytest.raises(ValueError, match='expected \\(rows, 8\\)'):
        evaluate_distmat(dist[:, :5], q_pids, g_pids, q_cams, g_cams)
    with pytest.raises(ValueError, match='covered 1 of 2'):
        evaluate_distance_chunks([(0, dist[:1])], q_pids, g_pids, q_cams,
                                 g_cams)
    with pytest.raises(ValueError, match='repeated'):
        evaluate_distance_chunks([(0, dist), (1, dist[1:])], q_pids, g_pids,
                                 q_cams, g_cams)
