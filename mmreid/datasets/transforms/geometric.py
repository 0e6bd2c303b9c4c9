# Copyright (c) mmreid contributors. All rights reserved.
"""Geometric transforms of re-ID crops that move keypoints with the pixels.

Every transform here updates ``results['img']`` (HWC, BGR uint8),
``img_shape`` and, when present, ``results['keypoints']`` (``K x 3``
float32: x, y, score; ``score == 0`` means missing).

Conventions:

- **Sizes.** Every size argument is x-first, as the ``scale`` of mmcv's
  ``Resize``: ``ReIDResize(scale=(w, h))``, ``ReIDRandomCrop(crop_size=(w,
  h))``, ``ReIDPad(padding=(left, top, right, bottom))``,
  ``RandomTranslate(max_shift=(x, y))``. ``img_shape`` is ``(h, w)``, as
  everywhere in OpenMMLab.
- **Coordinates.** Integer keypoint coordinates are pixel *centres*: pixel
  column ``i`` spans ``[i - 0.5, i + 0.5)``, so an image of width ``w``
  covers ``x`` in ``[-0.5, w - 0.5]``. Hence a horizontal flip maps ``x`` to
  ``w - 1 - x``, and a resize by ``s`` maps ``x`` to ``(x + 0.5) * s - 0.5``
  (the geometry of :func:`cv2.resize` / :func:`mmcv.imresize`). The pose
  targets (:mod:`.pose_targets`) sample their maps the same way, so targets
  rendered after a flip are exactly the mirrored targets.
- **Keypoints leaving the image.** A transform that moves a keypoint
  outside the image (crop, translation) keeps its coordinates but sets its
  score to 0: every later consumer (heatmaps, part maps and their
  visibility, skeleton images, models) can rely on "score > 0 means
  visible in the current image". This is not undone if a later transform
  brings the point back.
- **Flip.** Left/right keypoints are swapped (``left_wrist`` stays the
  person's left wrist) using the flip indices of
  ``results['keypoint_format']`` (inferred from K when absent). FD-GAN's
  code does not swap them; ``swap_left_right=False`` reproduces it.

Pose targets (heatmaps, part maps, skeleton images) must come *after* these
transforms in a pipeline; they are rendered from the final keypoints.
"""
from numbers import Number
from typing import Optional, Sequence, Tuple, Union

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness

from mmreid.registry import TRANSFORMS
from mmreid.structures.pose_formats import flip_keypoints, infer_pose_format


def _outside_to_missing(kpts: np.ndarray, w: int, h: int) -> np.ndarray:
    """Set the score of keypoints outside a ``w x h`` image to 0 (in place).

    Args:
        kpts (np.ndarray): ``(K, 3)`` float32 keypoints.
        w (int): Image width.
        h (int): Image height.

    Returns:
        np.ndarray: ``kpts``.
    """
    x, y = kpts[:, 0], kpts[:, 1]
    inside = (x >= -0.5) & (x <= w - 0.5) & (y >= -0.5) & (y <= h - 0.5)
    kpts[~inside, 2] = 0
    return kpts


def _shift_keypoints(results: dict, dx: float, dy: float) -> None:
    """Shift ``results['keypoints']`` by ``(dx, dy)``, after the image.

    Keypoints that end outside the (already updated) image get score 0.
    """
    if results.get('keypoints') is None:
        return
    kpts = np.array(results['keypoints'], dtype=np.float32, copy=True)
    kpts[:, 0] += dx
    kpts[:, 1] += dy
    h, w = results['img'].shape[:2]
    results['keypoints'] = _outside_to_missing(kpts, w, h)


