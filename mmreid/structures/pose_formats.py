# Copyright (c) mmreid contributors. All rights reserved.
"""Body keypoint conventions: names, flip indices, skeletons, colours.

Two formats are used in mmreid (``docs/en/datasets.md``, "Pose formats"):

- ``'coco17'``: the COCO / MMPose order, native in mmreid (keypoint caches
  from MMPose and the demo dataset's ground truth use it).
- ``'openpose18'``: the OpenPose / CMU "COCO-18" order used by FD-GAN,
  PN-GAN and PABR; derived from COCO-17 with the neck as the shoulder
  midpoint (:func:`coco17_to_openpose18`).

Keypoints are ``(..., K, 3)`` arrays of ``x, y, score`` in pixels, with
integer coordinates at pixel centres; ``score == 0`` means missing.

Examples:
    >>> fmt = get_pose_format('openpose18')
    >>> fmt.num_keypoints, fmt.index('neck')
    (18, 1)
    >>> get_pose_format('coco17').flip_indices[:5]
    (0, 2, 1, 4, 3)
"""
from dataclasses import dataclass
from typing import Dict, Sequence, Tuple, Union

import numpy as np

#: COCO-17 keypoint names, MMPose order.
COCO17_KEYPOINTS: Tuple[str,
                        ...] = ('nose', 'left_eye', 'right_eye', 'left_ear',
                                'right_ear', 'left_shoulder', 'right_shoulder',
                                'left_elbow', 'right_elbow', 'left_wrist',
                                'right_wrist', 'left_hip', 'right_hip',
                                'left_knee', 'right_knee', 'left_ankle',
                                'right_ankle')

#: OpenPose-18 keypoint names, OpenPose (CMU "COCO-18") order.
OPENPOSE18_KEYPOINTS: Tuple[str,
                            ...] = ('nose', 'neck', 'right_shoulder',
                                    'right_elbow', 'right_wrist',
                                    'left_shoulder', 'left_elbow',
                                    'left_wrist', 'right_hip', 'right_knee',
                                    'right_ankle', 'left_hip', 'left_knee',
                                    'left_ankle', 'right_eye', 'left_eye',
                                    'right_ear', 'left_ear')

#: The COCO-17 index of each OpenPose-18 keypoint; ``-1`` is the neck
#: (midpoint of COCO-17 keypoints 5 and 6).
OPENPOSE18_FROM_COCO17: Tuple[int, ...] = (0, -1, 6, 8, 10, 5, 7, 9, 12, 14,
                                           16, 11, 13, 15, 2, 1, 4, 3)

#: COCO-17 limbs as index pairs, in the order of MMPose's COCO dataset
#: meta (``configs/_base_/datasets/coco.py``).
COCO17_SKELETON: Tuple[Tuple[int, int],
                       ...] = ((15, 13), (13, 11), (16, 14), (14, 12),
                               (11, 12), (5, 11), (6, 12), (5, 6), (5, 7),
                               (6, 8), (7, 9), (8, 10), (1, 2), (0, 1), (0, 2),
                               (1, 3), (2, 4), (3, 5), (4, 6))

# OpenPose-18 limbs as drawn by the OpenPose PyTorch port's demo (its
# ``limbSeq``, 0-based); the first 17 are rendered, the last two
# (ear-shoulder) are part of the PAF definition only.
_OPENPOSE18_SKELETON = ((1, 2), (1, 5), (2, 3), (3, 4), (5, 6), (6, 7), (1, 8),
                        (8, 9), (9, 10), (1, 11), (11, 12), (12, 13), (1, 0),
                        (0, 14), (14, 16), (0, 15), (15, 17), (2, 16), (5, 17))

# The 18 colours of the OpenPose PyTorch port's demo. It draws them with cv2
# on a BGR canvas, so they are BGR values (limb i and joint i use colour i).
_OPENPOSE_COLORS = ((255, 0, 0), (255, 85, 0), (255, 170, 0), (255, 255, 0),
                    (170, 255, 0), (85, 255, 0), (0, 255, 0), (0, 255, 85),
                    (0, 255, 170), (0, 255, 255), (0, 170, 255), (0, 85, 255),
                    (0, 0, 255), (85, 0, 255), (170, 0, 255), (255, 0, 255),
                    (255, 0, 170), (255, 0, 85))

# MMPose's COCO colours (left green, right orange, centre blue), as BGR.
_LEFT, _RIGHT, _CENTRE = (0, 255, 0), (0, 128, 255), (255, 153, 51)


def _side(name: str) -> Tuple[int, int, int]:
    """The MMPose-style colour of a keypoint (BGR) from its name."""
    if name.startswith('left_'):
        return _LEFT
    if name.startswith('right_'):
        return _RIGHT
    return _CENTRE


