# Copyright (c) mmreid contributors. All rights reserved.
"""An articulated 3-D walking skeleton, projected to COCO-17 keypoints.

Body coordinates are in units of the person's height ``H``: ``x`` points to
the person's own left, ``y`` down from the top of the head and ``z``
forward (the way the person faces). A pose (:class:`Pose`) sets the gait
phase, the view (yaw), lean and head turn; :func:`body_points_3d` places the
17 COCO keypoints plus the extra points the renderer needs (head centre,
hands, toes, torso corners), and :func:`project` maps them to image pixels
with an orthographic camera looking along ``-z``. The keypoint names are
those of :data:`mmreid.structures.pose_formats.COCO17_KEYPOINTS`.

Views: yaw 0 is ``front`` (the person faces the camera, so their left is on
the image's right), 180 is ``back``, -90 is ``side-left`` (their left side
is seen, facing the image's left) and 90 is ``side-right``.
"""
from dataclasses import dataclass
from typing import Dict, Sequence, Tuple

import numpy as np

VIEWS: Tuple[str, ...] = ('front', 'back', 'side-left', 'side-right')
VIEW_YAW: Dict[str, float] = {
    'front': 0.0,
    'back': np.pi,
    'side-left': -np.pi / 2,
    'side-right': np.pi / 2
}

# Proportions in units of the height (a slightly stylised adult).
HEAD_RADIUS = 0.062
HEAD_Y = 0.07
SHOULDER_Y = 0.185
SHOULDER_HALF_WIDTH = 0.105
HIP_Y = 0.52
HIP_HALF_WIDTH = 0.066
TORSO_HALF_DEPTH = 0.055
UPPER_ARM = 0.165
FOREARM = 0.145
HAND = 0.035
THIGH = 0.235
SHIN = 0.225
ANKLE_HEIGHT = 0.025


@dataclass
class Pose:
    """One frame's articulation and view.

    Args:
        yaw (float): View angle in radians (0 = front, pi = back).
        phase (float): Gait phase in radians.
        leg_amp (float): Thigh swing amplitude (radians; 0 = standing).
        arm_amp (float): Arm swing amplitude (radians).
        knee_amp (float): Extra knee flexion in the swing phase (radians).
        elbow (float): Resting elbow flexion (radians).
        abduction (float): Arms held away from the body (radians).
        lean (float): Forward lean of the upper body (radians).
        head_yaw (float): Head turn relative to the body (radians).
    """

    yaw: float = 0.0
    phase: float = 0.0
    leg_amp: float = 0.35
    arm_amp: float = 0.3
    knee_amp: float = 0.7
    elbow: float = 0.25
    abduction: float = 0.1
    lean: float = 0.05
    head_yaw: float = 0.0


def sample_pose(rng: np.random.Generator,
                view_probs: Sequence[float] = (0.25, 0.25, 0.25, 0.25),
                gait: float = 1.0,
                carry_side: int = 0) -> Tuple[Pose, str]:
    """Sample a walking (or, sometimes, standing) pose and a view.

    Args:
        rng (np.random.Generator): The image's random generator.
        view_probs (Sequence[float]): Probabilities of
            ``('front', 'back', 'side-left', 'side-right')``.
        gait (float): The identity's stride scale (about 0.8-1.2).
        carry_side (int): 0, or +1/-1 if the person carries a bag in the
            left/right hand (that arm swings less).

    Returns:
        tuple[Pose, str]: The pose and the name of its canonical view.

    Examples:
        >>> pose, view = sample_pose(np.random.default_rng(0))
        >>> view in VIEWS, -np.pi <= pose.phase <= 2 * np.pi
        (True, True)
    """
    probs = np.asarray(view_probs, dtype=np.float64)
    view = VIEWS[int(rng.choice(len(VIEWS), p=probs / probs.sum()))]
    yaw = VIEW_YAW[view] + rng.uniform(-0.35, 0.35)
    walking = rng.random() < 0.85
    amp = rng.uniform(0.22, 0.42) * gait if walking else rng.uniform(0, 0.08)
    pose = Pose(
        yaw=float(yaw),
        phase=float(rng.uniform(0, 2 * np.pi)),
        leg_amp=float(amp),
        arm_amp=float(amp * rng.uniform(0.6, 1.1)),
        knee_amp=float(rng.uniform(0.4, 0.9) if walking else 0.0),
        elbow=float(rng.uniform(0.1, 0.45)),
        abduction=float(rng.uniform(0.04, 0.16)),
        lean=float(rng.uniform(-0.02, 0.1)),
        head_yaw=float(rng.uniform(-0.4, 0.4)))
    if carry_side:
        pose.head_yaw *= 0.5
    return pose, view


