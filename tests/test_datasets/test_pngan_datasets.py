# Copyright (c) mmreid contributors. All rights reserved.
"""PN-GAN's data: ordered same-identity pairs with partner targets,
canonical pose images, the pose-normalised test items."""
import itertools
import json
import os
import os.path as osp
import shutil

import numpy as np
import pytest
import torch

from mmreid.datasets import (Market1501, PairDataset, PairSampler,
                             PoseNormalizedDataset, load_canonical_poses,
                             render_canonical_poses, synth_image_path)
from mmreid.datasets.transforms import RenderSkeleton
from mmreid.models import PoseTransferDataPreprocessor
from mmreid.structures.pose_clustering import pose_to_canvas
from mmreid.utils import register_all_modules
from . import test_pose_transfer_dataset as fdgan_data
from .test_pose_transfer_dataset import H, PIDS, W, build, load_bgr

register_all_modules()


@pytest.fixture
def root(tmp_path):
    """FD-GAN's pose-transfer test tree (3 identities, 6 PNG images)."""
    return fdgan_data.root.__wrapped__(tmp_path)


def skeleton_pipeline():
    return [
        dict(type='LoadReIDImage'),
        dict(type='ReIDResize', scale=(W, H)),
        dict(type='RenderSkeleton', out_key='pose_maps', stick_width=1,
             joint_radius=1),
        dict(type='PackReIDInputs', pose_keys=['pose_maps']),
    ]


def ordered_pairs(pids):
    """Every ordered pair of distinct images of one identity, by hand."""
    out = set()
    for pid in set(pids):
        idx = [i for i, p in enumerate(pids) if p == pid]
        out |= set(itertools.permutations(idx, 2))
    return out


def test_ordered_positives_are_all_ordered_same_identity_pairs(root):
    ds = PairDataset(Market1501(data_root=root), pairing='ordered_positives')
    pairs = ds.draw_pairs(0)
    assert len(pairs) == len(set(pairs)) == len(ds) == 3 * 2 + 2 * 1
    assert set(pairs) == ordered_pairs(PIDS)
    assert ds.num_negatives == 0
    assert ds.draw_pairs(5) == pairs  # the same list every epoch
    sampler = PairSampler(ds, seed=0)
    assert sorted(sampler) == sorted(pairs)  # shuffled, each once
    with pytest.raises(ValueError, match='no negatives'):
        PairDataset(Market1501(data_root=root), pairing='ordered_positives',
                    neg_per_pos=1)
    cross = PairDataset(Market1501(data_root=root),
                        pairing='ordered_positives', cross_camera_only=True)
    cams = cross.camids
    want = {(i, j) for i, j in ordered_pairs(PIDS) if cams[i] != cams[j]}
    assert set(cross.draw_pairs(0)) == want and len(want) == 4


def test_partner_items_are_single_transfers(root):
    ds = build(root, target=skeleton_pipeline(), pairing='ordered_positives',
               targets='partner')
    plain = Market1501(data_root=root, keypoint_file='kpts.json')
    for i, j in ds.draw_pairs(0):
        item = ds[(i, j)]
        s = item['data_samples']
        assert torch.equal(item['inputs'],
                           load_bgr(plain.get_data_info(i)['img_path']))
        assert torch.equal(s.target_img,
                           load_bgr(plain.get_data_info(j)['img_path']))
        # the target's own skeleton, H x W x 3 uint8
        want = RenderSkeleton(stick_width=1, joint_radius=1)(dict(
            img=np.zeros((H, W, 3), np.uint8),
            keypoints=plain.get_data_info(j)['keypoints']))['pose_img']
        assert s.pose_maps.dtype == torch.uint8
        np.testing.assert_array_equal(s.pose_maps.numpy(), want)
        assert s.origin_pid == s.target_pid == PIDS[i]
        assert s.origin_idx == i and s.target_idx == j
    assert ds[0]['data_samples'].target_idx == ds.draw_pairs(0)[0][1]
    # through the preprocessor: PoseTransferInputs in [-1, 1]
    pre = PoseTransferDataPreprocessor(mean=[127.5] * 3, std=[127.5] * 3,
                                       pose_as_image=True)
    items = [ds[p] for p in ds.draw_pairs(0)[:3]]
    x = pre(dict(inputs=[t['inputs'] for t in items],
                 data_samples=[t['data_samples'] for t in items]))['inputs']
    assert x.img.shape == x.target_img.shape == x.pose_maps.shape == (3, 3,
                                                                      H, W)
    with pytest.raises(ValueError, match='targets'):
        build(root, targets='other')


