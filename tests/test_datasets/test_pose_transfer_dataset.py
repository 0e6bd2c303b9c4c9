# Copyright (c) mmreid contributors. All rights reserved.
import json
import os.path as osp
from collections import Counter, defaultdict

import cv2
import numpy as np
import pytest
import torch

from mmreid.datasets import (Market1501, PairDataset, PairSampler,
                             PoseTransferPairDataset, save_keypoint_cache)
from mmreid.registry import DATASETS
from mmreid.testing import write_images
from mmreid.utils import register_all_modules

register_all_modules()

# 3 identities: 3 + 2 + 1 images (indices 0-2: pid 1, 3-4: pid 2, 5: pid 3).
TREE = {
    'bounding_box_train': [
        '0001_c1s1_000001_00.jpg', '0001_c2s1_000002_00.jpg',
        '0001_c1s1_000003_00.jpg', '0002_c1s1_000004_00.jpg',
        '0002_c1s1_000005_00.jpg', '0003_c2s1_000006_00.jpg'
    ]
}
H, W = 32, 16
PIDS = [1, 1, 1, 2, 2, 3]
PIPELINE = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(W, H)),
    dict(type='PackReIDInputs'),
]


def target_pipeline(flip_prob=0.0, swap=False, sigma=2):
    return [
        dict(type='LoadReIDImage'),
        dict(type='ReIDResize', scale=(W, H)),
        dict(type='ReIDRandomFlip', prob=flip_prob, swap_left_right=swap),
        dict(
            type='KeypointsToHeatmaps',
            sigma=sigma,
            target_format='openpose18',
            out_key='pose_maps'),
        dict(type='PackReIDInputs', pose_keys=['pose_maps']),
    ]


def image_keypoints(k):
    """Integer COCO-17 keypoints of image ``k``, one of them missing."""
    kpts = np.zeros((17, 3), np.float32)
    for c in range(17):
        kpts[c] = ((c + 3 * k) % W, (2 * c + k) % H, 1)
    kpts[5] = (4 + k, 10, 1)  # left shoulder
    kpts[6] = (10 + k, 10, 1)  # right shoulder: the neck is (7 + k, 10)
    kpts[3 + (k % 2), 2] = 0  # an ear is missing
    return kpts


@pytest.fixture
def root(tmp_path):
    # PNG (lossless) images, so loaded images can be compared exactly.
    names = [n.replace('.jpg', '.png') for n in TREE['bounding_box_train']]
    root = str(tmp_path)
    write_images(osp.join(root, 'bounding_box_train'), names, size=(H, W))
    plain = Market1501(data_root=root)
    kpts = {}
    for k in range(len(plain)):
        path = plain.get_data_info(k)['img_path']
        kpts[osp.relpath(path, root).replace(osp.sep, '/')] = \
            image_keypoints(k)
    save_keypoint_cache(osp.join(root, 'kpts.json'), kpts)
    return root


def build(root, target=None, **kwargs):
    target = target_pipeline() if target is None else target
    return DATASETS.build(
        dict(
            type='PoseTransferPairDataset',
            dataset=dict(
                type='Market1501',
                data_root=root,
                pipeline=PIPELINE,
                keypoint_file='kpts.json'),
            target_pipeline=target,
            **kwargs))


def load_bgr(path):
    return torch.from_numpy(cv2.imread(path).transpose(2, 0, 1).copy())


# ------------------------------------------------------- per-anchor pairs --