def _sagittal(angle: float) -> np.ndarray:
    """Unit vector pointing down, rotated forward by ``angle``."""
    return np.array([0.0, np.cos(angle), np.sin(angle)])


def body_points_3d(pose: Pose,
                   width: float = 1.0,
                   leg_ratio: float = 1.0,
                   carry_side: int = 0) -> Dict[str, np.ndarray]:
    """Place the joints of a person in body coordinates (units of height).

    Args:
        pose (Pose): The articulation.
        width (float): Body width scale (shoulders, hips, depth).
        leg_ratio (float): Leg length scale.
        carry_side (int): 0, or +1/-1 if the left/right hand carries a bag.

    Returns:
        dict[str, np.ndarray]: The 17 COCO keypoints by name plus
        ``head``, ``neck``, ``left_hand``/``right_hand``,
        ``left_toe``/``right_toe`` and ``hip_centre``, each a (3, ) array.
        The lowest ankle rests on the ground (``y`` close to 1).

    Examples:
        >>> from mmreid.structures import COCO17_KEYPOINTS
        >>> pts = body_points_3d(Pose())
        >>> len([k for k in COCO17_KEYPOINTS if k in pts])
        17
    """
    p: Dict[str, np.ndarray] = {}
    sw = SHOULDER_HALF_WIDTH * width
    hw = HIP_HALF_WIDTH * width
    thigh, shin = THIGH * leg_ratio, SHIN * leg_ratio
    hip_y = HIP_Y
    phase = pose.phase

    # Legs: thighs swing in antiphase, knees flex during the swing.
    for side, name in ((1, 'left'), (-1, 'right')):
        s = np.sin(phase) * side
        c = np.cos(phase) * side
        alpha = pose.leg_amp * s
        beta = pose.knee_amp * max(0.0, c) + 0.06
        hip = np.array([side * hw, hip_y, 0.0])
        knee = hip + thigh * _sagittal(alpha)
        ankle = knee + shin * _sagittal(alpha - beta)
        p[f'{name}_hip'] = hip
        p[f'{name}_knee'] = knee
        p[f'{name}_ankle'] = ankle
        p[f'{name}_toe'] = ankle + np.array([0.0, 0.012, 0.07])

    # Arms swing opposite to the legs of the same side.
    for side, name in ((1, 'left'), (-1, 'right')):
        amp = pose.arm_amp * (0.3 if carry_side == side else 1.0)
        gamma = -amp * np.sin(phase) * side
        abd = pose.abduction * (1.6 if carry_side == side else 1.0)
        shoulder = np.array([side * sw, SHOULDER_Y, 0.0])
        up = np.array([
            side * np.sin(abd),
            np.cos(abd) * np.cos(gamma),
            np.cos(abd) * np.sin(gamma)
        ])
        elbow = shoulder + UPPER_ARM * up
        flex = pose.elbow + max(0.0, gamma) * 0.8
        if carry_side == side:
            flex *= 0.3
        fore = _sagittal(gamma + flex)
        fore[0] = side * np.sin(abd) * 0.5
        fore /= np.linalg.norm(fore)
        wrist = elbow + FOREARM * fore
        p[f'{name}_shoulder'] = shoulder
        p[f'{name}_elbow'] = elbow
        p[f'{name}_wrist'] = wrist
        p[f'{name}_hand'] = wrist + HAND * fore

    # Head and face (on a sphere; the head may turn a little).
    head = np.array([0.0, HEAD_Y, 0.01])
    r = HEAD_RADIUS
    ch, sh = np.cos(pose.head_yaw), np.sin(pose.head_yaw)

    def on_head(d):
        # Face points sit just inside the head's outline (0.9 radii), so
        # that they lie on its drawn disc from every view.
        d = np.asarray(d, dtype=np.float64)
        d = d / np.linalg.norm(d)
        d = np.array([ch * d[0] + sh * d[2], d[1], -sh * d[0] + ch * d[2]])
        return head + 0.9 * r * d

    p['head'] = head
    p['neck'] = np.array([0.0, SHOULDER_Y - 0.01, -0.005])
    p['nose'] = on_head([0.0, 0.2, 1.0])
    p['left_eye'] = on_head([0.38, -0.05, 0.92])
    p['right_eye'] = on_head([-0.38, -0.05, 0.92])
    p['left_ear'] = on_head([1.0, 0.05, -0.05])
    p['right_ear'] = on_head([-1.0, 0.05, -0.05])

    # Forward lean of everything above the hips, about the hip centre.
    hip_centre = np.array([0.0, hip_y, 0.0])
    cl, sl = np.cos(pose.lean), np.sin(pose.lean)
    for k, v in p.items():
        if v[1] < hip_y - 1e-6:
            rel = v - hip_centre
            p[k] = hip_centre + np.array([
                rel[0], rel[1] * cl + rel[2] * sl, -rel[1] * sl + rel[2] * cl
            ])
    p['hip_centre'] = hip_centre

    # Rest the lower foot on the ground.
    low = max(p['left_ankle'][1], p['right_ankle'][1])
    shift = (1.0 - ANKLE_HEIGHT) - low
    for k in p:
        p[k] = p[k] + np.array([0.0, shift, 0.0])
    p['torso_half'] = np.array([sw, hw, TORSO_HALF_DEPTH * width])
    return p


