# Copyright (c) mmreid contributors. All rights reserved.
import numpy as np
import pytest

from mmreid.structures.pose_clustering import (cluster_poses, masked_kmeans,
                                               normalize_poses, pose_to_canvas)


def _toy_poses(n_per=30, seed=0):
    """Three pose types, random scale / position / noise / missing points."""
    rng = np.random.default_rng(seed)
    base = rng.uniform(-1, 1, (3, 17, 2))
    # a fixed torso frame for all types: shoulders y=-1, hips y=0
    for b in base:
        b[[5, 6, 11, 12]] = [[0.3, -1], [-0.3, -1], [0.2, 0], [-0.2, 0]]
    kpts, truth = [], []
    for t in range(3):
        for _ in range(n_per):
            s = rng.uniform(20, 60)
            off = rng.uniform(0, 100, 2)
            p = (base[t] + rng.normal(0, 0.03, (17, 2))) * s + off
            score = np.ones(17)
            score[rng.choice([0, 1, 2, 3, 4, 7, 9, 15], 2)] = 0  # missing
            kpts.append(np.concatenate([p, score[:, None]], 1))
            truth.append(t)
    return np.array(kpts, np.float32), np.array(truth)


def test_normalize_poses():
    kpts, _ = _toy_poses(2)
    poses, mask, valid = normalize_poses(kpts, 'coco17')
    assert valid.all()
    np.testing.assert_allclose(poses[:, [11, 12]].mean(1), 0, atol=1e-5)
    torso = np.linalg.norm(poses[:, [5, 6]].mean(1), axis=1)
    np.testing.assert_allclose(torso, 1, rtol=1e-5)
    assert (poses[~mask] == 0).all()
    kpts[0, 11, 2] = 0  # one hip missing: the other is the origin
    poses, _, valid = normalize_poses(kpts)
    assert valid.all() and poses[0, 12].tolist() == [0, 0]
    kpts[0, 12, 2] = 0  # both hips missing: estimated from the knees
    kpts[0, [13, 14]] = kpts[0, [5, 6]] + [[0, 100, 0], [0, 100, 0]]
    poses, _, valid = normalize_poses(kpts)
    assert valid[0]
    np.testing.assert_allclose(poses[0, [5, 6], 1].mean(), -1)
    np.testing.assert_allclose(poses[0, [13, 14], 1].mean(), 45 / 55)
    kpts[0, [13, 14], 2] = 0  # ... and knees: no body frame
    _, _, valid = normalize_poses(kpts)
    assert not valid[0] and valid[1:].all()
    _, _, valid = normalize_poses(kpts, min_visible=17)
    assert not valid.any()


def test_kmeans_recovers_known_clusters():
    kpts, truth = _toy_poses()
    kpts[5, [5, 6], 2] = 0  # left out
    res = cluster_poses(kpts, k=3, seed=3)
    assert res['labels'][5] == -1 and res['num_valid'] == 89
    keep = res['labels'] >= 0
    for c in range(3):
        members = truth[keep][res['labels'][keep] == c]
        assert len(set(members.tolist())) == 1  # pure clusters
    assert sorted(res['sizes'].tolist()) == [29, 30, 30]
    assert res['sizes'][0] >= res['sizes'][-1]  # sorted by size
    assert res['poses'].shape == (3, 17, 3)
    # medoids are members of their cluster with a real pose
    for c, m in enumerate(res['medoids']):
        assert res['labels'][m] == c
    # deterministic
    again = cluster_poses(kpts, k=3, seed=3)
    np.testing.assert_array_equal(again['labels'], res['labels'])
    mean = cluster_poses(kpts, k=3, seed=3, representative='mean')
    assert mean['poses'][..., 2].min() == 1  # >= half see every keypoint


def test_kmeans_errors_and_empty_clusters():
    p = np.zeros((4, 2, 2))
    m = np.ones((4, 2), bool)
    centers, labels, inertia = masked_kmeans(p, m, 3, n_init=2)
    assert len(set(labels.tolist())) == 3 and inertia == 0
    with pytest.raises(ValueError):
        masked_kmeans(p, m, 5)
    kpts, _ = _toy_poses(1)
    with pytest.raises(ValueError, match='need at least k=8'):
        cluster_poses(kpts, k=8)
    with pytest.raises(ValueError):
        cluster_poses(kpts, k=2, representative='median')


def test_pose_to_canvas_fits():
    kpts, _ = _toy_poses(1)
    res = cluster_poses(kpts, k=3)
    for pose in res['poses']:
        c = pose_to_canvas(pose, (64, 128), margin=0.1)
        v = c[:, 2] > 0
        assert c[v, 0].min() >= 6 - 0.5 - 1e-3
        assert c[v, 0].max() <= 64 - 6.4 - 0.5 + 1e-3 + 0.1
        assert c[v, 1].min() >= 12.8 - 0.5 - 1e-3
        assert c[v, 1].max() <= 128 - 12.8 - 0.5 + 1e-3