def test_per_anchor_pairs(root):
    ds = PairDataset(Market1501(data_root=root), pairing='per_anchor')
    n = 6
    assert list(ds.pids) == PIDS
    assert ds.num_positives == n and ds.num_negatives == 3 * n
    assert len(ds) == 4 * n
    assert ds.metainfo['pairing'] == 'per_anchor'
    partners = defaultdict(set)
    for epoch in range(20):
        pairs = ds.draw_pairs(epoch)
        assert len(pairs) == 4 * n
        pos = [p for p in pairs if ds.is_same(*p)]
        neg = [p for p in pairs if not ds.is_same(*p)]
        assert pairs[:n] == pos and pairs[n:] == neg
        # Each image is an anchor exactly once, with 1 positive, 3 negatives.
        assert Counter(i for i, _ in pos) == Counter(range(n))
        assert Counter(i for i, _ in neg) == Counter({i: 3 for i in range(n)})
        for i, j in pos:
            assert PIDS[i] == PIDS[j]
            # another image when the identity has one, else the anchor
            assert (j == i) == (i == 5)
            partners[i].add(j)
        for i, j in neg:
            assert PIDS[i] != PIDS[j]
            partners[i].add(j)
    # Over epochs, all candidates are drawn (the draw is random).
    assert partners[0] == {1, 2, 3, 4, 5}
    assert partners[5] == {0, 1, 2, 3, 4, 5}
    assert ds.draw_pairs(1) == ds.draw_pairs(1) != ds.draw_pairs(2)
    assert ds.draw_pairs(1, seed=7) != ds.draw_pairs(1)
    sampler = PairSampler(ds, seed=4)
    sampler.set_epoch(3)
    assert sorted(sampler) == sorted(ds.draw_pairs(3, 4))
    assert len(sampler) == 4 * n
    assert PairDataset(
        Market1501(data_root=root), pairing='per_anchor',
        neg_per_pos=1).draw_pairs(0)[n:] != []
    assert len(
        PairDataset(
            Market1501(data_root=root), pairing='per_anchor',
            neg_per_pos=0)) == n


def test_per_anchor_options(root, tmp_path):
    base = Market1501(data_root=root)
    with pytest.raises(ValueError, match='integer'):
        PairDataset(base, pairing='per_anchor', neg_per_pos=1.5)
    hard = tmp_path / 'hard.json'
    hard.write_text(
        json.dumps(
            dict(pairs=[[
                base.get_data_info(0)['img_path'],
                base.get_data_info(5)['img_path'], 1.
            ]])))
    with pytest.raises(ValueError, match="pairing='all_positives'"):
        PairDataset(base, pairing='per_anchor', hard_negatives=str(hard))
    # Hard negatives still work with the default pairing.
    assert PairDataset(base, hard_negatives=str(hard)).hard_negatives == [
        (0, 5)
    ]
    with pytest.raises(ValueError, match='cross_camera_only'):
        PairDataset(base, pairing='per_anchor', cross_camera_only=True)
    with pytest.raises(ValueError, match='pairing must be'):
        PairDataset(base, pairing='bogus')
    # The default is unchanged: all positives, 2 negatives per positive.
    ds = PairDataset(base)
    assert ds.pairing == 'all_positives' and len(ds) == 4 * 3


# ------------------------------------------------------ pose-transfer items --


def expected_maps(kpts_coco, sigma=2.0):
    """OpenPose-18 Gaussian maps of integer keypoints, computed here."""
    coco_of_op = [0, None, 6, 8, 10, 5, 7, 9, 12, 14, 16, 11, 13, 15, 2, 1, 4,
                  3]
    ys, xs = np.mgrid[0:H, 0:W]
    maps = np.zeros((18, H, W), np.float32)
    for c, k in enumerate(coco_of_op):
        if k is None:  # neck: shoulder midpoint
            x, y = (kpts_coco[5, :2] + kpts_coco[6, :2]) / 2
            s = min(kpts_coco[5, 2], kpts_coco[6, 2])
        else:
            x, y, s = kpts_coco[k]
        if s > 0:
            maps[c] = np.exp(-((xs - x)**2 + (ys - y)**2) / (2 * sigma**2))
    return maps


