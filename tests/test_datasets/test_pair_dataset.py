# Copyright (c) mmreid contributors. All rights reserved.
import json

import numpy as np
import pytest
import torch

from mmreid import datasets
from mmreid.datasets import Market1501
from mmreid.datasets.samplers import PairSampler
from mmreid.registry import DATA_SAMPLERS, DATASETS
from mmreid.testing import make_market_tree, write_images
from mmreid.utils import register_all_modules

register_all_modules()

# 3 identities: 3 + 2 + 1 images (cameras 1, 2, 1 / 1, 1 / 2).
TREE = {
    'bounding_box_train': [
        '0001_c1s1_000001_00.jpg', '0001_c2s1_000002_00.jpg',
        '0001_c1s1_000003_00.jpg', '0002_c1s1_000004_00.jpg',
        '0002_c1s1_000005_00.jpg', '0003_c2s1_000006_00.jpg'
    ]
}
PIPELINE = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(6, 16)),
    dict(type='RandomTranslate', max_shift=0.05),
    dict(type='PackReIDInputs'),
]


@pytest.fixture
def root(tmp_path):
    return make_market_tree(str(tmp_path), TREE)


def build(root, **kwargs):
    return DATASETS.build(
        dict(
            type='PairDataset',
            dataset=dict(type='Market1501', data_root=root,
                         pipeline=PIPELINE),
            **kwargs))


def test_positive_and_negative_counts(root):
    ds = build(root)
    # C(3, 2) + C(2, 2) = 4 positives, 2 negatives per positive.
    assert ds.num_positives == 4 and ds.num_negatives == 8
    assert len(ds) == 12
    assert ds.metainfo['num_positive_pairs'] == 4
    pairs = ds.draw_pairs(0)
    same = [ds.is_same(i, j) for i, j in pairs]
    assert same == [True] * 4 + [False] * 8
    assert all(i != j for i, j in pairs)
    cross = build(root, cross_camera_only=True, neg_per_pos=1)
    # Only the two pairs of pid 1 across cameras 1 and 2.
    assert cross.num_positives == 2 and len(cross) == 4


def test_negatives_are_redrawn_each_epoch(root):
    ds = build(root)
    a, b = ds.draw_pairs(0), ds.draw_pairs(1)
    assert a != b
    assert ds.draw_pairs(1) == b  # deterministic
    # Positives: the same unordered set every epoch.
    assert ({frozenset(p) for p in a[:4]} == {frozenset(p) for p in b[:4]})


def test_item_is_a_packed_pair(root):
    ds = build(root)
    item = ds[(0, 3)]
    assert item['inputs'].shape == (2, 3, 16, 6)
    sample = item['data_samples']
    assert sample.gt_label.tolist() == [0]
    assert sample.pids == (1, 2)
    assert ds[(0, 1)]['data_samples'].gt_label.tolist() == [1]
    # Integer indexing walks the epoch-0 draw.
    assert ds[0]['data_samples'].pair_idx == ds.draw_pairs(0)[0]


def test_sampler_yields_the_epoch_pairs(root):
    ds = build(root)
    sampler = PairSampler(ds, seed=3)
    first = list(sampler)
    assert len(first) == len(sampler) == 12
    assert sorted(first) == sorted(ds.draw_pairs(0, 3))
    sampler.set_epoch(1)
    assert sorted(list(sampler)) == sorted(ds.draw_pairs(1, 3))
    with pytest.raises(TypeError, match='PairDataset'):
        PairSampler([1, 2, 3])
    # Configs name it: dict(type='PairSampler') (lazy registry location).
    built = DATA_SAMPLERS.build(dict(type='PairSampler', dataset=ds, seed=3))
    assert isinstance(built, PairSampler) and list(built) == first
    assert datasets.PairSampler is PairSampler
    assert 'PairSampler' in datasets.__all__