def test_random_targets_keep_float_heatmaps(root):
    ds = build(root)  # FD-GAN's default
    assert ds[0]['data_samples'].pose_maps.dtype == torch.float32


def write_poses(path, k=8):
    pose = np.zeros((17, 3), np.float32)
    # a standing pose in the body frame (hip centre 0, torso length 1)
    pose[[5, 6, 11, 12]] = [[0.3, -1, 1], [-0.3, -1, 1], [0.2, 0, 1],
                            [-0.2, 0, 1]]
    pose[[13, 14, 15, 16]] = [[0.2, 0.9, 1], [-0.2, 0.9, 1], [0.2, 1.8, 1],
                              [-0.2, 1.8, 1]]
    poses = [pose.copy() for _ in range(k)]
    for c in range(k):
        poses[c][15, 0] += 0.1 * c  # different left ankles
    with open(path, 'w') as f:
        json.dump(dict(format='coco17', normalized=[p.tolist()
                                                    for p in poses]), f)
    return poses


def test_canonical_poses_render_like_training_skeletons(tmp_path):
    path = str(tmp_path / 'canonical_poses.json')
    poses = write_poses(path)
    kpts, fmt = load_canonical_poses(path, (32, 64))
    assert fmt == 'coco17' and kpts.shape == (8, 17, 3)
    np.testing.assert_allclose(kpts[3], pose_to_canvas(poses[3], (32, 64)))
    imgs = render_canonical_poses(path, (32, 64), stick_width=2)
    assert imgs.shape == (8, 64, 32, 3) and imgs.dtype == np.uint8
    want = RenderSkeleton(stick_width=2)(dict(
        img=np.zeros((64, 32, 3), np.uint8), keypoints=kpts[3]))['pose_img']
    np.testing.assert_array_equal(imgs[3], want)
    assert not np.array_equal(imgs[0], imgs[7])
    with pytest.raises(FileNotFoundError, match='cluster_poses'):
        load_canonical_poses(str(tmp_path / 'none.json'), (32, 64))


def test_synth_paths_keep_the_folders():
    assert synth_image_path('/d/query/a.jpg', '/d', '/s', 0) == \
        '/s/query/a_pose0.png'
    assert synth_image_path('/d/bounding_box_test/a.jpg', '/d', '/s', 7) \
        == '/s/bounding_box_test/a_pose7.png'


def test_pose_normalized_items(tmp_path):
    from mmreid.testing import make_market_tree
    root = make_market_tree(str(tmp_path / 'm'))
    pipe = [dict(type='LoadReIDImage'), dict(type='ReIDResize',
                                             scale=(16, 32)),
            dict(type='PackReIDInputs')]
    test = Market1501(data_root=root, test_mode=True, pipeline=pipe)
    syn = str(tmp_path / 'syn')
    with pytest.raises(FileNotFoundError, match='synthesize_poses'):
        PoseNormalizedDataset(test, syn, num_poses=2)
    infos = [test.get_data_info(n) for n in range(len(test))]
    others = [d['img_path'] for d in infos]
    for n, d in enumerate(infos):
        for k in range(2):
            p = synth_image_path(d['img_path'], test.data_root, syn, k)
            os.makedirs(osp.dirname(p), exist_ok=True)
            # view k of image n: another image of the set, to tell apart
            shutil.copy(others[(n + k + 1) % len(others)], p)
    ds = PoseNormalizedDataset(test, syn, num_poses=2)
    assert len(ds) == len(test)
    assert ds.metainfo['num_query'] == test.metainfo['num_query']
    for n in range(len(ds)):
        item = ds[n]
        assert item['inputs'].shape == (3, 3, 32, 16)
        assert torch.equal(item['inputs'][0], test[n]['inputs'])
        for k in range(2):
            assert torch.equal(item['inputs'][1 + k],
                               test[(n + k + 1) % len(test)]['inputs'])
        assert item['data_samples'].split == test[n]['data_samples'].split
