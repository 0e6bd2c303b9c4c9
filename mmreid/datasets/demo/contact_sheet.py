# Copyright (c) mmreid contributors. All rights reserved.
"""A contact sheet of the demo dataset (a visual check of the rendering)."""
import os
import os.path as osp
from collections import defaultdict
from typing import Optional

import cv2
import numpy as np

from mmreid.structures.pose_formats import COCO17_KEYPOINTS, COCO17_SKELETON
from ..keypoint_cache import load_keypoint_cache
from ..market_style import parse_market_style_folder
from .generate import KEYPOINT_FILE, SPLIT_DIRS

_LEFT, _RIGHT, _MID = (0, 220, 0), (0, 140, 255), (255, 80, 255)


def _kpt_color(i: int):
    """Left keypoints green, right orange, centre (nose) magenta (BGR)."""
    name = COCO17_KEYPOINTS[i]
    if name.startswith('left'):
        return _LEFT
    return _RIGHT if name.startswith('right') else _MID


def draw_contact_sheet(root: str,
                       out_file: Optional[str],
                       num_ids: int = 4,
                       per_id: int = 6,
                       draw_keypoints: bool = True,
                       zoom: int = 3,
                       split: str = 'train') -> np.ndarray:
    """Tile some identities' images, one row per identity.

    Images of a row are spread over the identity's cameras; visible
    keypoints (score > 0) and the COCO-17 skeleton are drawn on top (left
    side green, right side orange).

    Args:
        root (str): A demo (or any Market-1501-layout) dataset root.
        out_file (str, optional): Where to write the sheet (PNG); None to
            only return it.
        num_ids (int): Rows (the first ids by pid). Defaults to 4.
        per_id (int): Images per row. Defaults to 6.
        draw_keypoints (bool): Overlay the keypoint cache. Defaults to True.
        zoom (int): Integer upscaling of each image. Defaults to 3.
        split (str): ``'train'``, ``'query'`` or ``'gallery'``.

    Returns:
        np.ndarray: The sheet (BGR uint8).

    Examples:
        >>> import tempfile, os.path as osp
        >>> from mmreid.datasets.demo import generate_demo_dataset
        >>> root = osp.join(tempfile.mkdtemp(), 'demo')
        >>> _ = generate_demo_dataset(root, 2, 2, 2, 4, (32, 16), 0, 0, 0)
        >>> draw_contact_sheet(root, None, 2, 3, zoom=1).shape
        (68, 56, 3)
    """
    folder = osp.join(root, SPLIT_DIRS[split])
    records, _ = parse_market_style_folder(folder)
    by_pid = defaultdict(list)
    for r in records:
        if r['pid'] > 0:
            by_pid[r['pid']].append(r)
    kpts = {}
    cache_file = osp.join(root, KEYPOINT_FILE)
    if draw_keypoints and osp.isfile(cache_file):
        kpts = load_keypoint_cache(cache_file)['keypoints']
    rows = []
    tile_shape = None
    for pid in sorted(by_pid)[:num_ids]:
        recs = by_pid[pid]
        # Round-robin over cameras so that a row shows several of them.
        by_cam = defaultdict(list)
        for r in recs:
            by_cam[r['camid']].append(r)
        picked, i = [], 0
        while len(picked) < min(per_id, len(recs)):
            for cam in sorted(by_cam):
                if i < len(by_cam[cam]) and len(picked) < per_id:
                    picked.append(by_cam[cam][i])
            i += 1
        tiles = []
        for r in picked:
            img = cv2.imread(r['img_path'], cv2.IMREAD_COLOR)
            h, w = img.shape[:2]
            img = cv2.resize(
                img, (w * zoom, h * zoom), interpolation=cv2.INTER_NEAREST)
            rel = osp.relpath(r['img_path'], root).replace(os.sep, '/')
            if rel in kpts:
                _draw_keypoints(img, kpts[rel], zoom)
            cv2.putText(img, f'{pid} c{r["camid"] + 1}',
                        (2, 10 * zoom // 3 + 4), cv2.FONT_HERSHEY_PLAIN,
                        0.7 * max(1, zoom) / 3, (255, 255, 255), 1,
                        cv2.LINE_AA)
            tiles.append(img)
        tile_shape = tiles[0].shape
        while len(tiles) < per_id:
            tiles.append(np.zeros(tile_shape, np.uint8))
        rows.append(_hstack(tiles))
    if not rows:
        raise ValueError(f'no identities found in {folder}')
    sheet = _vstack(rows)
    if out_file:
        os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
        cv2.imwrite(out_file, sheet)
    return sheet


def _hstack(tiles, gap: int = 4) -> np.ndarray:
    """Concatenate tiles horizontally with a grey gap."""
    h = tiles[0].shape[0]
    sep = np.full((h, gap, 3), 90, np.uint8)
    out = [tiles[0]]
    for t in tiles[1:]:
        out += [sep, t]
    return np.concatenate(out, axis=1)


def _vstack(rows, gap: int = 4) -> np.ndarray:
    """Concatenate rows vertically with a grey gap."""
    w = rows[0].shape[1]
    sep = np.full((gap, w, 3), 90, np.uint8)
    out = [rows[0]]
    for r in rows[1:]:
        out += [sep, r]
    return np.concatenate(out, axis=0)


def _draw_keypoints(img: np.ndarray, kpts: np.ndarray, zoom: int) -> None:
    """Draw visible keypoints and skeleton links on a zoomed image."""

    def pt(i):
        # Pixel centres: x in original pixels maps to (x + 0.5) * zoom.
        return (int(round((kpts[i, 0] + 0.5) * zoom - 0.5)),
                int(round((kpts[i, 1] + 0.5) * zoom - 0.5)))

    for a, b in COCO17_SKELETON:
        if kpts[a, 2] > 0 and kpts[b, 2] > 0:
            cv2.line(img, pt(a), pt(b), (255, 255, 0), 1, cv2.LINE_AA)
    for i in range(len(kpts)):
        if kpts[i, 2] > 0:
            cv2.circle(img, pt(i), max(1, zoom - 1), _kpt_color(i), -1,
                       cv2.LINE_AA)
