# Copyright (c) mmreid contributors. All rights reserved.
"""The keypoint cache: one file mapping image paths to body keypoints.

Written by ``tools/misc/extract_keypoints.py`` (from an MMPose estimator) and
by the demo dataset generator (exact ground truth). Datasets read it through
their ``keypoint_file=`` argument.

File format (JSON)::

    {
      "format": "coco17",              # keypoint convention (see pose formats)
      "num_keypoints": 17,
      "estimator": {"config": ..., "checkpoint": ...},  # or "ground_truth"
      "keypoints": {"bounding_box_train/0001_c1s1_000001_00.jpg":
                    [[x, y, score], ...], ...}
    }

Coordinates are in original-image pixels; paths are relative to the dataset
root, with forward slashes.
"""
import json
import os
import os.path as osp
from typing import Dict, Iterable, Optional

import numpy as np

NUM_KEYPOINTS = {'coco17': 17, 'openpose18': 18}


class KeypointCacheError(ValueError):
    """Raised when a keypoint cache does not match its dataset."""


def save_keypoint_cache(path: str,
                        keypoints: Dict[str, np.ndarray],
                        kpt_format: str = 'coco17',
                        estimator: Optional[dict] = None) -> None:
    """Write a keypoint cache atomically.

    Args:
        path (str): Output file (``.json``).
        keypoints (dict[str, np.ndarray]): Relative image path -> (K, 3)
            array of x, y, score.
        kpt_format (str): ``'coco17'`` or ``'openpose18'``.
        estimator (dict, optional): How the keypoints were obtained, e.g.
            ``dict(config=..., checkpoint=...)`` or
            ``dict(type='ground_truth')``.

    Examples:
        >>> import tempfile, numpy as np
        >>> f = tempfile.mktemp(suffix='.json')
        >>> save_keypoint_cache(f, {'a.jpg': np.zeros((17, 3))})
        >>> load_keypoint_cache(f)['keypoints']['a.jpg'].shape
        (17, 3)
    """
    num = NUM_KEYPOINTS[kpt_format]
    out = {}
    for rel, kpts in keypoints.items():
        arr = np.asarray(kpts, dtype=np.float32)
        if arr.shape != (num, 3):
            raise KeypointCacheError(
                f'keypoints of {rel!r} have shape {arr.shape}, expected '
                f'({num}, 3) for format {kpt_format!r}')
        out[rel.replace(os.sep, '/')] = np.round(arr, 3).tolist()
    payload = dict(
        format=kpt_format,
        num_keypoints=num,
        estimator=estimator or {},
        keypoints=out)
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = f'{path}.tmp'
    with open(tmp, 'w') as f:
        json.dump(payload, f)
    os.replace(tmp, path)


def load_keypoint_cache(path: str) -> dict:
    """Read a keypoint cache and check its internal consistency.

    Args:
        path (str): The cache file.

    Returns:
        dict: ``format``, ``num_keypoints``, ``estimator`` and ``keypoints``
        (relative path -> float32 array (K, 3)).

    Raises:
        FileNotFoundError: If ``path`` does not exist.
        KeypointCacheError: If an entry has the wrong number of keypoints.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'keypoint cache not found: {path}')
    with open(path) as f:
        payload = json.load(f)
    for key in ('format', 'keypoints'):
        if key not in payload:
            raise KeypointCacheError(
                f'keypoint cache {path} has no {key!r} entry; is it a file '
                'written by tools/misc/extract_keypoints.py?')
    kpt_format = payload['format']
    if kpt_format not in NUM_KEYPOINTS:
        raise KeypointCacheError(
            f'keypoint cache {path}: unknown format {kpt_format!r}, '
            f'expected one of {sorted(NUM_KEYPOINTS)}')
    num = NUM_KEYPOINTS[kpt_format]
    kpts = {}
    for rel, value in payload['keypoints'].items():
        arr = np.asarray(value, dtype=np.float32)
        if arr.shape != (num, 3):
            raise KeypointCacheError(
                f'keypoint cache {path}: entry {rel!r} has shape '
                f'{arr.shape}, expected ({num}, 3) for {kpt_format!r}')
        kpts[rel] = arr
    payload['keypoints'] = kpts
    payload['num_keypoints'] = num
    return payload


def match_keypoint_cache(cache: dict, rel_paths: Iterable[str],
                         cache_path: str = '') -> Dict[str, np.ndarray]:
    """Check that a cache covers exactly the given images.

    Args:
        cache (dict): As returned by :func:`load_keypoint_cache`.
        rel_paths (Iterable[str]): Relative paths of the dataset's images.
        cache_path (str): The cache's file name, for error messages.

    Returns:
        dict[str, np.ndarray]: The keypoints of each path.

    Raises:
        KeypointCacheError: Naming the first missing and extra entries.
    """
    wanted = set(rel_paths)
    have = set(cache['keypoints'])
    missing = sorted(wanted - have)
    if missing:
        raise KeypointCacheError(
            f'keypoint cache {cache_path} misses {len(missing)} image(s) of '
            f'the dataset, e.g. {missing[:3]}; re-run '
            'tools/misc/extract_keypoints.py on this dataset')
    return {p: cache['keypoints'][p] for p in wanted}


def check_no_extra_entries(cache: dict, all_rel_paths: Iterable[str],
                           cache_path: str = '') -> None:
    """Raise if a cache has entries for images the dataset does not have.

    Args:
        cache (dict): As returned by :func:`load_keypoint_cache`.
        all_rel_paths (Iterable[str]): Relative paths of every image of the
            dataset (all splits the cache is meant for).
        cache_path (str): The cache's file name, for error messages.
    """
    extra = sorted(set(cache['keypoints']) - set(all_rel_paths))
    if extra:
        raise KeypointCacheError(
            f'keypoint cache {cache_path} has {len(extra)} entries for '
            f'images not in the dataset, e.g. {extra[:3]}; it was made for '
            'another dataset or another version of it')
