# Copyright (c) mmreid contributors. All rights reserved.
"""Body parts named by keypoints: AACN's rigid and non-rigid parts.

A **non-rigid part** (limb) is ``(name, keypoint_a, keypoint_b)``: the band
joining two keypoints. A **rigid part** is ``(name, keypoint names)`` or
``(name, keypoint names, margin)``: the region around a group of
keypoints. Parts are named by keypoint names, so one definition serves
COCO-17 and OpenPose-18 keypoints. The target transform
(:class:`~mmreid.datasets.transforms.PartMaps`) and the networks that
predict the maps (:class:`~mmreid.models.heads.PartAttentionHead`) read the
same definitions, so their channels agree.
"""
from typing import List, Sequence, Tuple, Union

from .pose_formats import get_pose_format

#: The default non-rigid parts [D]: (name, keypoint a, keypoint b).
DEFAULT_LIMBS: Tuple[Tuple[str, str, str], ...] = (
    ('left_upper_arm', 'left_shoulder', 'left_elbow'),
    ('right_upper_arm', 'right_shoulder', 'right_elbow'),
    ('left_forearm', 'left_elbow', 'left_wrist'),
    ('right_forearm', 'right_elbow', 'right_wrist'),
    ('left_thigh', 'left_hip', 'left_knee'),
    ('right_thigh', 'right_hip', 'right_knee'),
    ('left_shin', 'left_knee', 'left_ankle'),
    ('right_shin', 'right_knee', 'right_ankle'),
)

#: The default rigid parts [D]: (name, keypoints of the group[, margin]).
#: The facial keypoints only span the face, so the head grows by half its
#: size.
DEFAULT_RIGID_PARTS: Tuple[tuple, ...] = (
    ('head', ('nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear'), 0.5),
    ('upper_torso', ('left_shoulder', 'right_shoulder', 'left_hip',
                     'right_hip')),
    ('lower_torso', ('left_hip', 'right_hip', 'left_knee', 'right_knee')),
)

#: AACN's rigid parts as tight boxes [D] (no margins: "a rectangle tightly
#: containing the part's keypoints"): the head reaches down to the
#: shoulders (COCO-17 has no head-top keypoint, so the face keypoints alone
#: give a box of a few pixels), the upper body holds the arms, the lower
#: body the legs. Every default limb lies in the upper or lower body.
AACN_RIGID_PARTS: Tuple[tuple, ...] = (
    ('head', ('nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
              'left_shoulder', 'right_shoulder'), 0.),
    ('upper_body', ('left_shoulder', 'right_shoulder', 'left_elbow',
                    'right_elbow', 'left_wrist', 'right_wrist', 'left_hip',
                    'right_hip'), 0.),
    ('lower_body', ('left_hip', 'right_hip', 'left_knee', 'right_knee',
                    'left_ankle', 'right_ankle'), 0.),
)


#: Named sets of rigid parts, for configs: ``rigid_parts='aacn'``.
RIGID_PART_PRESETS = dict(default=DEFAULT_RIGID_PARTS, aacn=AACN_RIGID_PARTS)


def normalize_rigid_parts(rigid_parts: Union[str, Sequence[tuple]],
                          default_margin: float) -> List[tuple]:
    """``(name, keypoint names, margin)`` for each rigid part.

    Args:
        rigid_parts (str | Sequence[tuple]): ``(name, names)`` or ``(name,
            names, margin)`` tuples, or the name of a preset of
            :data:`RIGID_PART_PRESETS` (``'default'``, ``'aacn'``).
        default_margin (float): Margin of parts that give none.

    Returns:
        list[tuple]: ``(name, tuple of names, float margin)``.

    Examples:
        >>> normalize_rigid_parts([('a', ['nose'])], 0.1)
        [('a', ('nose',), 0.1)]
        >>> [p[0] for p in normalize_rigid_parts('aacn', 0.1)]
        ['head', 'upper_body', 'lower_body']
    """
    if isinstance(rigid_parts, str):
        if rigid_parts not in RIGID_PART_PRESETS:
            raise KeyError(f'unknown rigid part preset {rigid_parts!r}; '
                           f'expected one of {sorted(RIGID_PART_PRESETS)}')
        rigid_parts = RIGID_PART_PRESETS[rigid_parts]
    out = []
    for part in rigid_parts:
        if len(part) not in (2, 3):
            raise ValueError('a rigid part is (name, keypoint names[, '
                             f'margin]), got {part!r}')
        margin = part[2] if len(part) == 3 else default_margin
        out.append((str(part[0]), tuple(part[1]), float(margin)))
    return out


def check_parts(limbs: Sequence[tuple], rigid_parts: Sequence[tuple],
                formats: Sequence[str] = ('coco17', 'openpose18')) -> None:
    """Raise a ``KeyError`` naming the part whose keypoint is unknown.

    Args:
        limbs (Sequence[tuple]): ``(name, a, b)``.
        rigid_parts (Sequence[tuple]): ``(name, names[, margin])``.
        formats (Sequence[str]): Keypoint formats every name must exist in.

    Examples:
        >>> check_parts([('arm', 'left_elbow', 'left_wrist')], [])
        >>> check_parts([('arm', 'left_elbow', 'left_hand')], [])
        Traceback (most recent call last):
        ...
        KeyError: "part 'arm': coco17 has no keypoint 'left_hand'; ...
    """
    for fmt in formats:
        pf = get_pose_format(fmt)
        parts = [(limb[0], limb[1:3]) for limb in limbs]
        parts += [(part[0], part[1]) for part in rigid_parts]
        for name, kpts in parts:
            try:
                pf.indices(kpts)
            except KeyError as e:
                raise KeyError(f'part {name!r}: {e.args[0]}') from None


def rigid_members(rigid_parts: Sequence[tuple],
                  limbs: Sequence[tuple]) -> List[List[int]]:
    """The limbs inside each rigid part (both keypoints in its group).

    Args:
        rigid_parts (Sequence[tuple]): ``(name, names[, margin])``.
        limbs (Sequence[tuple]): ``(name, a, b)``.

    Returns:
        list[list[int]]: For each rigid part, the indices of its limbs.

    Examples:
        >>> rigid_members(AACN_RIGID_PARTS, DEFAULT_LIMBS)
        [[], [0, 1, 2, 3], [4, 5, 6, 7]]
    """
    out = []
    for part in rigid_parts:
        group = set(part[1])
        out.append([
            i for i, (_, a, b) in enumerate(limbs)
            if a in group and b in group
        ])
    return out


def part_keypoints(rigid_parts: Sequence[tuple], limbs: Sequence[tuple],
                   fmt: str) -> List[Tuple[int, ...]]:
    """Keypoint indices of every part: rigid parts first, then limbs.

    Args:
        rigid_parts (Sequence[tuple]): ``(name, names[, margin])``.
        limbs (Sequence[tuple]): ``(name, a, b)``.
        fmt (str): Keypoint format.

    Returns:
        list[tuple[int]]: One tuple of indices per part.

    Examples:
        >>> part_keypoints([], DEFAULT_LIMBS[:1], 'coco17')
        [(5, 7)]
    """
    pf = get_pose_format(fmt)
    return ([pf.indices(part[1]) for part in rigid_parts] +
            [pf.indices(limb[1:3]) for limb in limbs])