def test_hard_negatives_file(root, tmp_path):
    plain = Market1501(data_root=root)
    paths = [plain.get_data_info(i)['img_path'] for i in range(len(plain))]
    hard = tmp_path / 'hard.json'
    pairs = [[paths[0], paths[3], 0.9], [paths[5], paths[1], 0.8]]
    hard.write_text(json.dumps(dict(pairs=pairs)))
    ds = build(root, hard_negatives=str(hard), neg_per_pos=0.5)
    # 2 negatives per epoch: exactly the two hard ones.
    assert ds.draw_pairs(0)[4:] == [(0, 3), (5, 1)]
    ds = build(root, hard_negatives=str(hard), neg_per_pos=1)
    neg = ds.draw_pairs(0)[4:]
    assert neg[:2] == [(0, 3), (5, 1)] and len(neg) == 4  # topped up
    ds = build(root, hard_negatives=str(hard), neg_per_pos=0.25)
    assert ds.draw_pairs(0)[4] in [(0, 3), (5, 1)]  # a random subset
    # half hard, half random: 1 of the 2 hard pairs + 1 random negative
    ds = build(
        root, hard_negatives=str(hard), neg_per_pos=0.5,
        hard_negative_ratio=0.5)
    for epoch in range(5):
        neg = ds.draw_pairs(epoch)[4:]
        assert len(neg) == 2 and neg[0] in [(0, 3), (5, 1)]
        assert ds.pids[neg[1][0]] != ds.pids[neg[1][1]]
    firsts = {ds.draw_pairs(e)[4] for e in range(20)}
    assert firsts == {(0, 3), (5, 1)}  # re-drawn every epoch
    ds = build(
        root, hard_negatives=str(hard), neg_per_pos=0.5,
        hard_negative_ratio=0.)
    assert len(ds.draw_pairs(0)[4:]) == 2
    with pytest.raises(ValueError, match='hard_negative_ratio'):
        build(root, hard_negative_ratio=1.5)
    hard.write_text(json.dumps(dict(pairs=[[paths[0], paths[1], 1.]])))
    with pytest.raises(ValueError, match='not a negative'):
        build(root, hard_negatives=str(hard))
    hard.write_text(json.dumps(dict(pairs=[[paths[0], 'x.jpg', 1.]])))
    with pytest.raises(KeyError, match='x.jpg'):
        build(root, hard_negatives=str(hard))
    with pytest.raises(FileNotFoundError, match='mine_hard_negatives'):
        build(root, hard_negatives=str(tmp_path / 'missing.json'))


def test_errors(tmp_path):
    root = str(tmp_path / 'one')
    write_images(f'{root}/bounding_box_train', ['0001_c1s1_000001_00.jpg'])
    with pytest.raises(ValueError, match='no positive pair'):
        build(root)
    with pytest.raises(ValueError, match='neg_per_pos'):
        build(make_market_tree(str(tmp_path / 'm')), neg_per_pos=-1)


def test_collates_for_the_pair_preprocessor(root):
    from mmengine.dataset import pseudo_collate

    from mmreid.models.data_preprocessors.pair_data_preprocessor import \
        PairDataPreprocessor
    ds = build(root)
    batch = pseudo_collate([ds[p] for p in ds.draw_pairs(0)[:3]])
    out = PairDataPreprocessor()(batch, True)
    assert out['inputs'].img.shape == (3, 2, 3, 16, 6)
    labels = torch.cat([s.gt_label for s in out['data_samples']])
    assert labels.tolist() == [1, 1, 1]
    assert np.isfinite(out['inputs'].img.numpy()).all()


def test_one_partner_per_anchor_with_positive_prob(root):
    ds = build(root, pairing='per_anchor', positive_prob=0.5, self_prob=0.2)
    assert len(ds) == 6 and ds.num_negatives == 0
    counts = dict(self=0, same=0, other=0)
    for epoch in range(400):
        pairs = ds.draw_pairs(epoch)
        assert [i for i, _ in pairs] == list(range(6))  # each anchor once
        for i, j in pairs:
            kind = ('self' if i == j else
                    'same' if ds.is_same(i, j) else 'other')
            counts[kind] += 1
    # identity 3 has one image: its 'same' draws are the image itself
    n = 400 * 6
    alone = 400 * 1
    assert abs(counts['other'] / n - 0.3) < 0.03
    assert abs(counts['self'] / n - (0.2 * n + 0.5 * alone) / n) < 0.03
    assert abs(counts['same'] / n - 0.5 * (n - alone) / n) < 0.03
    assert ds.draw_pairs(3) == ds.draw_pairs(3)
    # the training labels of both images travel with the pair
    sample = ds[(0, 5)]['data_samples']
    assert sample.labels == (0, 2) and sample.pids == (1, 3)
    with pytest.raises(ValueError, match='one\npartner|one partner'):
        build(root, pairing='per_anchor', positive_prob=0.5, neg_per_pos=1)
    with pytest.raises(ValueError, match='per_anchor'):
        build(root, positive_prob=0.5)
    with pytest.raises(ValueError, match='sum <= 1'):
        build(root, pairing='per_anchor', positive_prob=0.9, self_prob=0.2)
    with pytest.raises(ValueError, match='needs positive_prob'):
        build(root, pairing='per_anchor', self_prob=0.2)