def _flip_indices(names: Sequence[str]) -> Tuple[int, ...]:
    """Indices that swap every ``left_*`` keypoint with its ``right_*``."""
    out = []
    for name in names:
        if name.startswith('left_'):
            name = 'right_' + name[5:]
        elif name.startswith('right_'):
            name = 'left_' + name[6:]
        out.append(names.index(name))
    return tuple(out)


@dataclass(frozen=True)
class PoseFormat:
    """A keypoint convention.

    Args:
        name (str): ``'coco17'`` or ``'openpose18'``.
        keypoint_names (tuple[str]): Names in index order.
        flip_indices (tuple[int]): ``flip_indices[i]`` is the keypoint that
            keypoint ``i`` becomes after a horizontal flip (left <-> right).
        skeleton (tuple[tuple[int, int]]): Limbs as index pairs.
        limb_colors (tuple): One BGR colour per limb.
        keypoint_colors (tuple): One BGR colour per keypoint.

    Examples:
        >>> fmt = get_pose_format('coco17')
        >>> fmt.keypoint_names[fmt.flip_indices[fmt.index('left_knee')]]
        'right_knee'
    """

    name: str
    keypoint_names: Tuple[str, ...]
    flip_indices: Tuple[int, ...]
    skeleton: Tuple[Tuple[int, int], ...]
    limb_colors: Tuple[Tuple[int, int, int], ...]
    keypoint_colors: Tuple[Tuple[int, int, int], ...]

    @property
    def num_keypoints(self) -> int:
        """int: The number of keypoints K."""
        return len(self.keypoint_names)

    def index(self, name: str) -> int:
        """The index of a keypoint name.

        Args:
            name (str): A keypoint name, e.g. ``'left_wrist'``.

        Returns:
            int: Its index in this format.
        """
        try:
            return self.keypoint_names.index(name)
        except ValueError:
            raise KeyError(f'{self.name} has no keypoint {name!r}; its '
                           f'keypoints are {list(self.keypoint_names)}')

    def indices(self, names: Sequence[str]) -> Tuple[int, ...]:
        """The indices of several keypoint names.

        Args:
            names (Sequence[str]): Keypoint names.

        Returns:
            tuple[int]: Their indices.
        """
        return tuple(self.index(n) for n in names)


POSE_FORMATS: Dict[str, PoseFormat] = dict(
    coco17=PoseFormat(
        name='coco17',
        keypoint_names=COCO17_KEYPOINTS,
        flip_indices=_flip_indices(COCO17_KEYPOINTS),
        skeleton=COCO17_SKELETON,
        limb_colors=tuple(
            _side(COCO17_KEYPOINTS[a]) if _side(COCO17_KEYPOINTS[a]) ==
            _side(COCO17_KEYPOINTS[b]) else _CENTRE
            for a, b in COCO17_SKELETON),
        keypoint_colors=tuple(_side(n) for n in COCO17_KEYPOINTS)),
    openpose18=PoseFormat(
        name='openpose18',
        keypoint_names=OPENPOSE18_KEYPOINTS,
        flip_indices=_flip_indices(OPENPOSE18_KEYPOINTS),
        skeleton=_OPENPOSE18_SKELETON,
        limb_colors=_OPENPOSE_COLORS + _OPENPOSE_COLORS[-1:],
        keypoint_colors=_OPENPOSE_COLORS))


def get_pose_format(name: Union[str, PoseFormat]) -> PoseFormat:
    """Look a keypoint format up by name.

    Args:
        name (str | PoseFormat): ``'coco17'`` or ``'openpose18'`` (or a
            :class:`PoseFormat`, returned as is).

    Returns:
        PoseFormat: The format.

    Examples:
        >>> get_pose_format('coco17').num_keypoints
        17
    """
    if isinstance(name, PoseFormat):
        return name
    if name not in POSE_FORMATS:
        raise KeyError(f'unknown keypoint format {name!r}; expected one of '
                       f'{sorted(POSE_FORMATS)}')
    return POSE_FORMATS[name]


def infer_pose_format(kpts: np.ndarray) -> str:
    """Guess the format of keypoints from their number.

    Args:
        kpts (np.ndarray): ``(..., K, 3)`` keypoints.

    Returns:
        str: ``'coco17'`` for K=17, ``'openpose18'`` for K=18.
    """
    num = np.asarray(kpts).shape[-2]
    for name, fmt in POSE_FORMATS.items():
        if fmt.num_keypoints == num:
            return name
    raise ValueError(f'cannot infer the keypoint format of {num} keypoints; '
                     f'known formats: {sorted(POSE_FORMATS)}')


