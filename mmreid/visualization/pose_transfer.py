# Copyright (c) mmreid contributors. All rights reserved.
"""Sample grids of pose-guided generation: input | pose | generated | target.
"""
from typing import Optional, Sequence

import cv2
import numpy as np

from .pose import colorize_maps, make_grid, put_label


def _pose_tile(pose: np.ndarray, size) -> np.ndarray:
    """A BGR tile of one sample's pose maps or RGB pose image."""
    if pose.dtype == np.uint8 and pose.ndim == 3 and pose.shape[-1] == 3:
        return np.ascontiguousarray(cv2.resize(pose, size)[..., ::-1])
    return colorize_maps(pose, size)


def draw_pose_transfer_grid(inputs: np.ndarray,
                            pose_maps: np.ndarray,
                            generated: np.ndarray,
                            targets: Optional[np.ndarray] = None,
                            columns: int = 1,
                            labels: bool = True) -> np.ndarray:
    """One row per sample: input, target pose, generated and target images.

    Args:
        inputs (np.ndarray): N x H x W x 3 uint8 RGB input images.
        pose_maps (np.ndarray): N x P x h x w target pose maps in [0, 1]
            (resized to the images), or N x H x W x 3 uint8 RGB pose images
            (PN-GAN's skeletons, shown as they are).
        generated (np.ndarray): N x H x W x 3 uint8 RGB generated images.
        targets (np.ndarray, optional): N x H x W x 3 uint8 RGB real images
            in the target poses (omitted column if None).
        columns (int): Samples side by side (the grid has
            ``ceil(N / columns)`` rows of ``columns`` samples). Defaults to
            1.
        labels (bool): Write the column names on the first row. Defaults
            to True.

    Returns:
        np.ndarray: The grid, H' x W' x 3 uint8 **BGR** (for ``cv2`` /
        ``mmcv.imwrite``).

    Examples:
        >>> img = np.zeros((2, 32, 16, 3), np.uint8)
        >>> maps = np.zeros((2, 18, 32, 16), np.float32)
        >>> draw_pose_transfer_grid(img, maps, img, img).shape
        (70, 74, 3)
    """
    n = len(inputs)
    if not (len(pose_maps) == len(generated) == n) or (targets is not None
                                                       and len(targets) != n):
        raise ValueError('inputs, pose_maps, generated and targets must have '
                         'the same number of samples')
    if columns < 1:
        raise ValueError(f'columns must be >= 1, got {columns}')
    h, w = inputs.shape[1:3]
    names = ['input', 'pose', 'generated'
             ] + (['target'] if targets is not None else [])
    tiles_per_sample = []
    for k in range(n):
        row = [
            np.ascontiguousarray(inputs[k][..., ::-1]),
            _pose_tile(pose_maps[k], (w, h)),
            np.ascontiguousarray(generated[k][..., ::-1]),
        ]
        if targets is not None:
            row.append(np.ascontiguousarray(targets[k][..., ::-1]))
        if labels and k < columns:
            row = [put_label(t, name) for t, name in zip(row, names)]
        tiles_per_sample.append(row)
    rows: Sequence = [
        sum(tiles_per_sample[r:r + columns], []) for r in range(0, n, columns)
    ]
    return make_grid(rows)