@TRANSFORMS.register_module()
class ReIDResize(BaseTransform):
    """Resize a re-ID crop to a fixed size (aspect ratio not kept).

    Keypoints follow the pixel geometry: ``x' = (x + 0.5) * sx - 0.5``.

    Required Keys:

    - img

    Optional Keys:

    - keypoints

    Modified Keys:

    - img
    - img_shape
    - keypoints

    Added Keys:

    - scale_factor (tuple[float, float]): ``(w_scale, h_scale)`` of this
      resize.

    Args:
        scale (tuple[int, int]): Output ``(w, h)``, e.g. ``(128, 256)``.
        interpolation (str): Interpolation of :func:`mmcv.imresize`
            (``'nearest'``, ``'bilinear'``, ``'bicubic'``, ``'area'``,
            ``'lanczos'``). Defaults to ``'bilinear'``.

    Examples:
        >>> img = np.zeros((128, 64, 3), np.uint8)
        >>> kpts = np.array([[31.5, 63.5, 1.]] * 17, np.float32)
        >>> out = ReIDResize(scale=(128, 256))(
        ...     dict(img=img, keypoints=kpts))
        >>> out['img_shape'], out['keypoints'][0].tolist()
        ((256, 128), [63.5, 127.5, 1.0])
    """

    def __init__(self,
                 scale: Tuple[int, int],
                 interpolation: str = 'bilinear') -> None:
        if len(scale) != 2 or min(scale) <= 0:
            raise ValueError(f'scale must be (w, h) > 0, got {scale}')
        self.scale = (int(scale[0]), int(scale[1]))
        self.interpolation = interpolation

    def transform(self, results: dict) -> dict:
        """Resize ``img`` and ``keypoints``.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The resized results.
        """
        img = results['img']
        h, w = img.shape[:2]
        new_w, new_h = self.scale
        if (w, h) != (new_w, new_h):
            img = mmcv.imresize(
                img, (new_w, new_h), interpolation=self.interpolation)
        sx, sy = new_w / w, new_h / h
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['scale_factor'] = (sx, sy)
        if results.get('keypoints') is not None:
            kpts = np.array(results['keypoints'], dtype=np.float32, copy=True)
            kpts[:, 0] = (kpts[:, 0] + 0.5) * sx - 0.5
            kpts[:, 1] = (kpts[:, 1] + 0.5) * sy - 0.5
            results['keypoints'] = kpts
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(scale={self.scale}, '
                f"interpolation='{self.interpolation}')")


@TRANSFORMS.register_module()
class ReIDRandomFlip(BaseTransform):
    """Flip a re-ID crop horizontally with probability ``prob``.

    Keypoints are mirrored (``x' = w - 1 - x``) and their left/right
    channels swapped (see the module doc).

    Required Keys:

    - img

    Optional Keys:

    - keypoints
    - keypoint_format

    Modified Keys:

    - img
    - keypoints

    Added Keys:

    - flip (bool)
    - flip_direction (str | None): ``'horizontal'`` or None.

    Args:
        prob (float): Flip probability. Defaults to 0.5.
        swap_left_right (bool): Swap left/right keypoints. False reproduces
            FD-GAN's code. Defaults to True.

    Examples:
        >>> img = np.zeros((4, 6, 3), np.uint8)
        >>> kpts = np.zeros((17, 3), np.float32)
        >>> kpts[9] = (1, 2, 1)  # left wrist
        >>> out = ReIDRandomFlip(prob=1.)(dict(img=img, keypoints=kpts))
        >>> out['flip'], out['keypoints'][10].tolist()  # now right wrist
        (True, [4.0, 2.0, 1.0])
    """

    def __init__(self,
                 prob: float = 0.5,
                 swap_left_right: bool = True) -> None:
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.prob = prob
        self.swap_left_right = swap_left_right

    @cache_randomness
    def _do_flip(self) -> bool:
        """Draw whether to flip."""
        return bool(np.random.rand() < self.prob)

    def transform(self, results: dict) -> dict:
        """Flip ``img`` and ``keypoints`` (or not).

        Args:
            results (dict): The result dict.

        Returns:
            dict: The results, with ``flip`` and ``flip_direction`` set.
        """
        flip = self._do_flip()
        results['flip'] = flip
        results['flip_direction'] = 'horizontal' if flip else None
        if not flip:
            return results
        img = mmcv.imflip(results['img'], direction='horizontal')
        results['img'] = img
        if results.get('keypoints') is not None:
            kpts = results['keypoints']
            fmt = results.get('keypoint_format') or infer_pose_format(kpts)
            results['keypoints'] = flip_keypoints(kpts, img.shape[1], fmt,
                                                  self.swap_left_right)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(prob={self.prob}, '
                f'swap_left_right={self.swap_left_right})')


