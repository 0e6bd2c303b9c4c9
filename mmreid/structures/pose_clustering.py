# Copyright (c) mmreid contributors. All rights reserved.
"""Canonical poses: k-means over normalised body poses (PN-GAN).

PN-GAN renders every image in 8 *canonical poses* found by clustering the
poses of the training set. The paper clusters
VGG features of skeleton images; we cluster the keypoints themselves [D],
which needs no network and gives the same kind of result (front / back /
side views, stride phases):

1. :func:`normalize_poses` puts every pose in a body frame: origin at the
   hip centre, unit = torso length (shoulder centre to hip centre), where a
   centre is the midpoint of the two keypoints, or the visible one of them
   (side views). With no hip visible, the hip centre is estimated at 0.55
   of the way from the shoulder centre to the knee centre (adult body
   proportions) [D]. Poses with no shoulder, or neither hips nor knees, have
   no body frame and are left out; so are poses with fewer than
   ``min_visible`` visible keypoints.
2. :func:`masked_kmeans` clusters them with k-means++ initialisation,
   seeded. **Missing-value rule:** a missing keypoint is ignored: the
   distance of a pose to a centre is the mean squared error over the pose's
   visible keypoints (times K), and a centre's keypoint is the mean over
   the members where it is visible.
3. :func:`cluster_poses` picks one representative per cluster: the
   *medoid* (the member nearest to the centre among those with the most
   visible keypoints; a real pose, re-rendered cleanly: PN-GAN's
   "mean pose image" read as the medoid [D]) or the *mean* (the centre,
   keypoints visible where at least half of the members see them).
4. :func:`pose_to_canvas` maps a normalised pose into an image of a given
   size, for rendering with :func:`mmreid.datasets.transforms.pose_targets.
   render_pose_image`.

Examples:
    >>> rng = np.random.default_rng(0)
    >>> base = np.zeros((17, 3), np.float32)
    >>> base[:, 2] = 1
    >>> base[[5, 6, 11, 12], :2] = [[40, 30], [20, 30], [38, 70], [22, 70]]
    >>> poses = np.repeat(base[None], 20, 0)
    >>> poses[10:, 0, 0] += 50  # two kinds of "nose"
    >>> res = cluster_poses(poses, k=2, seed=0)
    >>> sorted(res['sizes'].tolist())
    [10, 10]
"""
from typing import Optional, Sequence, Tuple

import numpy as np

from .pose_formats import get_pose_format, infer_pose_format


def body_frame(
        kpts: np.ndarray,
        kpt_format: str = 'coco17'
) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The body frame of poses: hip centre and torso length.

    A centre is the midpoint of the two hips (shoulders), or the visible one
    when only one is visible. Without hips, the hip centre is taken at 0.55
    of the way from the shoulder centre to the knee centre.

    Args:
        kpts (np.ndarray): ``(N, K, 3)`` keypoints.
        kpt_format (str): Their format. Defaults to ``'coco17'``.

    Returns:
        tuple: ``origin`` (N, 2) hip centres, ``scale`` (N,) torso
        lengths, ``ok`` (N,) bool, False where both shoulders, or both hips
        and both knees, are missing, or the torso length is 0.
    """
    pf = get_pose_format(kpt_format)
    kpts = np.asarray(kpts, dtype=np.float64)

    def centre(names):
        idx = list(pf.indices(names))
        w = (kpts[:, idx, 2] > 0).astype(np.float64)
        num = w.sum(1)
        c = (kpts[:, idx, :2] * w[..., None]).sum(1) / np.maximum(num, 1)[:,
                                                                          None]
        return c, num > 0

    hip, hip_ok = centre(['left_hip', 'right_hip'])
    sho, sho_ok = centre(['left_shoulder', 'right_shoulder'])
    knee, knee_ok = centre(['left_knee', 'right_knee'])
    guess = ~hip_ok & knee_ok
    hip[guess] = sho[guess] + 0.55 * (knee[guess] - sho[guess])
    hip_ok = hip_ok | guess
    scale = np.linalg.norm(sho - hip, axis=1)
    ok = hip_ok & sho_ok & (scale > 1e-6)
    return hip, scale, ok


def normalize_poses(
        kpts: np.ndarray,
        kpt_format: Optional[str] = None,
        min_visible: int = 0) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Express poses in their body frame (see the module doc).

    Args:
        kpts (np.ndarray): ``(N, K, 3)`` keypoints in image pixels.
        kpt_format (str, optional): Their format (inferred from K if None).
        min_visible (int): Poses with fewer visible keypoints are invalid.
            Defaults to 0.

    Returns:
        tuple: ``poses`` (N, K, 2) normalised coordinates (0 where
        missing), ``mask`` (N, K) bool visible keypoints, ``valid`` (N,)
        bool poses that have a body frame and enough keypoints.

    Examples:
        >>> k = np.zeros((1, 17, 3))
        >>> k[0, :, 2] = 1
        >>> k[0, [5, 6, 11, 12], :2] = [[12, 0], [8, 0], [12, 20], [8, 20]]
        >>> poses, mask, valid = normalize_poses(k)
        >>> poses[0, 5].tolist(), bool(valid[0])
        ([0.1, -1.0], True)
    """
    kpts = np.asarray(kpts, dtype=np.float64)
    kpt_format = kpt_format or infer_pose_format(kpts)
    origin, scale, ok = body_frame(kpts, kpt_format)
    mask = kpts[..., 2] > 0
    safe = np.where(ok, scale, 1.0)
    poses = (kpts[..., :2] - origin[:, None]) / safe[:, None, None]
    poses[~mask] = 0
    valid = ok & (mask.sum(1) >= min_visible)
    return poses, mask, valid


