# Copyright (c) mmreid contributors. All rights reserved.
import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.structures import BaseDataElement

from mmreid.evaluation import GenerationMetric
from mmreid.registry import METRICS
from ..test_functional.test_fid import eigh_frechet
from ..test_functional.test_ssim import naive_ssim


def _samples(seed=0, sizes=((16, 12), (16, 12), (20, 14), (16, 12)), d=5):
    """Image pairs (mixed sizes, uint8 and float) with re-ID features."""
    gen = torch.Generator().manual_seed(seed)
    samples = []
    for i, (h, w) in enumerate(sizes):
        gt = torch.randint(0, 256, (3, h, w), generator=gen)
        pred = (gt + torch.randint(-60, 61,
                                   (3, h, w), generator=gen)).clamp(0, 255)
        gt, pred = gt.to(torch.uint8), pred.float()
        if i % 2:
            gt = gt.float()
        ref_feat = torch.randn(d, generator=gen)
        samples.append(
            dict(
                pred_img=pred,
                gt_img=gt,
                pred_feature_gen=ref_feat + torch.randn(d, generator=gen),
                gt_feature=ref_feat,
                pid=i % 2))
    return samples


class _TinyNet(nn.Module):
    """A small random network: conv, ReLU, global average pool (x 100)."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.conv = nn.Conv2d(3, 6, 3)

    def forward(self, x):
        return 100 * F.relu(self.conv(x)).mean(dim=(2, 3))


def test_ssim_and_identity_by_definition():
    samples = _samples()
    metric = METRICS.build(dict(type='GenerationMetric'))
    # any batching gives the same result
    metric.process(None, samples[:3])
    metric.process(None, samples[3:])
    res = metric.evaluate(len(samples))
    assert set(res) == {'gen/ssim', 'gen/id_cos'}
    expected = np.mean(
        [naive_ssim(s['pred_img'], s['gt_img']) for s in samples])
    assert abs(res['gen/ssim'] - expected) < 1e-5
    cos = np.mean([
        float(s['pred_feature_gen'] @ s['gt_feature'] /
              (s['pred_feature_gen'].norm() * s['gt_feature'].norm()))
        for s in samples
    ])
    assert abs(res['gen/id_cos'] - cos) < 1e-6
    # perfect generation
    metric.process(
        None,
        [dict(pred_img=s['gt_img'], gt_img=s['gt_img']) for s in samples])
    assert metric.evaluate(len(samples)) == {'gen/ssim': 1.0}


def test_fid_with_a_small_random_network():
    samples = _samples(1, sizes=((16, 12), ) * 6)
    net = _TinyNet()
    metric = GenerationMetric(
        fid_extractor=dict(
            type='InceptionFeatureExtractor', network=net,
            input_size=(24, 24)),
        id_topk=(1, ),
        prefix='g')
    for i in range(0, 6, 4):
        metric.process(None, [BaseDataElement(**s) for s in samples[i:i + 4]])
    # features are kept, not images
    assert all('pred_img' not in r and r['real_feat'].shape == (6, )
               for r in metric.results)
    res = metric.evaluate(6)
    assert set(res) == {'g/ssim', 'g/fid', 'g/id_cos', 'g/id_rank1'}

    # independent computation of the FID: resize, scale, network, then
    # the Frechet distance by eigendecomposition
    def feats(key):
        x = torch.stack([s[key].float() for s in samples])
        x = F.interpolate(
            x, size=(24, 24), mode='bilinear', align_corners=False) / 127.5 - 1
        with torch.no_grad():
            return net(x).double().numpy()

    real, fake = feats('gt_img'), feats('pred_img')
    expected = eigh_frechet(
        real.mean(0), np.cov(real, rowvar=False), fake.mean(0),
        np.cov(fake, rowvar=False))
    assert expected > 0.5
    assert abs(res['g/fid'] - expected) < 1e-4 * expected

    # rank-1 of the generated images among the real ones, by pid
    gen = torch.stack([s['pred_feature_gen'] for s in samples])
    ref = torch.stack([s['gt_feature'] for s in samples])
    sim = F.normalize(gen, dim=1) @ F.normalize(ref, dim=1).t()
    pids = torch.tensor([s['pid'] for s in samples])
    hits = (pids[sim.argmax(1)] == pids).double().mean().item()
    assert abs(res['g/id_rank1'] - 100 * hits) < 1e-9


def test_ssim_options_are_passed():
    samples = _samples(2, sizes=((9, 9), (9, 9)))
    metric = GenerationMetric(ssim_cfg=dict(win_size=7, sigma=1.0))
    metric.process(
        None,
        [dict(pred_img=s['pred_img'], gt_img=s['gt_img']) for s in samples])
    expected = np.mean([
        naive_ssim(s['pred_img'], s['gt_img'], win_size=7, sigma=1.0)
        for s in samples
    ])
    assert abs(metric.evaluate(2)['gen/ssim'] - expected) < 1e-5


def test_errors():
    img = torch.zeros(3, 16, 12)
    metric = GenerationMetric()
    with pytest.raises(KeyError, match='gt_img'):
        metric.process(None, [dict(pred_img=img)])
    with pytest.raises(ValueError, match='3 x H x W'):
        metric.process(None, [dict(pred_img=img, gt_img=img[:, :-1])])
    with pytest.raises(ValueError, match='3 x H x W'):
        metric.process(None, [dict(pred_img=img[None], gt_img=img[None])])
    with pytest.raises(KeyError, match='only one of'):
        metric.process(
            None, [dict(pred_img=img, gt_img=img, gt_feature=torch.ones(2))])
    metric.process(None, [
        dict(pred_img=img, gt_img=img),
        dict(
            pred_img=img,
            gt_img=img,
            pred_feature_gen=torch.ones(2),
            gt_feature=torch.ones(2))
    ])
    with pytest.raises(ValueError, match='all or none'):
        metric.evaluate(2)
    with pytest.raises(ValueError, match='reduction'):
        GenerationMetric(ssim_cfg=dict(reduction='none'))
    with pytest.raises(TypeError, match='fid_extractor'):
        GenerationMetric(fid_extractor='inception')
    metric = GenerationMetric(
        fid_extractor=dict(
            type='InceptionFeatureExtractor',
            network=_TinyNet(),
            input_size=None))
    metric.process(None, [dict(pred_img=img, gt_img=img)])
    with pytest.raises(ValueError, match='at least 2'):
        metric.evaluate(1)
    with pytest.raises(KeyError, match='pid'):
        GenerationMetric(id_topk=(1, )).process(None, [
            dict(
                pred_img=img,
                gt_img=img,
                gt_feature=torch.ones(2),
                pred_feature_gen=torch.ones(2))
        ])
