# Copyright (c) mmreid contributors. All rights reserved.
"""AACN's targets: the fixed-bandwidth limb band, the tight rigid boxes of
the 'aacn' preset, and the part definitions the head shares."""
import numpy as np
import pytest

from mmreid.datasets.transforms.pose_targets import PartMaps
from mmreid.structures.body_parts import (AACN_RIGID_PARTS, DEFAULT_LIMBS,
                                          normalize_rigid_parts,
                                          part_keypoints, rigid_members)


def test_limb_band_of_bandwidth_sigma():
    k = np.zeros((17, 3), np.float32)
    k[5] = (10, 10, 1)  # left shoulder
    k[7] = (10, 30, 1)  # left elbow: a vertical segment of length 20
    t = PartMaps(stride=1, limb_sigma=3)
    out = t(dict(img=np.zeros((40, 20, 3), np.uint8), keypoints=k))
    arm = out['part_maps'][t.part_names.index('left_upper_arm')]
    # points within 3 px of the segment: x in [7, 13], whatever the length
    assert arm[20, 10] == 1 and arm[20, 8] == 1
    assert arm[20, 13] == pytest.approx(0.5) and arm[20, 14] == 0
    assert arm.sum() == pytest.approx(6 * 20, rel=0.02)
    # a longer limb keeps the width (limb_width would scale it)
    k[7] = (10, 38, 1)
    arm = t(dict(img=np.zeros((40, 20, 3), np.uint8),
                 keypoints=k))['part_maps'][3]
    assert arm.sum() == pytest.approx(6 * 28, rel=0.02)
    with pytest.raises(ValueError, match='limb_sigma'):
        PartMaps(limb_sigma=0)


def test_tight_rigid_boxes_of_the_aacn_preset():
    k = np.zeros((17, 3), np.float32)
    k[0] = (20, 8, 1)  # nose
    k[5], k[6] = (28, 20, 1), (12, 20, 1)  # shoulders
    k[9], k[10] = (34, 50, 1), (6, 48, 1)  # wrists
    k[11], k[12] = (26, 60, 1), (14, 60, 1)  # hips
    t = PartMaps(stride=1, rigid_parts='aacn', min_rigid_margin=0)
    assert t.part_names[:3] == ['head', 'upper_body', 'lower_body']
    out = t(dict(img=np.zeros((80, 40, 3), np.uint8), keypoints=k))
    head, upper = out['part_maps'][0], out['part_maps'][1]
    # head: the box of the nose and shoulders, x [12, 28], y [8, 20]
    assert head.sum() == pytest.approx(16 * 12, rel=0.02)
    # upper body: shoulders, wrists, hips: x [6, 34], y [20, 60]
    assert upper.sum() == pytest.approx(28 * 40, rel=0.02)
    assert upper[40, 7] == 1 and upper[40, 35] == 0 and upper[61, 20] == 0
    # no legs visible: an empty lower body
    assert out['part_maps'][2].max() == 0


def test_part_definitions():
    assert rigid_members(AACN_RIGID_PARTS, DEFAULT_LIMBS) == [
        [], [0, 1, 2, 3], [4, 5, 6, 7]]
    kp = part_keypoints(AACN_RIGID_PARTS, DEFAULT_LIMBS, 'coco17')
    assert len(kp) == 11 and kp[3] == (5, 7) and kp[0] == (0, 1, 2, 3, 4,
                                                           5, 6)
    assert [p[2] for p in normalize_rigid_parts('aacn', 0.3)] == [0.] * 3
    assert normalize_rigid_parts('default', 0.3)[1][2] == 0.3
    with pytest.raises(KeyError, match='preset'):
        normalize_rigid_parts('tight', 0.)