def _masked_dist(poses: np.ndarray, mask: np.ndarray,
                 centers: np.ndarray) -> np.ndarray:
    """``(N, k)`` distances: mean squared error over visible keypoints."""
    diff = poses[:, None] - centers[None]  # N, k, K, 2
    sq = (diff**2).sum(-1) * mask[:, None]  # N, k, K
    num = np.maximum(mask.sum(1), 1)[:, None]
    return sq.sum(-1) / num * mask.shape[1]


def _centers(poses, mask, labels, k, fallback):
    """Masked means of each cluster (``fallback`` where nobody sees)."""
    centers = np.empty((k, ) + poses.shape[1:])
    for c in range(k):
        m = mask[labels == c]
        p = poses[labels == c]
        cnt = m.sum(0)
        mean = (p * m[..., None]).sum(0) / np.maximum(cnt, 1)[:, None]
        centers[c] = np.where(cnt[:, None] > 0, mean, fallback)
    return centers


def masked_kmeans(poses: np.ndarray,
                  mask: np.ndarray,
                  k: int,
                  seed: int = 0,
                  n_init: int = 10,
                  max_iter: int = 100) -> Tuple[np.ndarray, np.ndarray, float]:
    """k-means (k-means++ init) with missing keypoints ignored.

    Args:
        poses (np.ndarray): ``(N, K, 2)`` normalised poses.
        mask (np.ndarray): ``(N, K)`` bool, visible keypoints.
        k (int): Number of clusters (<= N).
        seed (int): Random seed. Defaults to 0.
        n_init (int): Restarts; the run with the lowest inertia is kept.
            Defaults to 10.
        max_iter (int): Iterations per run. Defaults to 100.

    Returns:
        tuple: ``centers`` (k, K, 2), ``labels`` (N,) and the inertia (sum
        of distances of the poses to their centre).

    Examples:
        >>> p = np.array([[[0., 0.]], [[0., .1]], [[5., 5.]], [[5., 5.1]]])
        >>> c, labels, _ = masked_kmeans(p, np.ones((4, 1), bool), 2)
        >>> bool(labels[0] == labels[1] != labels[2] == labels[3])
        True
    """
    poses = np.asarray(poses, dtype=np.float64)
    mask = np.asarray(mask, dtype=bool)
    n = len(poses)
    if not 1 <= k <= n:
        raise ValueError(f'k-means needs 1 <= k <= number of poses, got '
                         f'k={k} for {n} poses')
    rng = np.random.default_rng(seed)
    cnt = mask.sum(0)
    fallback = (poses * mask[..., None]).sum(0) / np.maximum(cnt, 1)[:, None]
    filled = np.where(mask[..., None], poses, fallback)
    best = None
    for _ in range(max(1, n_init)):
        # k-means++: the next centre is drawn with probability ~ D^2.
        centers = [filled[rng.integers(n)]]
        for _ in range(1, k):
            d = _masked_dist(poses, mask, np.stack(centers)).min(1)
            total = d.sum()
            idx = rng.choice(n, p=d / total) if total > 0 else rng.integers(n)
            centers.append(filled[idx])
        centers = np.stack(centers)
        labels = np.full(n, -1)
        for _ in range(max_iter):
            dist = _masked_dist(poses, mask, centers)
            new = dist.argmin(1)
            for c in range(k):  # re-seed an empty cluster: farthest pose
                if not (new == c).any():
                    d = dist[np.arange(n), new]
                    # ... that does not leave its own cluster empty
                    d[np.bincount(new, minlength=k)[new] <= 1] = -1
                    new[d.argmax()] = c
            if (new == labels).all():
                break
            labels = new
            centers = _centers(poses, mask, labels, k, fallback)
        inertia = float(
            _masked_dist(poses, mask, centers)[np.arange(n), labels].sum())
        if best is None or inertia < best[2]:
            best = (centers, labels, inertia)
    return best


