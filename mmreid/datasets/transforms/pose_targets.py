# Copyright (c) mmreid contributors. All rights reserved.
"""Pose targets rendered from ``results['keypoints']``.

- :class:`KeypointsToHeatmaps`: one Gaussian heatmap per keypoint (AACN's
  keypoint maps, FD-GAN's 18-channel pose maps, heatmap regression).
- :class:`PartMaps`: AACN's rigid part maps (boxes around keypoint groups)
  and non-rigid part maps (bands along limbs), with part visibility.
- :class:`RenderSkeleton`: PN-GAN's pose image, OpenPose-18 sticks in
  OpenPose colours on black.

Put them after the geometric transforms (:mod:`.geometric`): they render
the final keypoints at the final image size. Maps are ``C x H x W``
float32 arrays; the pose image is ``H x W x 3`` uint8 (BGR, like ``img``).
``PackReIDInputs(pose_keys=[...])`` packs them into the data sample.

Map geometry: a map of size ``(W, H)`` over an image of size ``(w, h)`` has
its pixel ``j`` centred on image coordinate ``(j + 0.5) * w / W - 0.5`` (the
pixel-centre convention of :mod:`.geometric`), so maps rendered from a
flipped image are the mirrored maps (with left/right channels swapped).
"""
from typing import List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness

from mmreid.registry import TRANSFORMS
from mmreid.structures.body_parts import (  # noqa: F401 (re-exported)
    DEFAULT_LIMBS, DEFAULT_RIGID_PARTS, check_parts, normalize_rigid_parts)
from mmreid.structures.pose_formats import (convert_keypoints, get_pose_format,
                                            infer_pose_format)


def _get_keypoints(results: dict) -> Tuple[np.ndarray, str]:
    """The keypoints of ``results`` and their format, or a clear error."""
    if results.get('keypoints') is None:
        raise KeyError(
            'pose target transforms need results["keypoints"]; give the '
            'dataset a keypoint_file= (see tools/misc/extract_keypoints.py)'
            f" (image: {results.get('img_path', 'unknown')})")
    kpts = np.asarray(results['keypoints'], dtype=np.float32)
    fmt = results.get('keypoint_format') or infer_pose_format(kpts)
    return kpts, fmt


def _image_size(results: dict) -> Tuple[int, int]:
    """``(w, h)`` of the current image."""
    if 'img' in results:
        h, w = results['img'].shape[:2]
    else:
        h, w = results['img_shape'][:2]
    return int(w), int(h)


def _map_size(img_size: Tuple[int, int], heatmap_size: Optional[Sequence[int]],
              stride: Optional[float]) -> Tuple[int, int]:
    """``(W, H)`` of the output maps."""
    if heatmap_size is not None:
        return int(heatmap_size[0]), int(heatmap_size[1])
    stride = stride or 1
    return (max(1, int(round(img_size[0] / stride))),
            max(1, int(round(img_size[1] / stride))))


def _check_size_args(heatmap_size, stride) -> None:
    """Only one of ``heatmap_size`` and ``stride`` may be given."""
    if heatmap_size is not None and stride is not None:
        raise ValueError('give heatmap_size or stride, not both')
    if heatmap_size is not None and (len(heatmap_size) != 2
                                     or min(heatmap_size) <= 0):
        raise ValueError(f'heatmap_size must be (w, h) > 0: {heatmap_size}')
    if stride is not None and stride <= 0:
        raise ValueError(f'stride must be > 0, got {stride}')


