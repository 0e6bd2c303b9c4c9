# Copyright (c) mmreid contributors. All rights reserved.
import itertools

import pytest
import torch

from mmreid.models.losses import TripletLoss, batch_distance_matrix


def naive_dist(x, squared):
    n = len(x)
    d = torch.zeros(n, n, dtype=torch.float64)
    for i in range(n):
        for j in range(n):
            d[i, j] = ((x[i] - x[j])**2).sum()
    return d if squared else d.sqrt()


def naive_batch_hard(x, labels, margin, squared=False):
    d = naive_dist(x.double(), squared)
    losses = []
    for a in range(len(x)):
        pos = [d[a, p] for p in range(len(x))
               if p != a and labels[p] == labels[a]]
        neg = [d[a, n] for n in range(len(x)) if labels[n] != labels[a]]
        if not pos or not neg:
            continue
        diff = max(pos) - min(neg)
        if margin is None:
            losses.append(torch.log1p(torch.exp(diff)))
        else:
            losses.append(max(diff + margin, torch.tensor(0.)))
    return torch.stack([torch.as_tensor(v) for v in losses]).mean()


def naive_all(x, labels, margin, squared):
    d = naive_dist(x.double(), squared)
    vals = []
    for a, p, n in itertools.product(range(len(x)), repeat=3):
        if a != p and labels[a] == labels[p] and labels[a] != labels[n]:
            vals.append(max(d[a, p] - d[a, n] + margin, 0.))
    active = [v for v in vals if v > 0]
    return sum(active) / len(active) if active else torch.tensor(0.)


@pytest.fixture
def batch():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(12, 5, generator=g)
    labels = torch.tensor([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3])
    return x, labels


def test_batch_distance_matrix(batch):
    x, _ = batch
    torch.testing.assert_close(
        batch_distance_matrix(x.double()), naive_dist(x.double(), False))
    torch.testing.assert_close(
        batch_distance_matrix(x.double(), squared=True),
        naive_dist(x.double(), True))


@pytest.mark.parametrize('margin', [0.3, 1.0, None])
def test_batch_hard_matches_naive(batch, margin):
    x, labels = batch
    got = TripletLoss(margin=margin)(x.double(), labels)
    torch.testing.assert_close(got, naive_batch_hard(x, labels, margin))


@pytest.mark.parametrize('squared', [True, False])
def test_all_triplets_matches_naive(batch, squared):
    x, labels = batch
    loss = TripletLoss(margin=0.2, mining='all', squared=squared)
    got = loss(x.double(), labels)
    torch.testing.assert_close(
        got, torch.as_tensor(naive_all(x, labels, 0.2, squared)).double())


def test_gradient_and_weight(batch):
    x, labels = batch
    x = x.clone().requires_grad_(True)
    loss = TripletLoss(margin=0.3, loss_weight=2.0)(x, labels)
    ref = naive_batch_hard(x.detach(), labels, 0.3) * 2
    torch.testing.assert_close(loss.double(), ref, rtol=1e-5, atol=1e-5)
    loss.backward()
    assert torch.isfinite(x.grad).all() and x.grad.abs().sum() > 0


def test_no_valid_triplet_gives_zero():
    x = torch.randn(3, 4, requires_grad=True)
    loss = TripletLoss()(x, torch.tensor([0, 1, 2]))  # no positives
    assert loss.item() == 0
    loss.backward()


def test_bad_arguments():
    with pytest.raises(ValueError, match='mining'):
        TripletLoss(mining='semi')
    with pytest.raises(ValueError, match='soft margin'):
        TripletLoss(margin=None, mining='all')
