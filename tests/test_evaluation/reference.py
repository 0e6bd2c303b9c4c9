# Copyright (c) mmreid contributors. All rights reserved.
"""Straightforward reference implementations for the tests.

They follow the definitions literally (one query at a time, full sorts,
dense matrices) and share no code with ``mmreid.evaluation``. Plain numpy,
no pytest: ``benchmarks/rerank_speed.py`` imports :func:`dense_rerank`
from here as its baseline.
"""
import numpy as np


def naive_eval(distmat, q_pids, g_pids, q_camids, g_camids, protocol, ap_mode,
               max_rank):
    """Per-query loop: stable sort, remove, CMC / AP / INP by definition.

    Returns:
        tuple: (cmc array of length max_rank, mAP, mINP, num_valid,
        per-query AP list with None for skipped queries).
    """
    distmat = np.asarray(distmat)
    cmcs, aps, inps, per_query = [], [], [], []
    for i in range(distmat.shape[0]):
        order = np.argsort(distmat[i], kind='stable')
        kept = []
        for j in order:
            if g_pids[j] == -1:
                continue
            if protocol != 'no_camera' and g_pids[j] == q_pids[i] \
                    and g_camids[j] == q_camids[i]:
                continue
            kept.append(j)
        hits = [int(g_pids[j] == q_pids[i]) for j in kept]
        if sum(hits) == 0:
            per_query.append(None)
            continue
        first = hits.index(1)
        cmcs.append(
            [1.0 if first < k else 0.0 for k in range(1, max_rank + 1)])
        found, prev_prec, ap = 0, 1.0, 0.0
        m = sum(hits)
        for pos, h in enumerate(hits):
            if h:
                found += 1
                prec = found / (pos + 1)
                if ap_mode == 'finite_sum':
                    ap += prec / m
                else:
                    ap += (prev_prec + prec) / 2 / m
                if found == m:
                    inps.append(m / (pos + 1))
                    break
            prev_prec = found / (pos + 1)
        aps.append(ap)
        per_query.append(ap)
    return (np.mean(cmcs, 0), float(np.mean(aps)), float(np.mean(inps)),
            len(aps), per_query)


def dense_rerank(dist_all,
                 num_query,
                 k1=20,
                 k2=6,
                 lambda_value=0.3,
                 stage=None):
    """Transcription of Zhong et al.'s dense ``re_ranking`` (one variant).

    Same variant as mmreid: squared distances, row-max normalisation,
    stable argsort. Kept as the classic code writes it (float32 copy after
    squaring, int32 ranks, dropping the gallery rows of the distances and
    the ranks as soon as they are no longer needed), so that
    ``benchmarks/rerank_speed.py`` measures the classic memory profile with
    this very function.

    Args:
        dist_all (np.ndarray | Callable[[], np.ndarray]): The
            (Q + G) x (Q + G) distance matrix (queries first), or a function
            returning it (then computing it is a stage, and the matrix is
            freed as soon as it is normalised).
        num_query (int): Q.
        k1 (int): The k of the k-reciprocal sets. Defaults to 20.
        k2 (int): Neighbours of the local query expansion (1: none).
            Defaults to 6.
        lambda_value (float): Weight of the original distance. Defaults
            to 0.3.
        stage (Callable[[str | None], None], optional): Called with the name
            of each stage as it starts, and with None after the last one
            (the benchmark times them). Defaults to None.

    Returns:
        np.ndarray: The Q x G re-ranked distances (float32, contiguous).
    """
    stage = stage or (lambda name: None)
    if callable(dist_all):
        stage('distances (q_g, q_q, g_g; concatenate)')
        dist_all = dist_all()
    stage('normalise (square, / row max)')
    original_dist = np.power(np.asarray(dist_all, dtype=np.float32),
                             2).astype(np.float32)
    del dist_all
    original_dist = original_dist / np.max(
        original_dist, axis=1, keepdims=True)
    stage('argsort of every row')
    initial_rank = np.argsort(
        original_dist, axis=1, kind='stable').astype(np.int32)
    stage('k-reciprocal sets + V')
    all_num = original_dist.shape[0]
    V = np.zeros_like(original_dist, dtype=np.float32)
    half = int(np.around(k1 / 2.))
    for i in range(all_num):
        forward = initial_rank[i, :k1 + 1]
        backward = initial_rank[forward, :k1 + 1]
        fi = np.where(backward == i)[0]
        k_recip = forward[fi]
        expansion = k_recip
        for j in range(len(k_recip)):
            cand = k_recip[j]
            c_forward = initial_rank[cand, :half + 1]
            c_backward = initial_rank[c_forward, :half + 1]
            fi_c = np.where(c_backward == cand)[0]
            c_recip = c_forward[fi_c]
            if len(np.intersect1d(c_recip, k_recip)) > 2. / 3 * len(c_recip):
                expansion = np.append(expansion, c_recip)
        expansion = np.unique(expansion)
        weight = np.exp(-original_dist[i, expansion])
        V[i, expansion] = weight / np.sum(weight)
    original_dist = original_dist[:num_query]
    stage('local query expansion')
    if k2 != 1:
        V_qe = np.zeros_like(V, dtype=np.float32)
        for i in range(all_num):
            V_qe[i, :] = np.mean(V[initial_rank[i, :k2], :], axis=0)
        V = V_qe
        del V_qe
    del initial_rank
    stage('inverted index')
    inv_index = [np.where(V[:, i] != 0)[0] for i in range(all_num)]
    stage('Jaccard + final')
    jaccard = np.zeros((num_query, all_num), dtype=np.float32)
    for i in range(num_query):
        temp_min = np.zeros(all_num, dtype=np.float32)
        nonzero = np.where(V[i, :] != 0)[0]
        for ind in nonzero:
            images = inv_index[ind]
            temp_min[images] += np.minimum(V[i, ind], V[images, ind])
        jaccard[i] = 1 - temp_min / (2. - temp_min)
    final = jaccard * (1 - lambda_value) + original_dist * lambda_value
    final = np.ascontiguousarray(final[:, num_query:])
    stage(None)
    return final
