# Copyright (c) mmreid contributors. All rights reserved.
import random

import numpy as np
import pytest
import torch

from mmreid.evaluation import ReIDMetric
from mmreid.evaluation.functional import (compute_distance, evaluate_distmat,
                                          k_reciprocal_rerank)
from mmreid.registry import METRICS
from mmreid.structures import ReIDDataSample
from tests.test_evaluation.reference import naive_eval


def make_samples(num_query=10, num_gallery=40, dim=6, seed=0):
    """Query samples then gallery samples, as ReIDDataSample.to_dict()."""
    gen = torch.Generator().manual_seed(seed)
    pids = torch.randint(0, 6, (num_query + num_gallery, ), generator=gen)
    pids[num_query:num_query + 3] = 0  # distractors
    cams = torch.randint(0, 3, (num_query + num_gallery, ), generator=gen)
    centres = torch.randn(6, dim, generator=gen)
    feats = centres[pids] + torch.randn(
        num_query + num_gallery, dim, generator=gen)
    samples = []
    for i in range(num_query + num_gallery):
        sample = ReIDDataSample(
            metainfo=dict(
                pid=int(pids[i]),
                camid=int(cams[i]),
                split='query' if i < num_query else 'gallery',
                sample_idx=i,
                img_path=f'{i}.jpg'))
        sample.set_pred_feature(feats[i])
        samples.append(sample.to_dict())
    return samples, feats, pids, cams


def run(metric, samples, batch_size=7):
    for s in range(0, len(samples), batch_size):
        metric.process(None, samples[s:s + batch_size])
    return metric.evaluate(len(samples))


def test_keys_and_values_against_naive():
    samples, feats, pids, cams = make_samples()
    metric = METRICS.build(dict(type='ReIDMetric'))
    res = run(metric, samples)
    assert set(res) == {
        'reid/mAP', 'reid/rank1', 'reid/rank5', 'reid/rank10', 'reid/mINP',
        'reid/num_skipped_queries'
    }
    dist = torch.cdist(feats[:10].double(), feats[10:].double()).numpy()
    cmc, m_ap, m_inp, num_valid, _ = naive_eval(dist, pids[:10], pids[10:],
                                                cams[:10], cams[10:], 'market',
                                                'finite_sum', 10)
    assert res['reid/mAP'] == pytest.approx(100 * m_ap, abs=1e-9)
    assert res['reid/mINP'] == pytest.approx(100 * m_inp, abs=1e-9)
    assert res['reid/rank1'] == pytest.approx(100 * cmc[0])
    assert res['reid/rank5'] == pytest.approx(100 * cmc[4])
    assert res['reid/num_skipped_queries'] == 10 - num_valid
    # the results list is cleared after evaluate
    assert metric.results == []


def test_options_reach_the_functions():
    samples, feats, pids, cams = make_samples(seed=1)
    cfg = dict(
        type='ReIDMetric',
        metric='cosine',
        protocol='cuhk03_single_shot',
        ap_mode='market_interpolated',
        topk=(1, 3),
        repeat=5,
        seed=2,
        chunk_size=3,
        prefix='test')
    res = run(METRICS.build(cfg), samples)
    ref = evaluate_distmat(
        compute_distance(feats[:10], feats[10:], 'cosine', chunk_size=3),
        pids[:10],
        pids[10:],
        cams[:10],
        cams[10:],
        protocol='cuhk03_single_shot',
        ap_mode='market_interpolated',
        topk=(1, 3),
        repeat=5,
        seed=2,
        chunk_size=3)
    assert set(res) == {
        'test/mAP', 'test/rank1', 'test/rank3', 'test/mINP',
        'test/num_skipped_queries'
    }
    assert res['test/mAP'] == pytest.approx(100 * ref['mAP'], abs=1e-9)
    assert res['test/rank3'] == pytest.approx(100 * ref['rank3'], abs=1e-9)


def test_rerank_and_aqe_options():
    samples, feats, pids, cams = make_samples(seed=2)
    res = run(ReIDMetric(rerank=dict(k1=6, k2=3), chunk_size=4), samples)
    dist = k_reciprocal_rerank(
        feats[:10], feats[10:], k1=6, k2=3, chunk_size=4)
    ref = evaluate_distmat(dist, pids[:10], pids[10:], cams[:10], cams[10:])
    assert res['reid/mAP'] == pytest.approx(100 * ref['mAP'], abs=1e-9)
    res_aqe = run(ReIDMetric(aqe=dict(k=2, alpha=0)), samples)
    assert res_aqe['reid/mAP'] != res['reid/mAP']


