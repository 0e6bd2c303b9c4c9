# Copyright (c) mmreid contributors. All rights reserved.
"""Drawing a person from an identity and a pose, with exact keypoints.

Body parts are drawn far-to-near (painter's algorithm on the depth of each
part after the view rotation) as tapered capsules (limbs), convex hulls of
projected 3-D boxes (torso, bags, skirt) and circles (head, hair). The
torso carries the identity's pattern. The COCO-17 keypoints are exactly the
joint positions the limbs are drawn from.

Alongside the image the renderer draws a *part map* (one id per body part,
0 for background). A keypoint's score is 1.0 when it lies inside the image,
on a part that owns it (e.g. a wrist on its forearm or hand), and is not
hidden by the body itself (the far shoulder in a side view, the face in a
back view); otherwise its score is 0 and its coordinates are still the
true (possibly hidden or outside) joint position.
"""
import math
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from mmreid.structures.pose_formats import COCO17_KEYPOINTS
from .identity import Identity
from .skeleton import HEAD_RADIUS, Pose, body_points_3d, rotate_yaw

SHIFT = 4  # sub-pixel bits of the cv2 drawing calls
_ONE = 1 << SHIFT

PART_IDS: Dict[str, int] = {
    name: i + 1
    for i, name in enumerate(('torso', 'head', 'hair', 'neck',
                              'left_upper_arm', 'left_forearm', 'left_hand',
                              'right_upper_arm', 'right_forearm', 'right_hand',
                              'left_thigh', 'left_shin', 'left_shoe',
                              'right_thigh', 'right_shin', 'right_shoe', 'bag',
                              'strap', 'hat', 'skirt', 'occluder', 'print',
                              'face'))
}


def _owners() -> List[Tuple[int, ...]]:
    """Part ids on which each COCO-17 keypoint may be seen."""
    face = ('head', 'hair', 'face')
    table = {
        'nose': face,
        'eye': face,
        'ear': face,
        'shoulder': ('torso', '{s}_upper_arm', 'strap', 'print', 'hair'),
        'elbow': ('{s}_upper_arm', '{s}_forearm'),
        'wrist': ('{s}_forearm', '{s}_hand'),
        'hip': ('torso', '{s}_thigh', 'skirt', 'print'),
        'knee': ('{s}_thigh', '{s}_shin', 'skirt'),
        'ankle': ('{s}_shin', '{s}_shoe'),
    }
    out = []
    for name in COCO17_KEYPOINTS:
        side, _, joint = name.rpartition('_')
        out.append(
            tuple(PART_IDS[p.format(s=side)] for p in table[joint or name]))
    return out


KEYPOINT_OWNERS: List[Tuple[int, ...]] = _owners()

# Hair style -> (shift up, shift back, radius) of the hair disc, in head
# radii.
HAIR_SHAPES: Dict[str, Tuple[float, float, float]] = {
    'short': (0.36, 0.32, 1.08),
    'long': (0.36, 0.36, 1.1),
    'buzz': (0.22, 0.25, 1.0)
}


def _bgr(color: Sequence[int], shade: float = 1.0) -> Tuple[int, int, int]:
    """RGB palette colour -> BGR tuple of ints (optionally darkened)."""
    return (int(color[2] * shade), int(color[1] * shade),
            int(color[0] * shade))


def _fix(pts) -> np.ndarray:
    """Float pixel coordinates -> int32 fixed point for cv2 (SHIFT)."""
    return np.rint(np.asarray(pts, np.float64) * _ONE).astype(np.int32)


