# Copyright (c) mmreid contributors. All rights reserved.
"""PN-GAN's canonical pose images, from ``tools/misc/cluster_poses.py``.

``cluster_poses.py`` clusters the training set's poses once per dataset
and writes ``canonical_poses.json`` (normally under the work dir of the
PN-GAN GAN config: ``work_dirs/<config>/canonical_poses/``). At
generation time each canonical pose is fitted into the generator's image
size (:func:`~mmreid.structures.pose_clustering.pose_to_canvas`) and
rendered by :class:`~mmreid.datasets.transforms.RenderSkeleton`, the
transform that renders the training targets' pose images.
"""
import json
import os.path as osp
from typing import Sequence, Tuple

import numpy as np

from mmreid.structures.pose_clustering import pose_to_canvas
from .transforms.pose_targets import RenderSkeleton


def load_canonical_poses(path: str,
                         img_size: Sequence[int]) -> Tuple[np.ndarray, str]:
    """The canonical poses of ``path`` fitted into ``img_size``.

    Args:
        path (str): A ``canonical_poses.json`` of ``cluster_poses.py``.
        img_size (Sequence[int]): ``(w, h)`` of the images to render.

    Returns:
        tuple: ``(k, K, 3)`` float32 keypoints in image pixels and their
        format name.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'canonical poses {path} do not exist; compute them once per '
            'dataset with tools/misc/cluster_poses.py CONFIG (it writes '
            '<work_dir>/canonical_poses/canonical_poses.json)')
    with open(path) as f:
        data = json.load(f)
    for key in ('normalized', 'format'):
        if key not in data:
            raise KeyError(f'{path}: no {key!r}; is it a canonical_poses.json '
                           'of tools/misc/cluster_poses.py?')
    poses = np.asarray(data['normalized'], np.float32)
    if poses.ndim != 3 or poses.shape[-1] != 3 or not len(poses):
        raise ValueError(f'{path}: "normalized" must be k x K x 3, got '
                         f'shape {poses.shape}')
    w, h = (int(v) for v in img_size)
    kpts = np.stack([pose_to_canvas(p, (w, h)) for p in poses])
    return kpts, str(data['format'])


def render_canonical_poses(path: str,
                           img_size: Sequence[int],
                           stick_width: int = 4,
                           joint_radius: int = 4) -> np.ndarray:
    """Render the canonical poses as PN-GAN skeleton images.

    Args:
        path (str): A ``canonical_poses.json``.
        img_size (Sequence[int]): ``(w, h)``.
        stick_width (int): As :class:`RenderSkeleton` (use the training
            pipeline's value). Defaults to 4.
        joint_radius (int): As :class:`RenderSkeleton`. Defaults to 4.

    Returns:
        np.ndarray: ``k x h x w x 3`` uint8 BGR skeleton images.

    Examples:
        >>> import json, tempfile
        >>> pose = np.zeros((17, 3), np.float32)
        >>> pose[[5, 6, 11, 12]] = [[1, -1, 1], [-1, -1, 1], [1, 0, 1],
        ...                         [-1, 0, 1]]
        >>> path = osp.join(tempfile.mkdtemp(), 'canonical_poses.json')
        >>> with open(path, 'w') as f:
        ...     json.dump(dict(format='coco17',
        ...                    normalized=[pose.tolist()] * 8), f)
        >>> render_canonical_poses(path, (32, 64)).shape
        (8, 64, 32, 3)
    """
    kpts, fmt = load_canonical_poses(path, img_size)
    w, h = (int(v) for v in img_size)
    render = RenderSkeleton(stick_width=stick_width,
                            joint_radius=joint_radius,
                            out_key='pose_img')
    return np.stack([
        render(dict(img_shape=(h, w), keypoints=k,
                    keypoint_format=fmt))['pose_img'] for k in kpts
    ])


def synth_image_path(img_path: str, data_root: str, synth_root: str,
                     pose: int) -> str:
    """Where the synthesis step caches image ``img_path`` in pose ``pose``.

    ``<synth_root>/<img_path relative to data_root, no extension>_pose<k>
    .png``, so images of different folders (query, gallery) never collide.

    Args:
        img_path (str): The original image.
        data_root (str): Its dataset's root.
        synth_root (str): The cache folder of the synthesised images.
        pose (int): Canonical pose index.

    Returns:
        str: The path.

    Examples:
        >>> synth_image_path('data/m/query/1.jpg', 'data/m', 'syn', 3)
        'syn/query/1_pose3.png'
    """
    rel = osp.relpath(img_path, data_root)
    if rel.startswith('..'):
        rel = osp.basename(img_path)
    return osp.join(synth_root, f'{osp.splitext(rel)[0]}_pose{pose}.png')