def rotate_yaw(points: np.ndarray, yaw: float) -> np.ndarray:
    """Rotate (N, 3) body points about the vertical axis by ``yaw``.

    Args:
        points (np.ndarray): (N, 3) body coordinates.
        yaw (float): Radians; 0 keeps the person facing the camera.

    Returns:
        np.ndarray: (N, 3) camera coordinates: ``x`` to the image's right,
        ``y`` down, ``z`` towards the camera.
    """
    c, s = np.cos(yaw), np.sin(yaw)
    x, y, z = points[..., 0], points[..., 1], points[..., 2]
    return np.stack([x * c + z * s, y, -x * s + z * c], axis=-1)


def project(points: np.ndarray, yaw: float, scale: float,
            origin: Tuple[float, float]) -> Tuple[np.ndarray, np.ndarray]:
    """Project body points orthographically to image pixels.

    Args:
        points (np.ndarray): (N, 3) body coordinates (units of height).
        yaw (float): View angle in radians.
        scale (float): Pixels per unit of height.
        origin (tuple[float, float]): Image position (x, y) of the body
            origin (the body's vertical axis at the top of the head).

    Returns:
        tuple[np.ndarray, np.ndarray]: (N, 2) pixel coordinates and (N, )
        depths (larger is nearer to the camera).

    Examples:
        >>> xy, z = project(np.array([[0.1, 0.5, 0.0]]), 0.0, 100, (32, 5))
        >>> xy.round(1).tolist(), z.tolist()
        ([[42.0, 55.0]], [0.0])
    """
    cam = rotate_yaw(np.asarray(points, dtype=np.float64), yaw)
    xy = np.stack(
        [origin[0] + scale * cam[..., 0], origin[1] + scale * cam[..., 1]],
        axis=-1)
    return xy, cam[..., 2]