class _Canvas:
    """An image and its part map, drawn with the same geometry."""

    def __init__(self, img: np.ndarray) -> None:
        self.img = img
        self.parts = np.zeros(img.shape[:2], np.uint8)

    def poly(self, pts, color, part: int) -> None:
        pts = _fix(pts).reshape(-1, 1, 2)
        cv2.fillConvexPoly(self.img, pts, color, cv2.LINE_AA, SHIFT)
        cv2.fillConvexPoly(self.parts, pts, part, cv2.LINE_8, SHIFT)

    def circle(self, c, r: float, color, part: int) -> None:
        c = (int(round(c[0] * _ONE)), int(round(c[1] * _ONE)))
        r = max(1, int(round(r * _ONE)))
        cv2.circle(self.img, c, r, color, -1, cv2.LINE_AA, SHIFT)
        cv2.circle(self.parts, c, r, part, -1, cv2.LINE_8, SHIFT)

    def ellipse(self,
                c,
                axes,
                angle: float,
                color,
                part: int,
                start: float = 0,
                end: float = 360) -> None:
        c = (int(round(c[0] * _ONE)), int(round(c[1] * _ONE)))
        axes = tuple(max(1, int(round(a * _ONE))) for a in axes)
        cv2.ellipse(self.img, c, axes, angle, start, end, color, -1,
                    cv2.LINE_AA, SHIFT)
        cv2.ellipse(self.parts, c, axes, angle, start, end, part, -1,
                    cv2.LINE_8, SHIFT)

    def capsule(self, p, q, r1: float, r2: float, color, part: int) -> None:
        """A limb: a tapered quad between two discs."""
        px, py = float(p[0]), float(p[1])
        qx, qy = float(q[0]), float(q[1])
        dx, dy = qx - px, qy - py
        n = math.hypot(dx, dy)
        if n > 1e-6:
            nx, ny = -dy / n, dx / n
            self.poly(
                [[px + nx * r1, py + ny * r1], [qx + nx * r2, qy + ny * r2],
                 [qx - nx * r2, qy - ny * r2], [px - nx * r1, py - ny * r1]],
                color, part)
        self.circle((px, py), r1, color, part)
        self.circle((qx, qy), r2, color, part)

    def hull(self, pts: np.ndarray, color, part: int) -> np.ndarray:
        h = cv2.convexHull(pts.astype(np.float32)).reshape(-1, 2)
        self.poly(h, color, part)
        return h


def _box(centre, half) -> np.ndarray:
    """The 8 corners of an axis-aligned 3-D box."""
    signs = np.array([[i, j, k] for i in (-1, 1) for j in (-1, 1)
                      for k in (-1, 1)], np.float64)
    return np.asarray(centre) + signs * np.asarray(half)


