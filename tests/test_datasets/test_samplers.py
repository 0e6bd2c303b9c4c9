# Copyright (c) mmreid contributors. All rights reserved.
import os
import socket
from collections import Counter
from itertools import groupby

import numpy as np
import pytest
import torch
import torch.distributed as torch_dist
import torch.multiprocessing as mp
from mmengine.dataset import BaseDataset
from torch.utils.data import DataLoader

from mmreid.datasets.samplers import (IdentityContiguousSampler,
                                      IdentitySampler)
from mmreid.datasets.samplers.identity_sampler import (pack_distinct,
                                                       pad_or_trim)
from mmreid.registry import DATA_SAMPLERS

# 10 identities with 1..7 images; pids are not contiguous, labels are
COUNTS = [1, 2, 3, 4, 5, 6, 7, 3, 1, 6]


class ToyDataset:
    """A minimal dataset: ``__len__``, ``get_data_info`` and labels."""

    def __init__(self, counts=COUNTS, interleave=True):
        labels = [lab for lab, n in enumerate(counts) for _ in range(n)]
        if interleave:  # images of one identity are not adjacent
            labels = sorted(labels, key=lambda lab: (labels.count(lab), lab))
            labels = labels[::2] + labels[1::2]
        self.labels = labels

    def __len__(self):
        return len(self.labels)

    def get_data_info(self, i):
        lab = self.labels[i]
        return dict(label=lab, pid=10 * lab + 3, camid=i % 2)

    def __getitem__(self, i):
        return self.labels[i]


class ToyBaseDataset(BaseDataset):
    """An MMEngine BaseDataset with a hand-made data_list."""

    def __init__(self, counts, **kwargs):
        self.counts = counts
        super().__init__(serialize_data=True, **kwargs)

    def load_data_list(self):
        return [
            dict(img_path=f'{lab}_{j}.jpg', label=lab, pid=lab + 1, camid=0)
            for lab, n in enumerate(self.counts) for j in range(n)
        ]


def labels_of(dataset, indices):
    return [dataset.labels[i] for i in indices]