def test_items_and_targets(root):
    ds = build(root)
    with open(osp.join(root, 'kpts.json')) as f:
        cache = json.load(f)['keypoints']
    assert len(ds) == 24 and len(ds.draw_pairs(0)[0]) == 4
    for i, j, ti, tj in ds.draw_pairs(0):
        item = ds[(i, j, ti, tj)]
        sample = item['data_samples']
        assert item['inputs'].shape == (2, 3, H, W)
        assert torch.equal(item['inputs'][0], load_bgr(ds.img_paths[i]))
        assert torch.equal(item['inputs'][1], load_bgr(ds.img_paths[j]))
        assert sample.gt_label.tolist() == [int(PIDS[i] == PIDS[j])]
        assert sample.pair_idx == (i, j) and sample.target_idx == (ti, tj)
        assert sample.target_pids == sample.pids
        assert sample.target_img.shape == (2, 3, H, W)
        assert sample.target_img.dtype == torch.uint8
        assert sample.pose_maps.shape == (2, 18, H, W)
        assert sample.pose_maps.dtype == torch.float32
        for b, (o, t) in enumerate([(i, ti), (j, tj)]):
            assert PIDS[t] == PIDS[o]
            if PIDS[i] != PIDS[j]:  # own target: another image if possible
                assert (t == o) == (o == 5)
            assert torch.equal(sample.target_img[b],
                               load_bgr(ds.img_paths[t]))
            assert sample.target_paths[b] == ds.img_paths[t]
            rel = osp.relpath(ds.img_paths[t], root).replace(osp.sep, '/')
            kpts = np.asarray(cache[rel], np.float32)
            maps = sample.pose_maps[b].numpy()
            np.testing.assert_allclose(maps, expected_maps(kpts), atol=1e-6)
            for c, k in enumerate([0, 5, 6]):  # nose, shoulders (op: 0 5 2)
                ch = [0, 5, 2][c]
                x, y = int(kpts[k, 0]), int(kpts[k, 1])
                assert maps[ch, y, x] == 1.0 and maps[ch].max() == 1.0
            neck_x = int((kpts[5, 0] + kpts[6, 0]) / 2)
            assert maps[1, 10, neck_x] == 1.0
            # the missing ear (COCO 3 -> OpenPose 17, COCO 4 -> 16)
            assert maps[17 if t % 2 == 0 else 16].max() == 0
        if PIDS[i] == PIDS[j]:  # positive: one target for both branches
            assert ti == tj
            assert torch.equal(sample.target_img[0], sample.target_img[1])
            assert torch.equal(sample.pose_maps[0], sample.pose_maps[1])


def test_positive_pairs_share_random_targets(root):
    ds = build(root, target=target_pipeline(0.5, sigma=(4, 5, 6)))
    pos = [p for p in ds.draw_pairs(0) if ds.is_same(*p[:2])]
    neg = [p for p in ds.draw_pairs(0) if not ds.is_same(*p[:2])]
    np.random.seed(0)
    differ = 0
    for _ in range(6):
        for p in pos:
            s = ds[p]['data_samples']
            assert torch.equal(s.target_img[0], s.target_img[1])
            assert torch.equal(s.pose_maps[0], s.pose_maps[1])
        for p in neg[:4]:
            s = ds[p]['data_samples']
            differ += not torch.equal(s.pose_maps[0], s.pose_maps[1])
    assert differ > 0


def test_flip_mirrors_maps_with_the_image(root):
    plain = build(root)
    flip = build(root, target=target_pipeline(1.0))
    swap = build(root, target=target_pipeline(1.0, swap=True))
    p = (0, 3, 1, 4)
    a = plain[p]['data_samples']
    b = flip[p]['data_samples']
    c = swap[p]['data_samples']
    assert torch.equal(b.target_img, a.target_img.flip(-1))
    # FD-GAN: flipped maps, no left/right channel swap.
    torch.testing.assert_close(b.pose_maps, a.pose_maps.flip(-1))
    # swap_left_right=True: right shoulder (2) is the mirrored left one (5).
    torch.testing.assert_close(c.pose_maps[:, 2], a.pose_maps[:, 5].flip(-1))
    torch.testing.assert_close(c.pose_maps[:, 0], a.pose_maps[:, 0].flip(-1))


