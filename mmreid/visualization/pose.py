# Copyright (c) mmreid contributors. All rights reserved.
"""Drawing helpers for keypoints and pose maps (cv2, BGR uint8 images).

Used by ``tools/analysis_tools/browse_dataset.py``,
``tools/misc/cluster_poses.py`` and ``tools/misc/extract_keypoints.py
--show``.
"""
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np

from mmreid.structures.pose_formats import get_pose_format, infer_pose_format


def draw_keypoints(img: np.ndarray,
                   kpts: np.ndarray,
                   kpt_format: Optional[str] = None,
                   radius: int = 2,
                   thickness: int = 1,
                   score_thr: float = 0.0) -> np.ndarray:
    """Draw a skeleton on a copy of an image (MMPose-like colours).

    Left limbs and keypoints are green, right ones orange, central ones
    blue (see :mod:`mmreid.structures.pose_formats`).

    Args:
        img (np.ndarray): ``H x W x 3`` uint8 BGR image.
        kpts (np.ndarray): ``(K, 3)`` keypoints (x, y, score) in its pixels.
        kpt_format (str, optional): Their format; inferred from K if None.
        radius (int): Keypoint radius. Defaults to 2.
        thickness (int): Limb thickness. Defaults to 1.
        score_thr (float): Keypoints with a score <= this are not drawn.
            Defaults to 0.

    Returns:
        np.ndarray: The drawn copy.

    Examples:
        >>> k = np.tile([[4., 4., 1.]], (17, 1)).astype(np.float32)
        >>> draw_keypoints(np.zeros((16, 8, 3), np.uint8), k).max() > 0
        True
    """
    kpts = np.asarray(kpts, dtype=np.float32)
    pf = get_pose_format(kpt_format or infer_pose_format(kpts))
    out = np.ascontiguousarray(img).copy()
    vis = kpts[:, 2] > score_thr
    for (a, b), color in zip(pf.skeleton, pf.limb_colors):
        if vis[a] and vis[b]:
            cv2.line(out, tuple(int(round(v)) for v in kpts[a, :2]),
                     tuple(int(round(v)) for v in kpts[b, :2]), color,
                     thickness, cv2.LINE_AA)
    for (x, y, _), color, v in zip(kpts, pf.keypoint_colors, vis):
        if v:
            cv2.circle(out, (int(round(x)), int(round(y))), radius, color, -1,
                       cv2.LINE_AA)
    return out


def colorize_maps(maps: np.ndarray,
                  size: Optional[Tuple[int, int]] = None) -> np.ndarray:
    """Colour ``C x H x W`` maps in [0, 1], one hue per channel, max-blended.

    Args:
        maps (np.ndarray): The maps.
        size (tuple[int, int], optional): Output ``(w, h)``; maps are
            resized (bilinear) to it. Defaults to the maps' size.

    Returns:
        np.ndarray: ``h x w x 3`` uint8 BGR.

    Examples:
        >>> colorize_maps(np.ones((3, 4, 2), np.float32), (4, 8)).shape
        (8, 4, 3)
    """
    maps = np.clip(np.asarray(maps, dtype=np.float32), 0, 1)
    num, h, w = maps.shape
    hues = (np.arange(num) * 180 // max(num, 1)).astype(np.uint8)
    hsv = np.stack(
        [hues, np.full(num, 255, np.uint8),
         np.full(num, 255, np.uint8)], 1)[None]
    colors = cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)[0].astype(np.float32)
    out = (maps[..., None] * colors[:, None, None, :]).max(0)
    out = out.astype(np.uint8)
    if size is not None and (size[0], size[1]) != (w, h):
        out = cv2.resize(out, tuple(size), interpolation=cv2.INTER_LINEAR)
    return out


def overlay_heatmaps(img: np.ndarray,
                     maps: np.ndarray,
                     alpha: float = 0.6) -> np.ndarray:
    """Blend colourised maps over an image.

    Args:
        img (np.ndarray): ``H x W x 3`` uint8 BGR image.
        maps (np.ndarray): ``C x h x w`` maps in [0, 1] (any map size; they
            are resized to the image).
        alpha (float): Weight of the maps where they are 1. Defaults to 0.6.

    Returns:
        np.ndarray: ``H x W x 3`` uint8.

    Examples:
        >>> img = np.full((8, 4, 3), 100, np.uint8)
        >>> overlay_heatmaps(img, np.zeros((2, 4, 2))).tolist() == \\
        ...     img.tolist()
        True
    """
    h, w = img.shape[:2]
    color = colorize_maps(maps, (w, h)).astype(np.float32)
    strength = cv2.resize(
        np.clip(np.asarray(maps, np.float32), 0, 1).max(0), (w, h),
        interpolation=cv2.INTER_LINEAR)[..., None] * alpha
    out = img.astype(np.float32) * (1 - strength) + color * strength
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def put_label(img: np.ndarray, text: str) -> np.ndarray:
    """Write a small label in the top-left corner of a copy of ``img``.

    Args:
        img (np.ndarray): ``H x W x 3`` uint8.
        text (str): The label.

    Returns:
        np.ndarray: The labelled copy.
    """
    out = img.copy()
    scale = max(0.3, img.shape[1] / 400)
    cv2.putText(out, text, (2, int(12 * scale / 0.35)),
                cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), 3, cv2.LINE_AA)
    cv2.putText(out, text, (2, int(12 * scale / 0.35)),
                cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 1,
                cv2.LINE_AA)
    return out


def make_grid(rows: Sequence[Sequence[np.ndarray]],
              pad: int = 2,
              pad_val: int = 255) -> np.ndarray:
    """Tile images (all of the same size) into a grid.

    Args:
        rows (Sequence[Sequence[np.ndarray]]): Rows of ``H x W x 3`` images;
            short rows are padded with blank tiles.
        pad (int): Gap in pixels. Defaults to 2.
        pad_val (int): Gap colour. Defaults to 255 (white).

    Returns:
        np.ndarray: The grid image.

    Examples:
        >>> t = np.zeros((4, 2, 3), np.uint8)
        >>> make_grid([[t, t], [t]], pad=1).shape
        (11, 7, 3)
    """
    rows: List[List[np.ndarray]] = [list(r) for r in rows if len(r)]
    h, w = rows[0][0].shape[:2]
    ncol = max(len(r) for r in rows)
    out = np.full((len(rows) * (h + pad) + pad, ncol * (w + pad) + pad, 3),
                  pad_val, np.uint8)
    for i, row in enumerate(rows):
        for j, tile in enumerate(row):
            y, x = pad + i * (h + pad), pad + j * (w + pad)
            out[y:y + h, x:x + w] = tile
    return out