def gaussian_heatmaps(kpts: np.ndarray, img_size: Tuple[int, int],
                      map_size: Tuple[int, int], sigma: float) -> np.ndarray:
    """Render one Gaussian heatmap per keypoint.

    Args:
        kpts (np.ndarray): ``(K, 3)`` keypoints in image pixels.
        img_size (tuple[int, int]): Image ``(w, h)``.
        map_size (tuple[int, int]): Heatmap ``(W, H)``.
        sigma (float): Standard deviation in heatmap pixels.

    Returns:
        np.ndarray: ``(K, H, W)`` float32, ``exp(-d^2 / (2 sigma^2))``
        around each keypoint with score > 0 (peak 1 when the keypoint lies
        on a map pixel centre), zeros for the others.

    Examples:
        >>> k = np.array([[3., 5., 1.], [0., 0., 0.]], np.float32)
        >>> hm = gaussian_heatmaps(k, (8, 8), (8, 8), sigma=1.)
        >>> hm.shape, float(hm[0, 5, 3]), float(hm[1].max())
        ((2, 8, 8), 1.0, 0.0)
    """
    (w, h), (mw, mh) = img_size, map_size
    sx, sy = w / mw, h / mh
    mx = (kpts[:, 0] + 0.5) / sx - 0.5
    my = (kpts[:, 1] + 0.5) / sy - 0.5
    gx = np.exp(-(np.arange(mw)[None] - mx[:, None])**2 / (2 * sigma**2))
    gy = np.exp(-(np.arange(mh)[None] - my[:, None])**2 / (2 * sigma**2))
    maps = gy[:, :, None] * gx[:, None, :]
    maps[kpts[:, 2] <= 0] = 0
    return maps.astype(np.float32)


@TRANSFORMS.register_module()
class KeypointsToHeatmaps(BaseTransform):
    """Render Gaussian keypoint heatmaps.

    ``heatmaps[k]`` is ``exp(-d^2 / (2 sigma^2))`` around keypoint ``k``
    (``d`` in heatmap pixels), zeros if the keypoint is missing (score 0,
    which includes keypoints cropped out of the image).

    Required Keys:

    - keypoints
    - img (or img_shape)

    Optional Keys:

    - keypoint_format (inferred from K when absent)

    Added Keys:

    - ``out_key`` (np.ndarray): ``C x H x W`` float32.

    Args:
        sigma (float | Sequence[float]): Gaussian sigma in *heatmap*
            pixels; a sequence draws one value per sample (FD-GAN's "gauss"
            pose augmentation, sigma in {4, 5, 6}). Defaults to 2.0.
        heatmap_size (tuple[int, int], optional): Map ``(w, h)``.
        stride (float, optional): Image pixels per map pixel, used when
            ``heatmap_size`` is None. With neither, maps have the image
            size.
        target_format (str, optional): ``'coco17'`` or ``'openpose18'``;
            keypoints are converted to it. None keeps the input format.
        out_key (str): Results key. Defaults to ``'heatmaps'``.

    Examples:
        >>> # FD-GAN's 18-channel pose maps: full size, sigma 5 px
        >>> t = KeypointsToHeatmaps(sigma=5, target_format='openpose18',
        ...                         out_key='pose_maps')
        >>> k = np.tile([[10., 20., 1.]], (17, 1)).astype(np.float32)
        >>> out = t(dict(img=np.zeros((64, 32, 3), np.uint8), keypoints=k))
        >>> out['pose_maps'].shape, float(out['pose_maps'][0, 20, 10])
        ((18, 64, 32), 1.0)
    """

    def __init__(self,
                 sigma: Union[float, Sequence[float]] = 2.0,
                 heatmap_size: Optional[Tuple[int, int]] = None,
                 stride: Optional[float] = None,
                 target_format: Optional[str] = None,
                 out_key: str = 'heatmaps') -> None:
        _check_size_args(heatmap_size, stride)
        sigmas = [sigma] if np.isscalar(sigma) else list(sigma)
        if not sigmas or min(sigmas) <= 0:
            raise ValueError(f'sigma must be > 0, got {sigma}')
        if target_format is not None:
            get_pose_format(target_format)
        self.sigma = sigma
        self.heatmap_size = heatmap_size
        self.stride = stride
        self.target_format = target_format
        self.out_key = out_key

    @cache_randomness
    def _sigma(self) -> float:
        """The sigma of this sample."""
        if np.isscalar(self.sigma):
            return float(self.sigma)
        return float(np.random.choice(list(self.sigma)))

    def transform(self, results: dict) -> dict:
        """Add ``results[out_key]``.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The results with the heatmaps.
        """
        kpts, fmt = _get_keypoints(results)
        if self.target_format is not None:
            kpts = convert_keypoints(kpts, fmt, self.target_format)
        img_size = _image_size(results)
        map_size = _map_size(img_size, self.heatmap_size, self.stride)
        results[self.out_key] = gaussian_heatmaps(kpts, img_size, map_size,
                                                  self._sigma())
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(sigma={self.sigma}, '
                f'heatmap_size={self.heatmap_size}, stride={self.stride}, '
                f'target_format={self.target_format!r}, '
                f'out_key={self.out_key!r})')