@TRANSFORMS.register_module()
class ReIDPad(BaseTransform):
    """Pad a re-ID crop on its borders (BoT: pad 10, then random crop).

    Required Keys:

    - img

    Optional Keys:

    - keypoints

    Modified Keys:

    - img
    - img_shape
    - keypoints

    Added Keys:

    - pad_shape (tuple[int, int]): ``(h, w)`` after padding.

    Args:
        padding (int | tuple[int, int, int, int]): Pixels on every side, or
            ``(left, top, right, bottom)``. Defaults to 10.
        pad_val (int | tuple): Fill value (per channel if a tuple).
            Defaults to 0.
        padding_mode (str): ``'constant'``, ``'edge'``, ``'reflect'`` or
            ``'symmetric'`` (:func:`mmcv.impad`). Defaults to
            ``'constant'``.

    Examples:
        >>> img = np.zeros((8, 4, 3), np.uint8)
        >>> kpts = np.ones((17, 3), np.float32)
        >>> out = ReIDPad(padding=10)(dict(img=img, keypoints=kpts))
        >>> out['img_shape'], out['keypoints'][0].tolist()
        ((28, 24), [11.0, 11.0, 1.0])
    """

    def __init__(self,
                 padding: Union[int, Sequence[int]] = 10,
                 pad_val: Union[Number, Sequence[Number]] = 0,
                 padding_mode: str = 'constant') -> None:
        if isinstance(padding, int):
            padding = (padding, ) * 4
        if len(padding) != 4 or min(padding) < 0:
            raise ValueError('padding must be an int or (left, top, right, '
                             f'bottom) >= 0, got {padding}')
        self.padding = tuple(int(p) for p in padding)
        self.pad_val = pad_val
        self.padding_mode = padding_mode

    def transform(self, results: dict) -> dict:
        """Pad ``img`` and shift ``keypoints``.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The padded results.
        """
        pad_val = self.pad_val
        if isinstance(pad_val, Sequence):
            pad_val = tuple(pad_val)
        img = mmcv.impad(
            results['img'],
            padding=self.padding,
            pad_val=pad_val,
            padding_mode=self.padding_mode)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['pad_shape'] = img.shape[:2]
        _shift_keypoints(results, self.padding[0], self.padding[1])
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(padding={self.padding}, '
                f'pad_val={self.pad_val}, '
                f"padding_mode='{self.padding_mode}')")


@TRANSFORMS.register_module()
class ReIDRandomCrop(BaseTransform):
    """Crop a random window of a fixed size (BoT's crop after the pad).

    Keypoints are shifted; those left outside the window get score 0.

    Required Keys:

    - img

    Optional Keys:

    - keypoints

    Modified Keys:

    - img
    - img_shape
    - keypoints

    Added Keys:

    - crop_bbox (np.ndarray): ``[x1, y1, x2, y2]`` of the window in the
      input image (``x2``/``y2`` exclusive).

    Args:
        crop_size (tuple[int, int]): Output ``(w, h)``, in the order of
            :class:`ReIDResize`'s ``scale`` and mmcv's ``Resize``, e.g.
            ``(128, 256)`` for a 256-high, 128-wide crop.

    Examples:
        >>> img = np.zeros((276, 148, 3), np.uint8)
        >>> out = ReIDRandomCrop(crop_size=(128, 256))(dict(img=img))
        >>> out['img_shape']  # (h, w), as every img_shape
        (256, 128)
    """

    def __init__(self,
                 crop_size: Optional[Tuple[int, int]] = None,
                 *,
                 size: Optional[Tuple[int, int]] = None) -> None:
        if size is not None:
            raise TypeError(
                f'{type(self).__name__}: the argument size=(h, w) was '
                'replaced by crop_size=(w, h) (the order of '
                f'ReIDResize(scale=(w, h))): write crop_size=({size[-1]}, '
                f'{size[0]}) for size={tuple(size)}')
        if crop_size is None:
            raise TypeError(f'{type(self).__name__} needs crop_size=(w, h)')
        if len(crop_size) != 2 or min(crop_size) <= 0:
            raise ValueError(
                f'{type(self).__name__}: crop_size must be (w, h) > 0, got '
                f'{crop_size}')
        self.crop_size = (int(crop_size[0]), int(crop_size[1]))

    @cache_randomness
    def _offset(self, h: int, w: int) -> Tuple[int, int]:
        """Draw the top-left corner ``(x1, y1)`` of the window."""
        cw, ch = self.crop_size
        return (int(np.random.randint(0, w - cw + 1)),
                int(np.random.randint(0, h - ch + 1)))

    def transform(self, results: dict) -> dict:
        """Crop ``img`` and shift ``keypoints``.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The cropped results.
        """
        img = results['img']
        h, w = img.shape[:2]
        cw, ch = self.crop_size
        if h < ch or w < cw:
            raise ValueError(
                f'{type(self).__name__}: cannot crop (w, h)={self.crop_size} '
                f'from an image of (w, h)=({w}, {h}) '
                f"({results.get('img_path', 'unknown path')}); resize or pad "
                'it first')
        x1, y1 = self._offset(h, w)
        results['img'] = img[y1:y1 + ch, x1:x1 + cw]
        results['img_shape'] = (ch, cw)
        results['crop_bbox'] = np.array([x1, y1, x1 + cw, y1 + ch])
        _shift_keypoints(results, -x1, -y1)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(crop_size={self.crop_size})'


