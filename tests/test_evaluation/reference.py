# Copyright (c) mmreid contributors. All rights reserved.
"""Straightforward reference implementations used by the tests only.

They follow the definitions literally (one query at a time, full sorts,
dense matrices) and share no code with ``mmreid.evaluation``.
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


def dense_rerank(dist_all, num_query, k1=20, k2=6, lambda_value=0.3):
    """Transcription of Zhong et al.'s dense ``re_ranking`` (one variant).

    ``dist_all`` is the (Q + G) x (Q + G) distance matrix (queries first).
    Same variant as mmreid: squared distances, row-max normalisation,
    stable argsort.
    """
    original_dist = np.power(np.asarray(dist_all, dtype=np.float32), 2)
    original_dist = original_dist / np.max(
        original_dist, axis=1, keepdims=True)
    all_num = original_dist.shape[0]
    V = np.zeros_like(original_dist, dtype=np.float32)
    initial_rank = np.argsort(original_dist, axis=1, kind='stable')
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
    if k2 != 1:
        V_qe = np.zeros_like(V, dtype=np.float32)
        for i in range(all_num):
            V_qe[i, :] = np.mean(V[initial_rank[i, :k2], :], axis=0)
        V = V_qe
    inv_index = [np.where(V[:, i] != 0)[0] for i in range(all_num)]
    jaccard = np.zeros((num_query, all_num), dtype=np.float32)
    for i in range(num_query):
        temp_min = np.zeros(all_num, dtype=np.float32)
        nonzero = np.where(V[i, :] != 0)[0]
        for ind in nonzero:
            images = inv_index[ind]
            temp_min[images] += np.minimum(V[i, ind], V[images, ind])
        jaccard[i] = 1 - temp_min / (2. - temp_min)
    final = jaccard * (1 - lambda_value) + \
        original_dist[:num_query] * lambda_value
    return final[:, num_query:]