def _sample_grid(img_size: Tuple[int, int], map_size: Tuple[int, int],
                 supersample: int) -> Tuple[np.ndarray, np.ndarray]:
    """Image coordinates of ``supersample**2`` points per map pixel.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``xs`` (W * s,) and ``ys`` (H * s,).
    """
    (w, h), (mw, mh), s = img_size, map_size, supersample
    sub = (np.arange(s) + 0.5) / s
    xs = ((np.arange(mw)[:, None] + sub[None]) * (w / mw) - 0.5).ravel()
    ys = ((np.arange(mh)[:, None] + sub[None]) * (h / mh) - 0.5).ravel()
    return xs, ys


def _coverage(mask: np.ndarray, supersample: int) -> np.ndarray:
    """Average a supersampled boolean mask into map pixels."""
    s = supersample
    hh, ww = mask.shape
    return mask.reshape(hh // s, s, ww // s, s).mean(axis=(1, 3))


@TRANSFORMS.register_module()
class PartMaps(BaseTransform):
    """AACN's rigid and non-rigid part maps with part visibility.

    Channels are the rigid parts followed by the limbs (defaults [D]:
    ``head, upper_torso, lower_torso`` then ``left/right upper arm,
    forearm, thigh, shin``; 11 maps, see :data:`DEFAULT_RIGID_PARTS` and
    :data:`DEFAULT_LIMBS`). Parts are named by keypoint names, so they work
    for COCO-17 and OpenPose-18 keypoints.

    - A **limb** map (non-rigid part) is the rectangle along the segment
      between its two keypoints, of width ``max(limb_width * length,
      min_limb_width)``, or with ``limb_sigma`` the points within
      ``limb_sigma`` image pixels of the segment (AACN's band of bandwidth
      sigma, as OpenPose's limb regions: width ``2 * limb_sigma``); empty
      unless both keypoints are visible.
    - A **rigid** map is the box tightly around the visible keypoints of
      its group (``rigid_shape='box'``) or their convex hull (``'hull'``),
      grown by ``rigid_margin`` (or the part's own margin) times the box's
      longer side plus ``min_rigid_margin`` image pixels; empty with fewer
      than ``min_rigid_keypoints`` visible keypoints.
    - Values are the fraction of each map pixel the region covers
      (``supersample**2`` samples per pixel), in ``[0, 1]``.
    - **Visibility** of a part is the mean score of its keypoints (missing
      ones count 0; AACN's "mean peak confidence"), and 0 when its map is
      empty.

    Required Keys:

    - keypoints
    - img (or img_shape)

    Optional Keys:

    - keypoint_format

    Added Keys:

    - ``out_key`` (np.ndarray): ``C x H x W`` float32 in [0, 1].
    - ``vis_key`` (np.ndarray): ``(C,)`` float32 in [0, 1].

    Args:
        heatmap_size (tuple[int, int], optional): Map ``(w, h)``.
        stride (float, optional): Image pixels per map pixel (used when
            ``heatmap_size`` is None; neither: image size). AACN: maps of
            32 x 16 for 256 x 128 inputs, i.e. ``stride=8``.
        limbs (Sequence[tuple]): ``(name, keypoint_a, keypoint_b)``.
        rigid_parts (str | Sequence[tuple]): ``(name, keypoint names)``
            or ``(name, keypoint names, margin)`` (overrides
            ``rigid_margin``), or a preset name of
            :data:`~mmreid.structures.body_parts.RIGID_PART_PRESETS`
            (``'aacn'``: AACN's tight boxes).
        limb_width (float): Band width as a fraction of the limb length.
            Defaults to 0.3.
        limb_sigma (float, optional): Fixed half-width of the band in
            image pixels (overrides ``limb_width`` / ``min_limb_width``).
            Defaults to None.
        min_limb_width (float): Smallest band width in image pixels.
            Defaults to 2.0.
        rigid_margin (float): Growth of rigid regions, as a fraction of the
            longer side of their keypoints' box. Defaults to 0.1.
        min_rigid_margin (float): Extra growth in image pixels.
            Defaults to 2.0.
        min_rigid_keypoints (int): Visible keypoints a rigid part needs.
            Defaults to 2.
        rigid_shape (str): ``'box'`` or ``'hull'``. Defaults to ``'box'``.
        supersample (int): Samples per map pixel and axis. Defaults to 4.
        out_key (str): Defaults to ``'part_maps'``.
        vis_key (str): Defaults to ``'part_visibility'``.

    Examples:
        >>> k = np.zeros((17, 3), np.float32)
        >>> k[5:7] = [[20, 20, 1], [10, 20, 1]]   # shoulders
        >>> k[11:13] = [[19, 40, 1], [11, 40, 1]]  # hips
        >>> k[7] = [24, 30, 1]                    # left elbow
        >>> t = PartMaps()
        >>> out = t(dict(img=np.zeros((64, 32, 3), np.uint8), keypoints=k))
        >>> out['part_maps'].shape, out['part_visibility'][:4].tolist()
        ((11, 64, 32), [0.0, 1.0, 0.5, 1.0])
        >>> t.part_names[:4]
        ['head', 'upper_torso', 'lower_torso', 'left_upper_arm']
    """

    def __init__(self,
                 heatmap_size: Optional[Tuple[int, int]] = None,
                 stride: Optional[float] = None,
                 limbs: Sequence[Tuple[str, str, str]] = DEFAULT_LIMBS,
                 rigid_parts: Union[str,
                                    Sequence[tuple]] = DEFAULT_RIGID_PARTS,
                 limb_width: float = 0.3,
                 min_limb_width: float = 2.0,
                 limb_sigma: Optional[float] = None,
                 rigid_margin: float = 0.1,
                 min_rigid_margin: float = 2.0,
                 min_rigid_keypoints: int = 2,
                 rigid_shape: str = 'box',
                 supersample: int = 4,
                 out_key: str = 'part_maps',
                 vis_key: str = 'part_visibility') -> None:
        _check_size_args(heatmap_size, stride)
        if rigid_shape not in ('box', 'hull'):
            raise ValueError(f"rigid_shape must be 'box' or 'hull', got "
                             f'{rigid_shape!r}')
        if supersample < 1:
            raise ValueError(f'supersample must be >= 1, got {supersample}')
        self.heatmap_size = heatmap_size
        self.stride = stride
        if limb_sigma is not None and limb_sigma <= 0:
            raise ValueError(f'limb_sigma must be > 0, got {limb_sigma}')
        self.limbs = [tuple(limb) for limb in limbs]
        self.rigid_parts = normalize_rigid_parts(rigid_parts, rigid_margin)
        check_parts(self.limbs, self.rigid_parts)  # fail early on a typo
        self.limb_width = limb_width
        self.limb_sigma = limb_sigma
        self.min_limb_width = min_limb_width
        self.rigid_margin = rigid_margin
        self.min_rigid_margin = min_rigid_margin
        self.min_rigid_keypoints = min_rigid_keypoints
        self.rigid_shape = rigid_shape
        self.supersample = int(supersample)
        self.out_key = out_key
        self.vis_key = vis_key

    @property
    def part_names(self) -> List[str]:
        """list[str]: Channel names: rigid parts, then limbs."""
        return [p[0] for p in self.rigid_parts] + [n[0] for n in self.limbs]

    def _limb(self, xs: np.ndarray, ys: np.ndarray, a: np.ndarray,
              b: np.ndarray) -> np.ndarray:
        """Boolean mask of the band between points ``a`` and ``b``."""
        d = b - a
        length = float(np.hypot(*d))
        if self.limb_sigma is not None:
            width = 2 * self.limb_sigma
        else:
            width = max(self.limb_width * length, self.min_limb_width)
        px, py = xs[None, :] - a[0], ys[:, None] - a[1]
        if length < 1e-6:
            return px**2 + py**2 <= (width / 2)**2
        ux, uy = d / length
        along = px * ux + py * uy
        across = np.abs(px * uy - py * ux)
        return (along >= 0) & (along <= length) & (across <= width / 2)

    def _rigid(self, xs: np.ndarray, ys: np.ndarray, pts: np.ndarray,
               rel_margin: float) -> np.ndarray:
        """Boolean mask of the grown box / hull around ``pts`` (N x 2)."""
        lo, hi = pts.min(0), pts.max(0)
        margin = rel_margin * float((hi - lo).max()) + self.min_rigid_margin
        if self.rigid_shape == 'box':
            inx = (xs >= lo[0] - margin) & (xs <= hi[0] + margin)
            iny = (ys >= lo[1] - margin) & (ys <= hi[1] + margin)
            return iny[:, None] & inx[None, :]
        hull = cv2.convexHull(pts.astype(np.float32)).reshape(-1, 2)
        px = np.broadcast_to(xs[None, :], (len(ys), len(xs)))
        py = np.broadcast_to(ys[:, None], (len(ys), len(xs)))
        dist = np.full(px.shape, np.inf)
        inside = np.ones(px.shape, bool) if len(hull) >= 3 else None
        nxt = np.roll(hull, -1, axis=0)
        sign = np.sign(np.sum(hull[:, 0] * nxt[:, 1] - nxt[:, 0] * hull[:, 1]))
        for i in range(len(hull)):
            p, q = hull[i].astype(np.float64), hull[(i + 1) % len(hull)]
            e = q - p
            n2 = float(e @ e)
            t = np.zeros(px.shape) if n2 == 0 else np.clip(
                ((px - p[0]) * e[0] + (py - p[1]) * e[1]) / n2, 0, 1)
            dist = np.minimum(
                dist, np.hypot(px - p[0] - t * e[0], py - p[1] - t * e[1]))
            if inside is not None:
                # interior points are on the side of the hull's orientation
                cross = e[0] * (py - p[1]) - e[1] * (px - p[0])
                inside &= cross * sign >= 0
        mask = dist <= margin
        if inside is not None:
            mask |= inside
        return mask

    def transform(self, results: dict) -> dict:
        """Add ``results[out_key]`` and ``results[vis_key]``.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The results with part maps and visibility.
        """
        kpts, fmt = _get_keypoints(results)
        pf = get_pose_format(fmt)
        img_size = _image_size(results)
        map_size = _map_size(img_size, self.heatmap_size, self.stride)
        xs, ys = _sample_grid(img_size, map_size, self.supersample)
        maps = np.zeros((len(self.part_names), map_size[1], map_size[0]),
                        np.float32)
        vis = np.zeros(len(self.part_names), np.float32)
        scores = np.clip(kpts[:, 2], 0, 1)
        for c, (_, names, rel_margin) in enumerate(self.rigid_parts):
            idx = list(pf.indices(names))
            pts = kpts[idx][kpts[idx, 2] > 0, :2]
            if len(pts) < max(1, self.min_rigid_keypoints):
                continue
            maps[c] = _coverage(
                self._rigid(xs, ys, pts, rel_margin), self.supersample)
            vis[c] = scores[idx].mean()
        for c, (_, a, b) in enumerate(self.limbs, len(self.rigid_parts)):
            ia, ib = pf.indices([a, b])
            if kpts[ia, 2] <= 0 or kpts[ib, 2] <= 0:
                continue
            mask = self._limb(xs, ys, kpts[ia, :2], kpts[ib, :2])
            maps[c] = _coverage(mask, self.supersample)
            vis[c] = scores[[ia, ib]].mean()
        vis[maps.reshape(len(maps), -1).max(1) <= 0] = 0
        results[self.out_key] = maps
        results[self.vis_key] = vis
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(heatmap_size={self.heatmap_size}, '
                f'stride={self.stride}, parts={self.part_names}, '
                f'limb_width={self.limb_width}, '
                f'limb_sigma={self.limb_sigma}, '
                f'rigid_shape={self.rigid_shape!r}, '
                f'supersample={self.supersample})')


def render_pose_image(kpts: np.ndarray,
                      img_size: Tuple[int, int],
                      kpt_format: str = 'coco17',
                      stick_width: int = 4,
                      joint_radius: int = 4,
                      canvas: Optional[np.ndarray] = None) -> np.ndarray:
    """Draw an OpenPose-style skeleton (OpenPose-18 sticks and colours).

    Limbs with both ends visible are drawn as filled ellipses in the
    OpenPose PyTorch port's colours (the first 17 limbs of its
    ``limbSeq``), then visible joints as discs on top.

    Args:
        kpts (np.ndarray): ``(K, 3)`` keypoints in image pixels.
        img_size (tuple[int, int]): Image ``(w, h)``.
        kpt_format (str): Format of ``kpts`` (converted to OpenPose-18).
            Defaults to ``'coco17'``.
        stick_width (int): Half-width of the sticks in pixels. Defaults
            to 4.
        joint_radius (int): Radius of the joint discs (0: none).
            Defaults to 4.
        canvas (np.ndarray, optional): ``H x W x 3`` uint8 image to draw on
            (in place). Defaults to a black image.

    Returns:
        np.ndarray: ``H x W x 3`` uint8, BGR.

    Examples:
        >>> k = np.zeros((17, 3), np.float32)
        >>> k[5:7] = [[20, 20, 1], [10, 20, 1]]
        >>> img = render_pose_image(k, (32, 64))
        >>> img.shape, img.dtype, bool(img[20, 15].any())
        ((64, 32, 3), dtype('uint8'), True)
    """
    w, h = img_size
    kpts = convert_keypoints(kpts, kpt_format, 'openpose18')
    pf = get_pose_format('openpose18')
    if canvas is None:
        canvas = np.zeros((h, w, 3), np.uint8)
    for (a, b), color in list(zip(pf.skeleton, pf.limb_colors))[:17]:
        if kpts[a, 2] <= 0 or kpts[b, 2] <= 0:
            continue
        (xa, ya), (xb, yb) = kpts[a, :2], kpts[b, :2]
        length = float(np.hypot(xa - xb, ya - yb))
        angle = float(np.degrees(np.arctan2(ya - yb, xa - xb)))
        poly = cv2.ellipse2Poly((int(round(
            (xa + xb) / 2)), int(round((ya + yb) / 2))),
                                (int(round(length / 2)), int(stick_width)),
                                int(round(angle)), 0, 360, 1)
        cv2.fillConvexPoly(canvas, poly, color, lineType=cv2.LINE_AA)
    if joint_radius > 0:
        for (x, y, s), color in zip(kpts, pf.keypoint_colors):
            if s > 0:
                cv2.circle(canvas, (int(round(x)), int(round(y))),
                           int(joint_radius), color, -1, cv2.LINE_AA)
    return canvas


@TRANSFORMS.register_module()
class RenderSkeleton(BaseTransform):
    """Render PN-GAN's pose image: an OpenPose-18 skeleton on black.

    The image has the size of ``results['img']``; COCO-17 keypoints are
    converted to OpenPose-18 first (neck = shoulder midpoint). See
    :func:`render_pose_image`.

    Required Keys:

    - keypoints
    - img (or img_shape)

    Optional Keys:

    - keypoint_format

    Added Keys:

    - ``out_key`` (np.ndarray): ``H x W x 3`` uint8 (BGR, normalised like
      the image by the data preprocessor).

    Args:
        stick_width (int): Half-width of the limb sticks. Defaults to 4.
        joint_radius (int): Radius of the joints (0: none). Defaults to 4.
        out_key (str): Defaults to ``'pose_img'``.

    Examples:
        >>> k = np.zeros((17, 3), np.float32)
        >>> k[[5, 7]] = [[10, 10, 1], [10, 30, 1]]  # left upper arm
        >>> out = RenderSkeleton()(dict(img=np.zeros((64, 32, 3), np.uint8),
        ...                             keypoints=k))
        >>> out['pose_img'].shape, out['pose_img'][20, 10].tolist()
        ((64, 32, 3), [170, 255, 0])
    """

    def __init__(self,
                 stick_width: int = 4,
                 joint_radius: int = 4,
                 out_key: str = 'pose_img') -> None:
        self.stick_width = stick_width
        self.joint_radius = joint_radius
        self.out_key = out_key

    def transform(self, results: dict) -> dict:
        """Add ``results[out_key]``.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The results with the pose image.
        """
        kpts, fmt = _get_keypoints(results)
        results[self.out_key] = render_pose_image(kpts, _image_size(results),
                                                  fmt, self.stick_width,
                                                  self.joint_radius)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(stick_width={self.stick_width}, '
                f'joint_radius={self.joint_radius}, '
                f'out_key={self.out_key!r})')