def render_person(
    img: np.ndarray,
    identity: Identity,
    pose: Pose,
    scale: float,
    origin: Tuple[float, float],
    occluder: Optional[Tuple[np.ndarray, tuple]] = None
) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw a person onto an image and return the exact keypoints.

    Args:
        img (np.ndarray): The BGR uint8 background, drawn on in place.
        identity (Identity): The appearance.
        pose (Pose): The articulation and view.
        scale (float): Pixels per unit of body height.
        origin (tuple[float, float]): Pixel (x, y) of the top of the head
            axis (the body origin).
        occluder (tuple, optional): ``(polygon (N, 2), BGR colour)`` drawn
            in front of the person. Defaults to None.

    Returns:
        tuple: ``img`` (the same array), ``keypoints`` (17, 3) float32 x, y,
        score in pixels, and the part map (H, W) uint8 (see
        :data:`PART_IDS`).

    Examples:
        >>> from mmreid.datasets.demo.identity import (identity_rng,
        ...                                            sample_identity)
        >>> img = np.full((128, 64, 3), 127, np.uint8)
        >>> idt = sample_identity(identity_rng(0, 1))
        >>> _, kpts, parts = render_person(img, idt, Pose(), 110, (32, 8))
        >>> kpts.shape, int(kpts[:, 2].sum()) >= 12
        ((17, 3), True)
    """
    h, w = img.shape[:2]
    carry = identity.bag_side if identity.bag == 'handbag' else 0
    pts = body_points_3d(pose, identity.width, identity.leg_ratio, carry)
    yaw = pose.yaw
    s = float(scale)
    ox, oy = origin

    def proj(p3):
        """Body point(s) -> (pixel xy, depth)."""
        c = rotate_yaw(np.asarray(p3, np.float64), yaw)
        xy = np.stack([ox + s * c[..., 0], oy + s * c[..., 1]], -1)
        return xy, c[..., 2]

    names = list(pts)
    xy_all, z_all = proj(np.stack([pts[k] for k in names]))
    P = {k: xy_all[i] for i, k in enumerate(names)}
    Z = {k: float(z_all[i]) for i, k in enumerate(names)}
    sw, hw, d = pts['torso_half']
    wid = identity.width
    r_head = HEAD_RADIUS * s

    # Each part: (depth, tie-break depth, order, drawing, its arguments).
    # A drawing is a _Canvas method name or a function of the canvas.
    parts: List[tuple] = []

    def add(depth: float, fn, *args, tie: Optional[float] = None) -> None:
        tie = depth if tie is None else tie
        parts.append((float(depth), float(tie), len(parts), fn, args))

    skin = _bgr(identity.skin)
    upper = _bgr(identity.upper)
    lower = _bgr(identity.lower)
    second = _bgr(identity.pattern_color)
    sleeve = second if identity.pattern == 'two_tone' else upper
    torso_z = 0.5 * (Z['left_shoulder'] + Z['right_shoulder'])
    hip_z = 0.5 * (Z['left_hip'] + Z['right_hip'])
    # The torso is drawn after the legs and the skirt (the shirt covers the
    # waist) and after the neck.
    torso_depth = max(torso_z, hip_z)

    # ----------------------------------------------------------- torso --
    corners = []
    for side, sh, hp in ((1, 'left_shoulder', 'left_hip'),
                         (-1, 'right_shoulder', 'right_hip')):
        for dz in (-d, d):
            # Sloping shoulders: a collar point, then the shoulder's top.
            corners.append(pts[sh] +
                           np.array([-side * (sw - 0.05 * wid), -0.022, dz]))
            corners.append(pts[sh] + np.array([side * 0.012, 0.004, dz]))
            corners.append(pts[hp] + np.array([side * 0.028 * wid, 0.035, dz]))
    torso_xy, _ = proj(np.stack(corners))
    chest = 0.5 * (pts['left_shoulder'] + pts['right_shoulder'])
    s_mid_xy = 0.5 * (P['left_shoulder'] + P['right_shoulder'])
    face_cos = float(np.cos(yaw))

    def draw_torso(cv: _Canvas) -> None:
        hull = cv.hull(torso_xy, upper, PART_IDS['torso'])
        if identity.pattern in ('hstripes', 'vstripes', 'checks'):
            _draw_pattern(cv, hull, identity, s, s_mid_xy, face_cos)

    add(torso_depth, draw_torso)

    # Prints: a logo on the chest, a big print on the back.
    if identity.pattern == 'logo' and face_cos > 0.3:
        c_xy, c_z = proj(chest + np.array([0.0, 0.1, d + 0.004]))
        rr = 0.034 * s * wid
        add(c_z, 'ellipse', c_xy, (rr * face_cos, rr), 0, second,
            PART_IDS['print'])
        add(c_z, 'ellipse', c_xy, (0.45 * rr * face_cos, 0.45 * rr), 0, upper,
            PART_IDS['print'])
    if identity.pattern == 'back_print' and face_cos < -0.3:
        quad = [
            chest + np.array([x * 0.06 * wid, 0.13 + y * 0.075, -d - 0.004])
            for x, y in ((-1, -1), (1, -1), (1, 1), (-1, 1))
        ]
        q_xy, q_z = proj(np.stack(quad))
        add(q_z.mean(), 'poly', q_xy, second, PART_IDS['print'])

    # ------------------------------------------------------ head & neck --
    neck_top = P['head'] + np.array([0.0, 0.5 * r_head])
    add(torso_depth - 1e-3, 'capsule', P['neck'], neck_top, 0.034 * s,
        0.03 * s, skin, PART_IDS['neck'])
    hair = _bgr(identity.hair)
    head_z = Z['head']
    add(head_z,
        'circle',
        P['head'],
        r_head,
        skin,
        PART_IDS['head'],
        tie=head_z + 1e-4)
    # Hair: a disc shifted up and back; drawn behind the face from the
    # front and over the head from behind.
    up, back, rad = HAIR_SHAPES[identity.hair_style]
    hc_xy, hc_z = proj(pts['head'] + HEAD_RADIUS * np.array([0, -up, -back]))
    add(hc_z,
        'circle',
        hc_xy,
        rad * r_head,
        hair,
        PART_IDS['hair'],
        tie=head_z + 2e-4)
    if identity.hair_style == 'long':
        a_xy, a_z = proj(pts['head'] + HEAD_RADIUS * np.array([0, 0, -0.55]))
        b_xy, b_z = proj(chest + np.array([0.0, 0.07, -d * 0.8]))
        add(0.5 * (a_z + b_z), 'capsule', a_xy, b_xy, 0.95 * r_head,
            0.75 * r_head, hair, PART_IDS['hair'])
    # Eyes, when the face is towards the camera.
    for k in ('left_eye', 'right_eye'):
        if Z[k] - head_z > 0.55 * HEAD_RADIUS:
            add(head_z + 1e-3,
                'circle',
                P[k],
                max(0.55, 0.1 * r_head), (30, 30, 40),
                PART_IDS['face'],
                tie=head_z + 3e-4)
    if identity.hat is not None:
        hat = _bgr(identity.hat)
        top_xy, _ = proj(pts['head'] + HEAD_RADIUS * np.array([0, -0.3, 0]))
        brim_xy, brim_z = proj(pts['head'] + HEAD_RADIUS *
                               np.array([[0, -0.3, 0.5], [0, -0.3, 1.55]]))
        add(head_z + HEAD_RADIUS, 'ellipse', top_xy,
            (1.1 * r_head, 0.85 * r_head), 0, hat, PART_IDS['hat'], 180, 360)
        add(brim_z.mean() + 0.5 * HEAD_RADIUS, 'capsule', brim_xy[0],
            brim_xy[1], 0.2 * r_head, 0.2 * r_head, hat, PART_IDS['hat'])

    # ------------------------------------------------------------- arms --
    for side in ('left', 'right'):
        # Arms are a little darker than the torso (as if in its shade) so
        # that same-colour sleeves stay visible; the far arm more so.
        far = Z[f'{side}_shoulder'] < torso_z - 0.3 * sw
        shade = 0.72 if far else 0.86
        sh, el = P[f'{side}_shoulder'], P[f'{side}_elbow']
        wr, hd = P[f'{side}_wrist'], P[f'{side}_hand']
        sk = _bgr(identity.skin, shade)
        sl = tuple(int(c * shade) for c in sleeve)
        ua = PART_IDS[f'{side}_upper_arm']
        fa = PART_IDS[f'{side}_forearm']
        z_ua = 0.5 * (Z[f'{side}_shoulder'] + Z[f'{side}_elbow'])
        z_fa = 0.5 * (Z[f'{side}_elbow'] + Z[f'{side}_wrist'])
        if identity.long_sleeves:
            add(z_ua, 'capsule', sh, el, 0.036 * s * wid, 0.029 * s, sl, ua)
            add(z_fa,
                'capsule',
                el,
                wr,
                0.029 * s,
                0.023 * s,
                sl,
                fa,
                tie=z_fa + 1e-4)
        else:
            add(z_ua, 'capsule', sh, el, 0.031 * s * wid, 0.026 * s, sk, ua)
            add(z_ua, 'capsule', sh, sh + 0.55 * (el - sh), 0.038 * s * wid,
                0.033 * s, sl, ua)
            add(z_fa,
                'capsule',
                el,
                wr,
                0.025 * s,
                0.02 * s,
                sk,
                fa,
                tie=z_fa + 1e-4)
        add(Z[f'{side}_hand'],
            'capsule',
            wr,
            hd,
            0.021 * s,
            0.02 * s,
            sk,
            PART_IDS[f'{side}_hand'],
            tie=Z[f'{side}_hand'] + 2e-4)

    # ------------------------------------------------------------- legs --
    trousers = identity.lower_type == 'trousers'
    for side in ('left', 'right'):
        far = Z[f'{side}_hip'] < hip_z - 0.3 * hw
        shade = 0.85 if far else 1.0
        hp, kn = P[f'{side}_hip'], P[f'{side}_knee']
        an, to = P[f'{side}_ankle'], P[f'{side}_toe']
        lo = tuple(int(c * shade) for c in lower)
        sk = _bgr(identity.skin, shade)
        th = PART_IDS[f'{side}_thigh']
        sn = PART_IDS[f'{side}_shin']
        z_th = 0.5 * (Z[f'{side}_hip'] + Z[f'{side}_knee'])
        z_sn = 0.5 * (Z[f'{side}_knee'] + Z[f'{side}_ankle'])
        z_to = Z[f'{side}_toe']
        # Legs go behind the torso (the shirt covers the waist) but keep
        # their own near/far order through the tie-break depth.
        top = torso_depth - 2e-3
        if trousers:
            add(min(z_th, top),
                'capsule',
                hp,
                kn,
                0.052 * s * wid,
                0.04 * s,
                lo,
                th,
                tie=z_th)
            add(min(z_sn, top),
                'capsule',
                kn,
                an,
                0.04 * s,
                0.032 * s,
                lo,
                sn,
                tie=z_sn)
        else:
            add(min(z_th, top),
                'capsule',
                hp,
                kn,
                0.046 * s * wid,
                0.034 * s,
                sk,
                th,
                tie=z_th)
            if identity.lower_type == 'shorts':
                add(min(z_th, top),
                    'capsule',
                    hp,
                    hp + 0.62 * (kn - hp),
                    0.056 * s * wid,
                    0.048 * s,
                    lo,
                    th,
                    tie=z_th)
            add(min(z_sn, top),
                'capsule',
                kn,
                an,
                0.032 * s,
                0.024 * s,
                sk,
                sn,
                tie=z_sn)
        add(min(z_to, top),
            'capsule',
            an,
            to,
            0.027 * s,
            0.024 * s,
            _bgr(identity.shoes, shade),
            PART_IDS[f'{side}_shoe'],
            tie=z_to + 1e-4)

    if identity.lower_type == 'skirt':
        sk_pts = []
        for side in (1, -1):
            hip = pts['left_hip' if side == 1 else 'right_hip']
            for dz in (-d - 0.02, d + 0.02):
                sk_pts.append(hip + np.array([side * 0.03 * wid, 0.0, dz]))
                sk_pts.append(hip +
                              np.array([side * 0.085 * wid, 0.22, dz * 1.2]))
        sk_xy, _ = proj(np.stack(sk_pts))
        add(torso_depth - 1e-3, 'hull', sk_xy, lower, PART_IDS['skirt'])

    # ------------------------------------------------------------- bags --
    bag = _bgr(identity.bag_color)
    side = identity.bag_side
    strap_r = max(0.6, 0.011 * s)
    straps = []
    if identity.bag == 'backpack':
        bp_xy, bp_z = proj(
            _box(chest + np.array([0.0, 0.15, -(d + 0.045)]),
                 [0.085 * wid, 0.12, 0.045]))
        add(bp_z.mean(), 'hull', bp_xy, bag, PART_IDS['bag'])
        for sd in (1, -1):
            straps.append(
                (chest + np.array([sd * 0.6 * sw, 0.0, d + 0.004]),
                 chest + np.array([sd * 0.75 * sw, 0.21, d + 0.004])))
    elif identity.bag == 'shoulder':
        centre = np.array([side * (hw + 0.065 * wid), pts['left_hip'][1], 0])
        bx_xy, bx_z = proj(_box(centre, [0.02, 0.06, 0.075]))
        add(bx_z.mean(), 'hull', bx_xy, bag, PART_IDS['bag'])
        for dz in (d + 0.004, -d - 0.004):
            straps.append((chest + np.array([-side * 0.75 * sw, 0.0, dz]),
                           centre + np.array([0.0, -0.06, dz])))
    elif identity.bag == 'handbag':
        hand = 'left_hand' if side == 1 else 'right_hand'
        hb_xy, hb_z = proj(
            _box(pts[hand] + np.array([0.0, 0.07, 0.0]),
                 [0.022, 0.055, 0.065]))
        add(hb_z.mean(),
            'hull',
            hb_xy,
            bag,
            PART_IDS['bag'],
            tie=Z[hand] + 1e-4)
    for a, b in straps:
        ab_xy, ab_z = proj(np.stack([a, b]))
        add(ab_z.mean(), 'capsule', ab_xy[0], ab_xy[1], strap_r, strap_r, bag,
            PART_IDS['strap'])

    # ------------------------------------------------------------- draw --
    cv = _Canvas(img)
    for _, _, _, fn, args in sorted(parts, key=lambda t: t[:3]):
        if isinstance(fn, str):
            getattr(cv, fn)(*args)
        else:
            fn(cv, *args)
    if occluder is not None:
        cv.poly(occluder[0], occluder[1], PART_IDS['occluder'])

    # -------------------------------------------------------- keypoints --
    kpts = np.zeros((17, 3), np.float32)
    for i, name in enumerate(COCO17_KEYPOINTS):
        x, y = P[name]
        kpts[i, :2] = (x, y)
        xi, yi = int(round(x)), int(round(y))
        if not (0 <= xi < w and 0 <= yi < h):
            continue
        if cv.parts[yi, xi] not in KEYPOINT_OWNERS[i]:
            continue
        if i <= 4:  # face: not on the far side of the head
            if Z[name] - head_z < -0.3 * HEAD_RADIUS:
                continue
        elif name.endswith(('shoulder', 'hip')):
            ref = torso_z if name.endswith('shoulder') else hip_z
            half = sw if name.endswith('shoulder') else hw
            if Z[name] - ref < -0.5 * half:
                continue
        kpts[i, 2] = 1.0
    return img, kpts, cv.parts


def _draw_pattern(cv: _Canvas, hull: np.ndarray, identity: Identity, s: float,
                  centre: np.ndarray, face_cos: float) -> None:
    """Paint stripes or checks inside the torso polygon."""
    h, w = cv.img.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(mask,
                       _fix(hull).reshape(-1, 1, 2), 1, cv2.LINE_8, SHIFT)
    x0, y0, bw, bh = cv2.boundingRect(mask)
    if bw == 0 or bh == 0:
        return
    period = max(2.0, identity.pattern_period * s)
    band = np.zeros((bh, bw), bool)
    if identity.pattern in ('hstripes', 'checks'):
        yy = np.arange(y0, y0 + bh) + 0.5 - (centre[1] + 0.3 * period)
        band |= (np.mod(yy, period) < 0.5 * period)[:, None]
    if identity.pattern in ('vstripes', 'checks'):
        px = period * (0.55 + 0.45 * abs(face_cos))
        xx = np.arange(x0, x0 + bw) + 0.5 - centre[0]
        cols = (np.mod(xx, px) < 0.5 * px)[None, :]
        band = band ^ cols if identity.pattern == 'checks' else band | cols
    sel = band & (mask[y0:y0 + bh, x0:x0 + bw] > 0)
    cv.img[y0:y0 + bh, x0:x0 + bw][sel] = _bgr(identity.pattern_color)