def test_target_draws(root):
    ds = build(root)
    seen = defaultdict(set)
    first = set()  # the target of anchor 0 in its positive pair
    for epoch in range(15):
        draw = ds.draw_pairs(epoch)
        first.add(draw[0][2])
        assert [p[:2] for p in draw] == PairDataset.draw_pairs(ds, epoch)
        for i, j, ti, tj in draw:
            assert PIDS[ti] == PIDS[i] and PIDS[tj] == PIDS[j]
            assert (ti == i) == (i == 5)
            if PIDS[i] == PIDS[j]:
                assert tj == ti
            seen[i].add(ti)
    assert seen[0] == {1, 2} and seen[3] == {4} and seen[5] == {5}
    assert first == {1, 2}  # re-drawn every epoch
    assert ds.draw_pairs(2) == ds.draw_pairs(2) != ds.draw_pairs(3)
    assert ds[0]['data_samples'].target_idx == ds.draw_pairs(0)[0][2:]
    # A plain (i, j) pair draws its targets from numpy's global RNG.
    np.random.seed(1)
    a = ds[(0, 3)]['data_samples'].target_idx
    np.random.seed(1)
    assert ds[(0, 3)]['data_samples'].target_idx == a
    assert PIDS[a[0]] == 1 and a[0] != 0 and a[1] == 4
    with pytest.raises(IndexError):
        ds[(0, 1, 2)]


def test_sampler_and_preprocessor(root):
    from mmengine.dataset import pseudo_collate

    from mmreid.models.data_preprocessors import PoseTransferDataPreprocessor
    ds = build(root)
    sampler = PairSampler(ds, seed=0)
    pairs = list(sampler)
    assert len(pairs) == 24 and all(len(p) == 4 for p in pairs)
    assert sorted(pairs) == sorted(ds.draw_pairs(0, 0))
    batch = pseudo_collate([ds[p] for p in pairs[:3]])
    out = PoseTransferDataPreprocessor()(batch, True)
    assert out['inputs'].img.shape == (3, 2, 3, H, W)
    assert out['inputs'].target_img.shape == (3, 2, 3, H, W)
    assert out['inputs'].pose_maps.shape == (3, 2, 18, H, W)
    labels = [s.gt_label.item() for s in out['data_samples']]
    assert labels == [int(PIDS[p[0]] == PIDS[p[1]]) for p in pairs[:3]]


def test_requires_keypoints(root):
    with pytest.raises(ValueError) as err:
        PoseTransferPairDataset(
            dict(type='Market1501', data_root=root, pipeline=PIPELINE),
            target_pipeline=target_pipeline())
    msg = str(err.value)
    assert 'Market1501' in msg and 'keypoint_file' in msg
    assert 'extract_keypoints.py' in msg and root in msg
    with pytest.raises(ValueError, match='target_pipeline'):
        build(root, target=[])
    no_maps = target_pipeline()[:3] + [dict(type='PackReIDInputs')]
    with pytest.raises(KeyError, match='pose_maps'):
        build(root, target=no_maps)[0]


def test_fixed_transfer_pairs(root):
    ds = build(root)
    np.random.seed(0)
    a = ds.fixed_transfer_pairs(4, seed=3)
    np.random.seed(123)
    assert ds.fixed_transfer_pairs(4, seed=3) == a
    assert len({o for o, _ in a}) == 4
    assert any(ds.fixed_transfer_pairs(4, seed=s) != a for s in range(4, 8))
    for o, t in ds.fixed_transfer_pairs(6, seed=0):
        assert PIDS[t] == PIDS[o] and (t == o) == (o == 5)
    for o, t in ds.fixed_transfer_pairs(6, seed=0, same_identity=False):
        assert PIDS[t] != PIDS[o]
    many = ds.fixed_transfer_pairs(9, seed=0)
    assert len(many) == 9 and sorted({o for o, _ in many}) == list(range(6))
    assert ds.fixed_transfer_pairs(0) == []

    o, t = 0, 2
    item = ds.transfer_item(o, t)
    sample = item['data_samples']
    assert item['inputs'].shape == (3, H, W)
    assert torch.equal(item['inputs'], load_bgr(ds.img_paths[o]))
    assert torch.equal(sample.target_img, load_bgr(ds.img_paths[t]))
    assert sample.pose_maps.shape == (18, H, W)
    np.testing.assert_allclose(
        sample.pose_maps.numpy(), expected_maps(image_keypoints(t)),
        atol=1e-6)
    assert (sample.origin_idx, sample.target_idx) == (o, t)
    assert (sample.origin_pid, sample.target_pid) == (1, 1)
    assert sample.origin_path == ds.img_paths[o]
    assert sample.target_path == ds.img_paths[t]