@TRANSFORMS.register_module()
class RandomTranslate(BaseTransform):
    """Translate a crop by a random integer shift (IDLA's +-5%).

    The image keeps its size; uncovered pixels take ``pad_val``.

    Required Keys:

    - img

    Optional Keys:

    - keypoints

    Modified Keys:

    - img
    - keypoints

    Added Keys:

    - translate (tuple[int, int]): The applied shift ``(dx, dy)`` in
      pixels (positive: right / down).

    Args:
        max_shift (float | tuple[float, float]): Largest shift as a fraction
            of the width and height (``(x, y)`` if a tuple). Shifts are
            drawn uniformly in ``[-max_shift * size, max_shift * size]`` and
            rounded to whole pixels. Defaults to 0.05.
        prob (float): Probability of translating at all. Defaults to 1.0.
        pad_val (int | tuple): Fill value. Defaults to 0.

    Examples:
        >>> img = np.full((100, 40, 3), 7, np.uint8)
        >>> out = RandomTranslate(max_shift=0.05)(dict(img=img))
        >>> out['img'].shape, abs(out['translate'][1]) <= 5
        ((100, 40, 3), True)
    """

    def __init__(self,
                 max_shift: Union[float, Tuple[float, float]] = 0.05,
                 prob: float = 1.0,
                 pad_val: Union[Number, Sequence[Number]] = 0) -> None:
        if isinstance(max_shift, Number):
            max_shift = (max_shift, max_shift)
        if len(max_shift) != 2 or not all(0 <= m < 1 for m in max_shift):
            raise ValueError(f'max_shift must be in [0, 1), got {max_shift}')
        self.max_shift = (float(max_shift[0]), float(max_shift[1]))
        self.prob = prob
        self.pad_val = pad_val

    @cache_randomness
    def _shift(self, h: int, w: int) -> Optional[Tuple[int, int]]:
        """Draw the shift ``(dx, dy)`` in pixels, or None for no-op."""
        if np.random.rand() >= self.prob:
            return None
        mx, my = self.max_shift[0] * w, self.max_shift[1] * h
        return (int(round(np.random.uniform(-mx, mx))),
                int(round(np.random.uniform(-my, my))))

    def transform(self, results: dict) -> dict:
        """Shift ``img`` and ``keypoints``.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The shifted results.
        """
        img = results['img']
        h, w = img.shape[:2]
        shift = self._shift(h, w)
        if shift is None:
            results['translate'] = (0, 0)
            return results
        dx, dy = shift
        out = np.empty_like(img)
        out[...] = np.asarray(self.pad_val, dtype=img.dtype)
        # Source and destination windows of the overlapping part.
        sx1, sx2 = max(0, -dx), min(w, w - dx)
        sy1, sy2 = max(0, -dy), min(h, h - dy)
        if sx2 > sx1 and sy2 > sy1:
            out[sy1 + dy:sy2 + dy, sx1 + dx:sx2 + dx] = img[sy1:sy2, sx1:sx2]
        results['img'] = out
        results['translate'] = (dx, dy)
        _shift_keypoints(results, dx, dy)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(max_shift={self.max_shift}, '
                f'prob={self.prob}, pad_val={self.pad_val})')