def cluster_poses(kpts: np.ndarray,
                  k: int = 8,
                  kpt_format: Optional[str] = None,
                  seed: int = 0,
                  n_init: int = 10,
                  max_iter: int = 100,
                  min_visible: int = 0,
                  representative: str = 'medoid') -> dict:
    """Cluster poses into ``k`` canonical poses (see the module doc).

    Args:
        kpts (np.ndarray): ``(N, K, 3)`` keypoints in image pixels.
        k (int): Number of canonical poses. Defaults to 8 (PN-GAN).
        kpt_format (str, optional): Their format (inferred if None).
        seed (int): Random seed. Defaults to 0.
        n_init (int): k-means restarts. Defaults to 10.
        max_iter (int): Iterations per restart. Defaults to 100.
        min_visible (int): Poses with fewer visible keypoints are left
            out. Defaults to 0.
        representative (str): ``'medoid'`` or ``'mean'``. Defaults to
            ``'medoid'``.

    Returns:
        dict: Clusters sorted by size (largest first):

        - ``poses`` (k, K, 3): canonical poses in the body frame (x, y,
          visibility).
        - ``centers`` (k, K, 2): the k-means centres.
        - ``labels`` (N,): cluster of each input pose, -1 if left out.
        - ``sizes`` (k,): members per cluster.
        - ``medoids`` (k,): input index of each medoid.
        - ``num_valid`` (int), ``inertia`` (float), ``kpt_format`` (str).
    """
    if representative not in ('medoid', 'mean'):
        raise ValueError(f"representative must be 'medoid' or 'mean', got "
                         f'{representative!r}')
    kpts = np.asarray(kpts, dtype=np.float64)
    kpt_format = kpt_format or infer_pose_format(kpts)
    poses, mask, valid = normalize_poses(kpts, kpt_format, min_visible)
    idx = np.flatnonzero(valid)
    if len(idx) < k:
        raise ValueError(
            f'only {len(idx)} of {len(kpts)} poses have both shoulders, '
            f'both hips and >= {min_visible} visible keypoints; need at '
            f'least k={k}')
    centers, labels, inertia = masked_kmeans(poses[idx], mask[idx], k, seed,
                                             n_init, max_iter)
    order = np.argsort(-np.bincount(labels, minlength=k), kind='stable')
    remap = np.empty(k, int)
    remap[order] = np.arange(k)
    labels, centers = remap[labels], centers[order]
    dist = _masked_dist(poses[idx], mask[idx], centers)
    out_poses = np.zeros((k, kpts.shape[1], 3))
    medoids = np.zeros(k, int)
    for c in range(k):
        members = np.flatnonzero(labels == c)
        nvis = mask[idx][members].sum(1)
        cand = members[nvis == nvis.max()]
        m = cand[dist[cand, c].argmin()]
        medoids[c] = idx[m]
        if representative == 'medoid':
            out_poses[c, :, :2] = poses[idx[m]]
            out_poses[c, :, 2] = mask[idx[m]]
        else:
            out_poses[c, :, :2] = centers[c]
            out_poses[c, :, 2] = mask[idx][members].mean(0) >= 0.5
    all_labels = np.full(len(kpts), -1)
    all_labels[idx] = labels
    return dict(
        poses=out_poses.astype(np.float32),
        centers=centers.astype(np.float32),
        labels=all_labels,
        sizes=np.bincount(labels, minlength=k),
        medoids=medoids,
        num_valid=int(len(idx)),
        inertia=inertia,
        kpt_format=kpt_format)


def pose_to_canvas(pose: np.ndarray,
                   size: Sequence[int] = (128, 256),
                   margin: float = 0.08) -> np.ndarray:
    """Fit a normalised pose into an image, centred, aspect kept.

    Args:
        pose (np.ndarray): ``(K, 3)`` pose (x, y, visibility).
        size (Sequence[int]): Image ``(w, h)``. Defaults to ``(128, 256)``.
        margin (float): Border as a fraction of each side. Defaults to
            0.08.

    Returns:
        np.ndarray: ``(K, 3)`` float32 keypoints in image pixels.

    Examples:
        >>> p = np.array([[0, -1, 1], [0, 1, 1], [9, 9, 0]], np.float32)
        >>> pose_to_canvas(p, (10, 20), margin=0.).tolist()
        [[4.5, -0.5, 1.0], [4.5, 19.5, 1.0], [9.0, 9.0, 0.0]]
    """
    pose = np.asarray(pose, dtype=np.float64)
    w, h = size
    vis = pose[:, 2] > 0
    out = pose.copy()
    if not vis.any():
        return out.astype(np.float32)
    lo, hi = pose[vis, :2].min(0), pose[vis, :2].max(0)
    span = np.maximum(hi - lo, 1e-6)
    # the image covers [-0.5, w - 0.5] x [-0.5, h - 0.5]
    avail = np.array([w, h]) * (1 - 2 * margin)
    s = float((avail / span).min())
    centre = (lo + hi) / 2
    out[vis, :2] = (pose[vis, :2] - centre) * s + np.array([w, h]) / 2 - 0.5
    return out.astype(np.float32)
