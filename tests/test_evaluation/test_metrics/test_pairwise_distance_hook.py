# Copyright (c) mmreid contributors. All rights reserved.
from types import SimpleNamespace

import pytest
import torch
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import Dataset

from mmreid.engine.hooks import PairwiseDistanceHook
from mmreid.evaluation import ReIDMetric
from mmreid.evaluation.functional import evaluate_distmat
from mmreid.structures import ReIDDataSample


class PairModel(BaseModel):
    """A toy pairwise model: distance = scale * |a - b|_1 of the inputs."""

    def __init__(self):
        super().__init__()
        self.scale = torch.nn.Parameter(torch.tensor(2.0))
        self.calls = 0

    def forward(self, inputs, data_samples=None, mode='tensor'):
        assert mode == 'predict'
        for sample, x in zip(data_samples, inputs):
            sample.set_pred_feature(x)
        return data_samples

    def pairwise_distance(self, query, gallery):
        assert not torch.is_grad_enabled() and not self.training
        self.calls += 1
        return self.scale * torch.cdist(query, gallery, p=1)


class ToySet(Dataset):

    def __init__(self):
        gen = torch.Generator().manual_seed(0)
        self.pids = [1, 2, 3, 1, 2, 3, 1, 2, 3, 0]
        self.cams = [0, 0, 0, 1, 1, 1, 2, 2, 2, 1]
        self.split = ['query'] * 3 + ['gallery'] * 7
        self.feats = torch.tensor(self.pids).float()[:, None] + 0.3 * \
            torch.randn(10, 3, generator=gen)

    def __len__(self):
        return 10

    def __getitem__(self, i):
        sample = ReIDDataSample(
            metainfo=dict(
                pid=self.pids[i],
                camid=self.cams[i],
                split=self.split[i],
                sample_idx=i))
        return dict(inputs=self.feats[i], data_samples=sample)


def test_runner_test_with_pairwise_model(tmp_path):
    dataset = ToySet()
    model = PairModel()
    runner = Runner(
        model=model,
        work_dir=str(tmp_path),
        test_dataloader=dict(
            dataset=dataset,
            batch_size=4,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate')),
        test_cfg=dict(),
        test_evaluator=dict(type='ReIDMetric', metric='model', topk=(1, )),
        custom_hooks=[dict(type='PairwiseDistanceHook')],
        default_scope='mmreid')
    metrics = runner.test()
    assert model.calls == 1
    dist = 2 * torch.cdist(dataset.feats[:3], dataset.feats[3:], p=1)
    ref = evaluate_distmat(dist.detach(), dataset.pids[:3], dataset.pids[3:],
                           dataset.cams[:3], dataset.cams[3:])
    assert metrics['reid/mAP'] == pytest.approx(100 * ref['mAP'])
    assert metrics['reid/rank1'] == pytest.approx(100 * ref['rank1'])


def fake_runner(model, metrics):
    loop = SimpleNamespace(evaluator=SimpleNamespace(metrics=metrics))
    return SimpleNamespace(model=model, val_loop=loop, test_loop=loop)


def test_hook_injects_only_where_used():
    model = PairModel()
    pairwise, embedding = ReIDMetric(metric='model'), ReIDMetric()
    PairwiseDistanceHook().before_val_epoch(
        fake_runner(model, [pairwise, embedding]))
    assert pairwise.distance_fn is not None
    assert embedding.distance_fn is None
    model.train()
    dist = pairwise.distance_fn(torch.zeros(2, 3), torch.ones(4, 3))
    assert dist.shape == (2, 4) and torch.all(dist == 6)
    assert model.training  # eval mode only during the call
    # an embedding model with only embedding metrics is left alone
    PairwiseDistanceHook().before_test_epoch(
        fake_runner(torch.nn.Linear(2, 2), [ReIDMetric()]))


def test_hook_error_without_method():
    with pytest.raises(AttributeError, match='has no method'):
        PairwiseDistanceHook().before_test_epoch(
            fake_runner(torch.nn.Linear(2, 2), [ReIDMetric(metric='model')]))
