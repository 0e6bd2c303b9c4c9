# Copyright (c) mmreid contributors. All rights reserved.
"""Per-sample seeds: augmentation independent of workers, history and
skipping; samplers that skip the start of an epoch."""
import random

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from mmreid.datasets import DemoReID, PairDataset
from mmreid.datasets.sample_rng import (SeededIndex, SeededPair,
                                        sample_rng, sample_seeds)
from mmreid.datasets.samplers import (IdentityContiguousSampler,
                                      IdentitySampler, PairSampler)
from mmreid.utils import register_all_modules

register_all_modules()

TINY = dict(num_train_ids=6, num_test_ids=2, num_cameras=3,
            images_per_id=4, img_size=(64, 32), num_distractors=0,
            num_junk=0)
AUGMENT = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDRandomFlip', prob=0.5),
    dict(type='ReIDPad', padding=4),
    dict(type='ReIDRandomCrop', crop_size=(32, 64)),
    dict(type='mmpretrain.RandomErasing', erase_prob=0.5, mode='const',
         fill_color=(104, 116, 124)),
    dict(type='PackReIDInputs'),
]


@pytest.fixture(scope='module')
def dataset(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('rng') / 'demo')
    return DemoReID(data_root=root, pipeline=AUGMENT, **TINY)


def test_seeded_item_ignores_global_state(dataset):
    outs = []
    for prior in (0, 1):  # whatever the global generators are at
        random.seed(prior)
        np.random.seed(prior)
        torch.manual_seed(prior)
        outs.append(dataset[SeededIndex(3, seed=77)]['inputs'])
    assert torch.equal(outs[0], outs[1])
    others = [dataset[SeededIndex(3, seed=s)]['inputs'] for s in range(8)]
    # the augmentation really is random: 8 seeds give several images
    assert len({o.numpy().tobytes() for o in others}) > 1


def test_loading_leaves_global_state_alone(dataset):
    random.seed(5)
    np.random.seed(5)
    torch.manual_seed(5)
    want = (random.random(), np.random.rand(), torch.rand(1).item())
    random.seed(5)
    np.random.seed(5)
    torch.manual_seed(5)
    dataset[SeededIndex(0, seed=1)]
    got = (random.random(), np.random.rand(), torch.rand(1).item())
    assert got == want
    # a plain index does use (and advance) the global generators
    random.seed(5)
    np.random.seed(5)
    torch.manual_seed(5)
    for i in range(4):
        dataset[i]
    assert (random.random(), np.random.rand(), torch.rand(1).item()) != want


def test_sample_rng_restores_on_error():
    random.seed(0)
    before = random.getstate()
    with pytest.raises(RuntimeError):
        with sample_rng(SeededPair((1, 2), seed=3)):
            random.random()
            raise RuntimeError('load failed')
    assert random.getstate() == before


def test_sample_seeds_are_a_stream():
    full = sample_seeds(7, 1, 0, 0, 50)
    assert np.array_equal(sample_seeds(7, 1, 0, 20, 50), full[20:])
    assert not np.array_equal(sample_seeds(7, 1, 1, 0, 50), full)
    assert len(set(full.tolist())) == 50


def batches(dataset, workers):
    sampler = IdentitySampler(dataset, num_instances=4, seed=3,
                              batch_size=8)
    sampler.set_epoch(2)
    loader = DataLoader(dataset, batch_size=8, sampler=sampler,
                        num_workers=workers,
                        collate_fn=lambda b: torch.stack(
                            [x['inputs'] for x in b]))
    return list(loader)


def test_same_batches_with_0_and_2_workers(dataset):
    zero, two = batches(dataset, 0), batches(dataset, 2)
    assert len(zero) == len(two) == 3
    for a, b in zip(zero, two):
        assert torch.equal(a, b)


@pytest.mark.parametrize('make', [
    lambda ds: IdentitySampler(ds, num_instances=4, seed=1, batch_size=8),
    lambda ds: IdentityContiguousSampler(ds, seed=1, batch_size=8),
])
def test_identity_samplers_skip(dataset, make):
    sampler = make(dataset)
    sampler.set_epoch(4)
    full = list(sampler)
    assert all(isinstance(i, SeededIndex) for i in full)
    sampler.skip(8)
    rest = list(sampler)
    assert rest == full[8:]
    assert [i.seed for i in rest] == [i.seed for i in full[8:]]
    assert list(sampler) == full  # the skip is for one iteration only
    sampler.skip(len(full) + 1)
    with pytest.raises(ValueError, match='cannot skip'):
        list(sampler)
    with pytest.raises(ValueError, match='>= 0'):
        sampler.skip(-1)


def test_pair_sampler_skip(dataset):
    pairs = PairDataset(dataset)
    sampler = PairSampler(pairs, seed=0)
    full = list(sampler)
    assert all(isinstance(p, SeededPair) for p in full)
    sampler.skip(5)
    rest = list(sampler)
    assert [tuple(p) for p in rest] == [tuple(p) for p in full[5:]]
    assert [p.seed for p in rest] == [p.seed for p in full[5:]]
    # the pair's two images are augmented from the pair's seed
    a, b = pairs[full[0]], pairs[full[0]]
    assert torch.equal(a['inputs'], b['inputs'])