def coco17_to_openpose18(kpts: np.ndarray) -> np.ndarray:
    """Convert COCO-17 keypoints to OpenPose-18.

    The neck is the midpoint of the two shoulders, with the smaller of their
    scores; it is missing (``0, 0, 0``) if either shoulder is missing.

    Args:
        kpts (np.ndarray): ``(..., 17, 3)`` keypoints (x, y, score).

    Returns:
        np.ndarray: ``(..., 18, 3)`` float32 keypoints.

    Examples:
        >>> k = np.zeros((17, 3), np.float32)
        >>> k[5] = (10, 20, 1)   # left shoulder
        >>> k[6] = (30, 22, .5)  # right shoulder
        >>> coco17_to_openpose18(k)[1].tolist()  # neck
        [20.0, 21.0, 0.5]
        >>> coco17_to_openpose18(k)[2].tolist()  # right shoulder
        [30.0, 22.0, 0.5]
    """
    kpts = np.asarray(kpts, dtype=np.float32)
    if kpts.shape[-2:] != (17, 3):
        raise ValueError(f'expected (..., 17, 3) COCO-17 keypoints, got '
                         f'shape {kpts.shape}')
    idx = np.array(OPENPOSE18_FROM_COCO17)
    out = kpts[..., np.maximum(idx, 0), :].copy()
    left, right = kpts[..., 5, :], kpts[..., 6, :]
    both = (left[..., 2] > 0) & (right[..., 2] > 0)
    neck = np.zeros_like(left)
    neck[..., :2] = (left[..., :2] + right[..., :2]) / 2
    neck[..., 2] = np.minimum(left[..., 2], right[..., 2])
    out[..., 1, :] = np.where(both[..., None], neck, 0)
    return out


def openpose18_to_coco17(kpts: np.ndarray) -> np.ndarray:
    """Convert OpenPose-18 keypoints to COCO-17 (drops the neck).

    Args:
        kpts (np.ndarray): ``(..., 18, 3)`` keypoints.

    Returns:
        np.ndarray: ``(..., 17, 3)`` float32 keypoints.

    Examples:
        >>> k = np.random.rand(17, 3).astype(np.float32)
        >>> bool(np.allclose(openpose18_to_coco17(coco17_to_openpose18(k)), k))
        True
    """
    kpts = np.asarray(kpts, dtype=np.float32)
    if kpts.shape[-2:] != (18, 3):
        raise ValueError(f'expected (..., 18, 3) OpenPose-18 keypoints, got '
                         f'shape {kpts.shape}')
    inv = [OPENPOSE18_FROM_COCO17.index(i) for i in range(17)]
    return kpts[..., inv, :].copy()


def convert_keypoints(kpts: np.ndarray, src: str, dst: str) -> np.ndarray:
    """Convert keypoints between formats (a copy, also when equal).

    Args:
        kpts (np.ndarray): ``(..., K, 3)`` keypoints in format ``src``.
        src (str): Their format.
        dst (str): The wanted format.

    Returns:
        np.ndarray: ``(..., K', 3)`` float32 keypoints in format ``dst``.

    Examples:
        >>> convert_keypoints(np.zeros((17, 3)), 'coco17', 'openpose18').shape
        (18, 3)
    """
    get_pose_format(src), get_pose_format(dst)
    if src == dst:
        return np.array(kpts, dtype=np.float32, copy=True)
    if (src, dst) == ('coco17', 'openpose18'):
        return coco17_to_openpose18(kpts)
    return openpose18_to_coco17(kpts)


def flip_keypoints(kpts: np.ndarray,
                   width: int,
                   kpt_format: str,
                   swap_left_right: bool = True) -> np.ndarray:
    """Mirror keypoints horizontally in an image of the given width.

    With pixel centres at integer coordinates, column ``x`` goes to
    ``width - 1 - x`` (as :func:`mmcv.imflip` moves pixels).

    Args:
        kpts (np.ndarray): ``(..., K, 3)`` keypoints.
        width (int): Image width in pixels.
        kpt_format (str): Their format (for the flip indices).
        swap_left_right (bool): Swap left/right keypoints, so that
            ``left_*`` still names the person's left side. Defaults to True.

    Returns:
        np.ndarray: The flipped float32 keypoints (a copy).

    Examples:
        >>> k = np.zeros((17, 3), np.float32)
        >>> k[5] = (2, 7, 1)  # left shoulder at x=2
        >>> flip_keypoints(k, 10, 'coco17')[6].tolist()
        [7.0, 7.0, 1.0]
    """
    out = np.array(kpts, dtype=np.float32, copy=True)
    if swap_left_right:
        out = out[..., list(get_pose_format(kpt_format).flip_indices), :]
    out[..., 0] = width - 1 - out[..., 0]
    return out