def test_demo_dataset(tmp_path):
    small = dict(
        num_train_ids=3,
        num_test_ids=2,
        num_cameras=2,
        images_per_id=4,
        img_size=(64, 32),
        num_distractors=1,
        num_junk=1)
    root = str(tmp_path / 'demo')
    ds = DATASETS.build(
        dict(
            type='PoseTransferPairDataset',
            dataset=dict(
                type='DemoReID',
                data_root=root,
                keypoint_file='keypoints_coco17.json',
                pipeline=[
                    dict(type='LoadReIDImage'),
                    dict(type='ReIDResize', scale=(16, 32)),
                    dict(type='PackReIDInputs')
                ],
                **small),
            target_pipeline=[
                dict(type='LoadReIDImage'),
                dict(type='ReIDResize', scale=(16, 32)),
                dict(
                    type='KeypointsToHeatmaps',
                    sigma=1,
                    target_format='openpose18',
                    out_key='pose_maps'),
                dict(type='PackReIDInputs', pose_keys=['pose_maps'])
            ]))
    assert len(ds) == 12 * 4
    with open(osp.join(root, 'keypoints_coco17.json')) as f:
        cache = json.load(f)['keypoints']
    i, j, ti, tj = ds.draw_pairs(0)[0]
    s = ds[(i, j, ti, tj)]['data_samples']
    assert s.pose_maps.shape == (2, 18, 32, 16)
    rel = osp.relpath(ds.img_paths[ti], root).replace(osp.sep, '/')
    nose = np.asarray(cache[rel], np.float32)[0]
    if nose[2] > 0:
        # Half-size maps: pixel centre (x + 0.5) / 2 - 0.5.
        x, y = (nose[:2] + 0.5) / 2 - 0.5
        yy, xx = np.unravel_index(s.pose_maps[0, 0].argmax().item(), (32, 16))
        assert abs(xx - x) <= 0.5 + 1e-4 and abs(yy - y) <= 0.5 + 1e-4
        d2 = (xx - x)**2 + (yy - y)**2
        assert s.pose_maps[0, 0, yy, xx].item() == pytest.approx(
            np.exp(-d2 / 2), abs=1e-5)


def test_held_out_pairs_skip_distractors_and_junk(tmp_path):
    """A distractor's pid (0) names no person: never a transfer origin."""
    root = str(tmp_path / 'demo')
    pipe = [dict(type='LoadReIDImage'), dict(type='PackReIDInputs')]
    ds = DATASETS.build(
        dict(
            type='PoseTransferPairDataset',
            dataset=dict(
                type='DemoReID',
                data_root=root,
                test_mode=True,
                keypoint_file='keypoints_coco17.json',
                pipeline=pipe,
                num_train_ids=2,
                num_test_ids=2,
                num_cameras=2,
                images_per_id=4,
                img_size=(32, 16),
                num_distractors=4,
                num_junk=0),
            target_pipeline=[
                dict(type='LoadReIDImage'),
                dict(
                    type='KeypointsToHeatmaps',
                    sigma=1,
                    target_format='openpose18',
                    out_key='pose_maps'),
                dict(type='PackReIDInputs', pose_keys=['pose_maps'])
            ]))
    assert (ds.pids == 0).sum() == 4
    persons = int((ds.pids > 0).sum())
    pairs = ds.fixed_transfer_pairs(persons + 3, seed=1)
    origins = [o for o, _ in pairs]
    assert all(ds.pids[o] > 0 for o in origins)
    assert len(set(origins[:persons])) == persons  # distinct, then cycled
    assert all(ds.pids[o] == ds.pids[t] and o != t for o, t in pairs)
