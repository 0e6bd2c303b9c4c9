# Copyright (c) mmreid contributors. All rights reserved.
"""Tiles of the pose targets the pose-guided pipelines feed their models.

Used by ``tools/analysis_tools/browse_dataset.py --mode pose-targets``.
"""
import copy
from typing import List, Sequence

import cv2
import numpy as np

#: Captions of the tiles of :func:`pose_target_tiles`, in order.
POSE_TARGET_TITLES = ('keypoints', 'heatmaps', 'rigid parts', 'limbs + vis',
                      'skeleton', 'FD-GAN 18ch', 'flip+heatmaps')


def pose_target_tiles(img: np.ndarray,
                      keypoints: np.ndarray,
                      keypoint_format: str = 'coco17',
                      size: Sequence[int] = (128, 256)) -> List[np.ndarray]:
    """Render the pose targets of one image, each as a tile.

    The image is resized to ``size`` (keypoints moved with it); the tiles
    are, in the order of :data:`POSE_TARGET_TITLES`:

    1. the image with its keypoints;
    2. COCO-17 Gaussian keypoint heatmaps (``KeypointsToHeatmaps``, sigma
       2, stride 4: AACN);
    3. the rigid part maps (``PartMaps``: head, upper / lower torso);
    4. the non-rigid part maps (limb bands), with each part's visibility;
    5. the skeleton image (``RenderSkeleton``, OpenPose-18 on black: PN-GAN);
    6. FD-GAN's 18-channel pose heatmaps (sigma 5 px, full size);
    7. the flipped image with its flipped heatmaps (left / right swapped).

    Args:
        img (np.ndarray): ``H x W x 3`` uint8 BGR image.
        keypoints (np.ndarray): ``(K, 3)`` keypoints (x, y, score) in its
            pixels.
        keypoint_format (str): Their format. Defaults to ``'coco17'``.
        size (Sequence[int]): ``(w, h)`` of every tile.

    Returns:
        list[np.ndarray]: Seven ``h x w x 3`` uint8 tiles.

    Examples:
        >>> k = np.tile([[8., 16., 1.]], (17, 1)).astype(np.float32)
        >>> tiles = pose_target_tiles(np.zeros((32, 16, 3), np.uint8), k,
        ...                           size=(16, 32))
        >>> len(tiles), tiles[0].shape
        (7, (32, 16, 3))
    """
    # imported here: the transforms import the datasets package
    from mmreid.datasets.transforms.geometric import (ReIDRandomFlip,
                                                      ReIDResize)
    from mmreid.datasets.transforms.pose_targets import (KeypointsToHeatmaps,
                                                         PartMaps,
                                                         RenderSkeleton)
    from .pose import colorize_maps, draw_keypoints, overlay_heatmaps
    res = dict(
        img=img,
        img_shape=img.shape[:2],
        keypoints=np.asarray(keypoints, np.float32),
        keypoint_format=keypoint_format)
    res = ReIDResize(scale=tuple(size))(res)
    w, h = size
    hm = KeypointsToHeatmaps(sigma=2, stride=4, target_format='coco17')
    parts = PartMaps(stride=4)
    res = parts(hm(res))
    res = RenderSkeleton(stick_width=max(2, w // 32))(res)
    res = KeypointsToHeatmaps(
        sigma=5, target_format='openpose18', out_key='pose_maps')(
            res)
    nrig = len(parts.rigid_parts)
    vis = res['part_visibility']
    limb_tile = overlay_heatmaps(res['img'], res['part_maps'][nrig:])
    lines = [
        ''.join(s[0] for s in name.split('_')).upper() + f' {v:.1f}'
        for name, v in zip(parts.part_names[nrig:], vis[nrig:])
    ]
    for i, line in enumerate(lines):
        cv2.putText(limb_tile, line, (2, h - 3 - (len(lines) - 1 - i) * 9),
                    cv2.FONT_HERSHEY_PLAIN, 0.6, (255, 255, 255), 1)
    flipped = ReIDRandomFlip(prob=1.)(
        copy.deepcopy(
            dict(
                img=res['img'],
                img_shape=res['img_shape'],
                keypoints=res['keypoints'],
                keypoint_format=res['keypoint_format'])))
    flipped = hm(flipped)
    return [
        draw_keypoints(
            res['img'],
            res['keypoints'],
            res['keypoint_format'],
            radius=max(2, w // 48)),
        overlay_heatmaps(res['img'], res['heatmaps']),
        overlay_heatmaps(res['img'], res['part_maps'][:nrig]),
        limb_tile,
        res['pose_img'],
        colorize_maps(res['pose_maps']),
        overlay_heatmaps(flipped['img'], flipped['heatmaps']),
    ]