def num_groups(counts, k):
    return sum(max(1, n // k) for n in counts)


def check_k_groups(dataset, indices, k):
    """Every K consecutive indices share a label; returns the groups."""
    assert len(indices) % k == 0
    groups = [indices[i:i + k] for i in range(0, len(indices), k)]
    for g in groups:
        assert len(set(labels_of(dataset, g))) == 1
    return groups


# ------------------------------------------------------------ helpers --
def test_pad_or_trim():
    assert pad_or_trim([0, 1, 2], 3, True) == [0, 1, 2]
    assert pad_or_trim([0, 1, 2], 2, True) == [0, 1, 2, 0]
    assert pad_or_trim([0, 1], 5, True) == [0, 1, 0, 1, 0]
    assert pad_or_trim([0, 1, 2], 2, False) == [0, 1]
    assert pad_or_trim([0, 1], 5, False) == []


def test_pack_distinct():
    labels = [0, 0, 0, 1, 1, 2]
    out = pack_distinct(labels, list(range(6)), 2)
    assert sorted(out) == list(range(6))
    batches = [out[i:i + 2] for i in range(0, 6, 2)]
    assert all(len({labels[g] for g in b}) == 2 for b in batches)
    # duplicates only when unavoidable; nothing is dropped
    out = pack_distinct([0, 0, 0, 1], [0, 1, 2, 3], 2)
    assert sorted(out) == [0, 1, 2, 3]
    with pytest.raises(ValueError, match='batches'):
        pack_distinct([0, 1, 2], [0, 1, 2], 2)
    # distinct whenever no label has more groups than there are batches
    rng = np.random.default_rng(0)
    for _ in range(200):
        p = int(rng.integers(1, 6))
        num_batches = int(rng.integers(1, 8))
        labels = []
        while len(labels) < p * num_batches:
            labels += [len(labels)] * int(rng.integers(1, num_batches + 1))
        labels = sorted(labels[:p * num_batches])
        order = rng.permutation(len(labels)).tolist()
        out = pack_distinct(labels, order, p, rng)
        assert sorted(out) == sorted(order)
        for b in range(num_batches):
            batch = out[b * p:(b + 1) * p]
            assert len({labels[g] for g in batch}) == p


# ---------------------------------------------------- IdentitySampler --
@pytest.mark.parametrize('k', [1, 2, 4])
def test_identity_sampler_groups(k):
    dataset = ToyDataset()
    sampler = IdentitySampler(dataset, num_instances=k, seed=0)
    assert len(sampler) == num_groups(COUNTS, k) * k
    for epoch in range(3):
        sampler.set_epoch(epoch)
        indices = list(sampler)
        assert len(indices) == len(sampler)
        groups = check_k_groups(dataset, indices, k)
        # each epoch covers every identity
        assert set(labels_of(dataset, indices)) == set(range(len(COUNTS)))
        per_label = Counter(dataset.labels[g[0]] for g in groups)
        for lab, n in enumerate(COUNTS):
            assert per_label[lab] == max(1, n // k)
        # identities with >= K images: no repeated image in an epoch
        for lab, n in enumerate(COUNTS):
            mine = [i for i in indices if dataset.labels[i] == lab]
            if n >= k:
                assert len(set(mine)) == len(mine)


def test_identity_sampler_short_ids_with_replacement():
    dataset = ToyDataset(counts=[1, 2, 5])
    sampler = IdentitySampler(dataset, num_instances=4, seed=1)
    indices = list(sampler)
    groups = check_k_groups(dataset, indices, 4)
    assert len(groups) == 3
    for g in groups:
        if dataset.labels[g[0]] == 0:
            assert len(set(g)) == 1  # 1 image repeated 4 times


def test_identity_sampler_seed_and_epoch():
    dataset = ToyDataset()
    a = IdentitySampler(dataset, num_instances=2, seed=3)
    b = IdentitySampler(dataset, num_instances=2, seed=3)
    c = IdentitySampler(dataset, num_instances=2, seed=4)
    assert list(a) == list(b)
    assert list(a) == list(a)  # no hidden state between iterations
    assert list(a) != list(c)
    e0 = list(a)
    a.set_epoch(1)
    e1 = list(a)
    assert e0 != e1
    b.set_epoch(1)
    assert list(b) == e1


def test_identity_sampler_no_shuffle():
    dataset = ToyDataset(interleave=False)
    sampler = IdentitySampler(dataset, num_instances=2, shuffle=False)
    indices = list(sampler)
    check_k_groups(dataset, indices, 2)
    sampler.set_epoch(5)
    assert list(sampler) == indices
    assert labels_of(dataset, indices) == sorted(labels_of(dataset, indices))


@pytest.mark.parametrize('world_size', [2, 3, 4])
@pytest.mark.parametrize('round_up', [True, False])
def test_identity_sampler_ddp(world_size, round_up):
    dataset = ToyDataset()
    k = 2
    single = list(IdentitySampler(dataset, num_instances=k, seed=7))
    shares = []
    for rank in range(world_size):
        sampler = IdentitySampler(
            dataset,
            num_instances=k,
            seed=7,
            round_up=round_up,
            rank=rank,
            world_size=world_size)
        sampler.set_epoch(2)
        share = list(sampler)
        assert len(share) == len(sampler)
        check_k_groups(dataset, share, k)
        shares.append(share)
    # equal lengths: every rank runs the same number of iterations
    assert len({len(s) for s in shares}) == 1
    g = num_groups(COUNTS, k)
    per_rank = -(-g // world_size) if round_up else g // world_size
    assert len(shares[0]) == per_rank * k
    # the ranks' shares, in rank order, are the global stream cut in whole
    # K-groups: disjoint, covering every group (+ padding from the start)
    single_sampler = IdentitySampler(dataset, num_instances=k, seed=7)
    single_sampler.set_epoch(2)
    single = list(single_sampler)
    joined = sum(shares, [])
    if round_up:
        assert joined[:len(single)] == single
        assert joined[len(single):] == single[:len(joined) - len(single)]
    else:
        assert joined == single[:len(joined)]


def test_identity_sampler_batch_size():
    counts = [4, 5, 6, 7, 8, 9, 4, 4, 12, 5, 6, 4]  # every id has >= K
    dataset = ToyDataset(counts=counts)
    k, p = 4, 3
    with pytest.raises(ValueError, match='multiple'):
        IdentitySampler(dataset, num_instances=k, batch_size=10)
    for world_size, round_up, seed in [(1, True, 0), (2, True, 1),
                                       (2, False, 2), (3, True, 3)]:
        lengths, seen = [], [set(), set(), set()]
        for rank in range(world_size):
            sampler = IdentitySampler(
                dataset,
                num_instances=k,
                batch_size=p * k,
                seed=seed,
                round_up=round_up,
                rank=rank,
                world_size=world_size)
            assert len(sampler) % (p * k) == 0
            for epoch in range(3):
                sampler.set_epoch(epoch)
                loader = DataLoader(dataset, batch_size=p * k, sampler=sampler)
                batches = [b.tolist() for b in loader]
                assert len(batches) == len(sampler) // (p * k)
                for batch in batches:
                    count = Counter(batch)
                    assert len(count) == p
                    assert set(count.values()) == {k}
                    seen[epoch] |= set(batch)
            lengths.append(len(sampler))
        assert len(set(lengths)) == 1
        if round_up:  # the ranks together cover every identity
            assert all(s == set(range(len(counts))) for s in seen)


def test_identity_sampler_dataloader():
    """Without batch_size, batches of P*K still hold K images per id."""
    counts = [4, 5, 6, 7, 8, 9, 4, 4]
    dataset = ToyDataset(counts=counts)
    k, p = 2, 4
    sampler = IdentitySampler(dataset, num_instances=k, seed=0)
    loader = DataLoader(dataset, batch_size=p * k, sampler=sampler)
    for batch in loader:
        batch = batch.tolist()
        for i in range(0, len(batch), k):
            assert len(set(batch[i:i + k])) == 1
        assert all(v % k == 0 for v in Counter(batch).values())


def test_identity_sampler_base_dataset_and_registry():
    dataset = ToyBaseDataset(counts=COUNTS, lazy_init=True)
    sampler = DATA_SAMPLERS.build(
        dict(type='IdentitySampler', num_instances=4),
        default_args=dict(dataset=dataset, seed=0))
    assert isinstance(sampler, IdentitySampler)
    indices = list(sampler)
    labels = [dataset.get_data_info(i)['label'] for i in indices]
    assert all(len(set(labels[i:i + 4])) == 1 for i in range(0, 40, 4))
    sampler = DATA_SAMPLERS.build(
        dict(type='IdentityContiguousSampler', max_per_id=2),
        default_args=dict(dataset=dataset, seed=None))
    assert isinstance(sampler, IdentityContiguousSampler)
    assert len(sampler) == sum(min(n, 2) for n in COUNTS)


def test_identity_sampler_errors():

    class Bad(ToyDataset):

        def get_data_info(self, i):
            return dict(label=-1)

    with pytest.raises(ValueError, match='training set'):
        IdentitySampler(Bad(), seed=0)
    with pytest.raises(ValueError, match='num_instances'):
        IdentitySampler(ToyDataset(), num_instances=0, seed=0)
    with pytest.raises(ValueError, match='rank'):
        IdentitySampler(ToyDataset(), seed=0, rank=2, world_size=2)
    with pytest.raises(TypeError, match='get_data_info'):
        IdentitySampler([0, 1], seed=0)


# ------------------------------------------ IdentityContiguousSampler --
def runs(labels):
    return [(lab, len(list(g))) for lab, g in groupby(labels)]


@pytest.mark.parametrize('max_per_id', [None, 1, 3, 10])
def test_contiguous_sampler_whole_identities(max_per_id):
    dataset = ToyDataset()
    sampler = IdentityContiguousSampler(dataset, max_per_id=max_per_id, seed=0)
    cap = max_per_id or max(COUNTS)
    assert len(sampler) == sum(min(n, cap) for n in COUNTS)
    orders = []
    for epoch in range(3):
        sampler.set_epoch(epoch)
        indices = list(sampler)
        assert len(indices) == len(sampler)
        assert len(set(indices)) == len(indices)  # no repeats
        r = runs(labels_of(dataset, indices))
        # every identity appears once, as one run of min(n, cap) images
        assert sorted(lab for lab, _ in r) == list(range(len(COUNTS)))
        assert all(n == min(COUNTS[lab], cap) for lab, n in r)
        orders.append([lab for lab, _ in r])
    assert orders[0] != orders[1] or orders[1] != orders[2]


def test_contiguous_sampler_max_per_id_random_subset():
    dataset = ToyDataset(counts=[20])
    sampler = IdentityContiguousSampler(dataset, max_per_id=5, seed=0)
    seen = set()
    for epoch in range(10):
        sampler.set_epoch(epoch)
        seen |= set(sampler)
    assert len(seen) > 5  # not always the same 5 images


def test_contiguous_sampler_seed_and_no_shuffle():
    dataset = ToyDataset()
    a = IdentityContiguousSampler(dataset, seed=5)
    b = IdentityContiguousSampler(dataset, seed=5)
    assert list(a) == list(b)
    a.set_epoch(1)
    assert list(a) != list(b)
    c = IdentityContiguousSampler(dataset, max_per_id=2, shuffle=False)
    indices = list(c)
    assert labels_of(dataset, indices) == sorted(labels_of(dataset, indices))
    c.set_epoch(3)
    assert list(c) == indices


@pytest.mark.parametrize('world_size', [2, 3])
@pytest.mark.parametrize('round_up', [True, False])
def test_contiguous_sampler_ddp(world_size, round_up):
    dataset = ToyDataset()
    single = IdentityContiguousSampler(dataset, max_per_id=4, seed=9)
    single.set_epoch(1)
    single = list(single)
    shares = []
    for rank in range(world_size):
        sampler = IdentityContiguousSampler(
            dataset,
            max_per_id=4,
            seed=9,
            round_up=round_up,
            rank=rank,
            world_size=world_size)
        sampler.set_epoch(1)
        shares.append(list(sampler))
        assert len(shares[-1]) == len(sampler)
    assert len({len(s) for s in shares}) == 1
    joined = sum(shares, [])
    if round_up:
        assert len(joined) == -(-len(single) // world_size) * world_size
        assert joined[:len(single)] == single
    else:
        assert len(joined) == len(single) // world_size * world_size
        assert joined == single[:len(joined)]
    # within a share identities stay contiguous (at most the first and
    # the last run of a share belong to an identity cut at a boundary)
    for share in shares:
        r = runs(labels_of(dataset, share))
        assert len({lab for lab, _ in r}) == len(r)


def test_contiguous_sampler_dataloader():
    dataset = ToyDataset()
    sampler = IdentityContiguousSampler(dataset, seed=0)
    loader = DataLoader(dataset, batch_size=8, sampler=sampler)
    stream = sum((b.tolist() for b in loader), [])
    assert stream == labels_of(dataset, list(sampler))


def _loader_batches(dataset, sampler, batch_size, drop_last):
    loader = DataLoader(
        dataset, batch_size=batch_size, sampler=sampler, drop_last=drop_last)
    return [b.tolist() for b in loader]


class IndexDataset(ToyDataset):
    """ToyDataset whose items are their indices."""

    def __getitem__(self, i):
        return i


@pytest.mark.parametrize('world_size', [1, 2, 4])
@pytest.mark.parametrize('round_up', [True, False])
@pytest.mark.parametrize('batch_size, max_per_id', [(3, None), (5, 4),
                                                    (2, 2)])
def test_contiguous_sampler_global_batches(world_size, round_up, batch_size,
                                           max_per_id):
    """Each step's rank batches, in rank order, are one process's batch of
    world_size * batch_size, epoch after epoch."""
    dataset = IndexDataset()
    w, b = world_size, batch_size
    single = IdentityContiguousSampler(
        dataset, max_per_id=max_per_id, seed=11, round_up=round_up,
        batch_size=w * b)
    ranks = [
        IdentityContiguousSampler(
            dataset,
            max_per_id=max_per_id,
            seed=11,
            round_up=round_up,
            batch_size=b,
            rank=r,
            world_size=w) for r in range(w)
    ]
    # the plain stream, from the sampler without batch_size (one process)
    plain = IdentityContiguousSampler(
        dataset, max_per_id=max_per_id, seed=11)
    n = len(plain)
    steps = -(-n // (w * b)) if round_up else n // (w * b)
    assert steps > 0
    assert len(single) == steps * w * b
    assert all(len(s) == steps * b for s in ranks)
    for epoch in range(4):
        for s in [single, plain] + ranks:
            s.set_epoch(epoch)
        stream = list(plain)
        # independent expectation: the stream wrapped around or cut to
        # whole global batches
        padded = (stream * 3)[:steps * w * b]
        expected = [padded[k * w * b:(k + 1) * w * b] for k in range(steps)]
        for drop_last in (True, False):
            one = _loader_batches(dataset, single, w * b, drop_last)
            assert one == expected
            per_rank = [
                _loader_batches(dataset, s, b, drop_last) for s in ranks
            ]
            assert all(len(p) == steps for p in per_rank)
            for k in range(steps):
                assert sum((p[k] for p in per_rank), []) == one[k]


def test_contiguous_sampler_global_batches_get_dist_info(monkeypatch):
    """The rank and world size read from mmengine.dist, as under DDP."""
    from mmreid.datasets.samplers import identity_sampler
    dataset = ToyDataset()
    single = IdentityContiguousSampler(dataset, seed=2, batch_size=8)
    single.set_epoch(3)
    single = list(single)
    shares = []
    for rank in range(2):
        monkeypatch.setattr(identity_sampler, 'get_dist_info',
                            lambda r=rank: (r, 2))
        sampler = IdentityContiguousSampler(dataset, seed=2, batch_size=4)
        assert (sampler.rank, sampler.world_size) == (rank, 2)
        sampler.set_epoch(3)
        shares.append(list(sampler))
    joined = [
        i for k in range(0, len(shares[0]), 4) for s in shares
        for i in s[k:k + 4]
    ]
    assert joined == single


def test_contiguous_sampler_global_batches_keep_identities():
    """The cut windows of the old per-rank shares have fewer positive pairs
    than the contiguous global batch (Market-1501-sized identity list)."""
    rng = np.random.default_rng(0)
    counts = rng.integers(8, 27, size=751).tolist()  # ~17 images per id
    dataset = ToyDataset(counts=counts, interleave=False)
    w, b = 8, 31
    labels = np.asarray(dataset.labels)

    def pairs(batch):
        n = np.bincount(labels[batch])
        return int((n * (n - 1) // 2).sum())

    def global_batches(**kwargs):
        ranks = [
            list(
                IdentityContiguousSampler(
                    dataset, seed=4, rank=r, world_size=w, **kwargs))
            for r in range(w)
        ]
        steps = len(ranks[0]) // b
        return [
            sum((s[k * b:(k + 1) * b] for s in ranks), [])
            for k in range(steps)
        ]

    one = list(IdentityContiguousSampler(dataset, seed=4, batch_size=w * b))
    one = [one[k:k + w * b] for k in range(0, len(one), w * b)]
    new = global_batches(batch_size=b)
    old = global_batches()
    assert new == one
    new_pairs = np.mean([pairs(x) for x in new])
    old_pairs = np.mean([pairs(x) for x in old])
    assert old_pairs < 0.9 * new_pairs


def test_contiguous_sampler_batch_size_errors(monkeypatch):
    dataset = ToyDataset()
    for bad in (0, -1, 2.5, True, '8'):
        with pytest.raises(ValueError, match='batch_size'):
            IdentityContiguousSampler(dataset, seed=0, batch_size=bad)
    n = len(IdentityContiguousSampler(dataset, seed=0))
    with pytest.raises(ValueError, match='empty'):
        IdentityContiguousSampler(
            dataset, seed=0, batch_size=n, round_up=False, rank=0,
            world_size=2)
    # one global batch larger than the epoch: wrapped around
    sampler = IdentityContiguousSampler(
        dataset, seed=0, batch_size=n, rank=1, world_size=2)
    assert len(sampler) == n
    assert sorted(sampler) == list(range(n))
    # DDP without batch_size: a warning
    from mmreid.datasets.samplers import identity_contiguous_sampler as mod
    logged = []
    monkeypatch.setattr(mod, 'print_log',
                        lambda msg, **kwargs: logged.append(msg))
    IdentityContiguousSampler(dataset, seed=0, rank=0, world_size=2)
    assert len(logged) == 1 and 'batch_size' in logged[0]
    IdentityContiguousSampler(dataset, seed=0, batch_size=4, rank=0,
                              world_size=2)
    IdentityContiguousSampler(dataset, seed=0)
    assert len(logged) == 1


# ------------------------------------------------------- real DDP (gloo) --
def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _ddp_worker(rank, world_size, port, counts, out):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    torch_dist.init_process_group('gloo', rank=rank, world_size=world_size)
    try:
        dataset = ToyDataset(counts=counts)
        # seed=None: the seed is drawn on rank 0 and broadcast
        sampler = IdentitySampler(dataset, num_instances=2)
        contiguous = IdentityContiguousSampler(dataset, max_per_id=3)
        sampler.set_epoch(1)
        out[rank] = (sampler.seed, list(sampler), contiguous.seed,
                     list(contiguous))
    finally:
        torch_dist.destroy_process_group()


def test_real_ddp_seed_sync():
    world_size = 2
    with mp.Manager() as manager:
        out = manager.dict()
        mp.spawn(
            _ddp_worker,
            args=(world_size, _free_port(), COUNTS, out),
            nprocs=world_size)
        out = dict(out)
    dataset = ToyDataset()
    assert out[0][0] == out[1][0] and out[0][2] == out[1][2]
    seed = out[0][0]
    single = IdentitySampler(dataset, num_instances=2, seed=seed)
    single.set_epoch(1)
    single = list(single)
    joined = out[0][1] + out[1][1]
    assert len(out[0][1]) == len(out[1][1])
    assert joined[:len(single)] == single
    single = list(
        IdentityContiguousSampler(dataset, max_per_id=3, seed=out[0][2]))
    assert (out[0][3] + out[1][3])[:len(single)] == single


def test_torch_tensor_labels_ok():
    """Labels stored as numpy/tensor scalars are accepted."""

    class TensorLabels(ToyDataset):

        def get_data_info(self, i):
            return dict(label=torch.tensor(self.labels[i]))

    sampler = IdentitySampler(TensorLabels(), num_instances=2, seed=0)
    check_k_groups(ToyDataset(), list(sampler), 2)