def test_batch_order_and_ranks_do_not_matter():
    # DDP: each rank processes part of the data and BaseMetric gathers the
    # results in an order that depends on the sampler; compute_metrics
    # sorts by sample_idx, so the result is identical.
    samples, *_ = make_samples(seed=3)
    ref = run(ReIDMetric(), samples)
    shuffled = list(samples)
    random.Random(0).shuffle(shuffled)
    assert run(ReIDMetric(), shuffled, batch_size=3) == ref
    rank0, rank1 = ReIDMetric(), ReIDMetric()
    rank0.process(None, samples[1::2])
    rank1.process(None, samples[0::2])
    gathered = rank0.results + rank1.results
    metrics = {
        f'reid/{k}': v
        for k, v in ReIDMetric().compute_metrics(gathered).items()
    }
    assert metrics == ref


def test_fp16_features():
    samples, *_ = make_samples(seed=4)
    metric = ReIDMetric(fp16_features=True)
    metric.process(None, samples)
    assert metric.results[0]['feat'].dtype == torch.float16
    res = metric.evaluate(len(samples))
    ref = run(ReIDMetric(), samples)
    assert res['reid/rank1'] == pytest.approx(ref['reid/rank1'], abs=20)


def test_pairwise_model_with_precomputed_matrix():
    # A pairwise model's "features" can be anything; here the item index,
    # and the distance function looks the precomputed matrix up.
    samples, feats, pids, cams = make_samples(seed=5)
    gen = torch.Generator().manual_seed(0)
    full = torch.rand(len(samples), len(samples), generator=gen)
    full = (full + full.t()) / 2
    for i, sample in enumerate(samples):
        sample['pred_feature'] = torch.tensor([float(i)])

    def lookup(q, g):
        return full[q[:, 0].long()][:, g[:, 0].long()]

    metric = ReIDMetric(metric='model', protocol='market')
    assert metric.uses_distance_fn
    metric.set_distance_fn(lookup)
    res = run(metric, samples)
    dist = full[:10, 10:]
    ref = evaluate_distmat(dist, pids[:10], pids[10:], cams[:10], cams[10:])
    cmc, m_ap, *_ = naive_eval(dist.numpy(), pids[:10], pids[10:], cams[:10],
                               cams[10:], 'market', 'finite_sum', 10)
    assert res['reid/mAP'] == pytest.approx(100 * ref['mAP'], abs=1e-9)
    assert res['reid/mAP'] == pytest.approx(100 * m_ap, abs=1e-9)
    assert res['reid/rank1'] == pytest.approx(100 * cmc[0])
    # re-ranking asks the function for the q-q and g-g blocks too
    metric = ReIDMetric(metric='model', rerank=dict(k1=5, k2=2))
    metric.set_distance_fn(lookup)
    res = run(metric, samples)
    idx = torch.arange(len(samples))[:, None].float()
    rr = k_reciprocal_rerank(
        idx[:10], idx[10:], k1=5, k2=2, distance_fn=lookup)
    ref = evaluate_distmat(rr, pids[:10], pids[10:], cams[:10], cams[10:])
    assert res['reid/mAP'] == pytest.approx(100 * ref['mAP'], abs=1e-9)


def test_no_camera_protocol_without_camid():
    samples, feats, pids, _ = make_samples(seed=6)
    for sample in samples:
        del sample['camid']
    res = run(ReIDMetric(protocol='no_camera'), samples)
    ref = evaluate_distmat(
        torch.cdist(feats[:10], feats[10:]),
        pids[:10],
        pids[10:],
        protocol='no_camera')
    assert res['reid/mAP'] == pytest.approx(100 * ref['mAP'], abs=1e-4)
    with pytest.raises(KeyError, match="needs 'camid'"):
        ReIDMetric().process(None, samples[:1])


def test_errors():
    samples, *_ = make_samples(seed=7)
    metric = ReIDMetric()
    metric.process(None, samples[10:])
    with pytest.raises(ValueError, match='no query samples'):
        metric.evaluate(40)
    metric = ReIDMetric()
    metric.process(None, samples[:10])
    with pytest.raises(ValueError, match='no gallery samples'):
        metric.evaluate(10)
    bad = dict(samples[0])
    del bad['pred_feature']
    with pytest.raises(KeyError, match='no pred_feature'):
        ReIDMetric().process(None, [bad])
    bad = dict(samples[0], split='train')
    with pytest.raises(ValueError, match='split must be'):
        ReIDMetric().process(None, [bad])
    metric = ReIDMetric(metric='model')
    metric.process(None, samples)
    with pytest.raises(RuntimeError, match='ReIDRunner'):
        metric.evaluate(len(samples))
    with pytest.raises(ValueError, match='unknown metric'):
        ReIDMetric(metric='hamming')
    with pytest.raises(ValueError, match='Unknown protocol'):
        ReIDMetric(protocol='viper')
    with pytest.raises(ValueError, match='Unknown ap_mode'):
        ReIDMetric(ap_mode='11point')
    with pytest.raises(KeyError, match='unknown aqe option'):
        ReIDMetric(aqe=dict(K=3))
    with pytest.raises(ValueError, match='cannot be used with'):
        ReIDMetric(metric='model', aqe=dict())
    assert not np.isnan(run(ReIDMetric(), samples)['reid/mAP'])
