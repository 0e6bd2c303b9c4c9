# Copyright (c) mmreid contributors. All rights reserved.
import numpy as np
import pytest

from mmreid.structures.pose_formats import (COCO17_KEYPOINTS,
                                            OPENPOSE18_KEYPOINTS,
                                            coco17_to_openpose18,
                                            convert_keypoints, flip_keypoints,
                                            get_pose_format, infer_pose_format,
                                            openpose18_to_coco17)


def _coco():
    k = np.zeros((17, 3), np.float32)
    k[:, 0] = np.arange(17)
    k[:, 1] = 100 + np.arange(17)
    k[:, 2] = 1
    return k


def test_coco17_to_openpose18_by_hand():
    op = coco17_to_openpose18(_coco())
    # OpenPose-18 from COCO-17: op = [c0, mid(c5,c6), c6, c8, c10, c5, c7,
    #     c9, c12, c14, c16, c11, c13, c15, c2, c1, c4, c3]
    expected_src = [
        0, None, 6, 8, 10, 5, 7, 9, 12, 14, 16, 11, 13, 15, 2, 1, 4, 3
    ]
    for i, c in enumerate(expected_src):
        if c is None:
            assert op[i].tolist() == [5.5, 105.5, 1]
        else:
            assert op[i].tolist() == [c, 100 + c, 1], i
    # names agree with the index map
    for i, c in enumerate(expected_src):
        if c is not None:
            assert OPENPOSE18_KEYPOINTS[i] == COCO17_KEYPOINTS[c]
    assert OPENPOSE18_KEYPOINTS[1] == 'neck'


@pytest.mark.parametrize('missing', [5, 6])
def test_neck_missing_if_a_shoulder_is_missing(missing):
    k = _coco()
    k[missing, 2] = 0
    op = coco17_to_openpose18(k)
    assert op[1].tolist() == [0, 0, 0]
    k = _coco()
    k[5, 2], k[6, 2] = 0.4, 0.9
    assert coco17_to_openpose18(k)[1, 2] == pytest.approx(0.4)


def test_batched_and_roundtrip():
    k = np.stack([_coco(), _coco() * 2])
    op = coco17_to_openpose18(k)
    assert op.shape == (2, 18, 3) and op.dtype == np.float32
    np.testing.assert_allclose(openpose18_to_coco17(op), k)
    np.testing.assert_allclose(convert_keypoints(k, 'coco17', 'coco17'), k)
    with pytest.raises(ValueError):
        coco17_to_openpose18(np.zeros((18, 3)))
    with pytest.raises(ValueError):
        openpose18_to_coco17(np.zeros((17, 3)))


@pytest.mark.parametrize('name', ['coco17', 'openpose18'])
def test_flip_indices_swap_left_right(name):
    pf = get_pose_format(name)
    flip = np.array(pf.flip_indices)
    assert (flip[flip] == np.arange(pf.num_keypoints)).all()
    for i, j in enumerate(flip):
        a, b = pf.keypoint_names[i], pf.keypoint_names[j]
        if a.startswith('left_'):
            assert b == 'right_' + a[5:]
        else:
            assert a == b or a.startswith('right_')
    assert len(pf.limb_colors) == len(pf.skeleton)
    assert len(pf.keypoint_colors) == pf.num_keypoints
    assert max(max(limb) for limb in pf.skeleton) < pf.num_keypoints


def test_lookups_and_flip():
    pf = get_pose_format('coco17')
    assert pf.index('left_wrist') == 9
    assert pf.indices(['nose', 'right_ankle']) == (0, 16)
    assert get_pose_format(pf) is pf
    with pytest.raises(KeyError, match='neck'):
        pf.index('neck')
    with pytest.raises(KeyError, match='coco18'):
        get_pose_format('coco18')
    assert infer_pose_format(np.zeros((18, 3))) == 'openpose18'
    with pytest.raises(ValueError):
        infer_pose_format(np.zeros((14, 3)))
    k = _coco()
    f = flip_keypoints(k, 40, 'coco17')
    assert f[2].tolist() == [39 - 1, 101, 1]  # right eye <- left eye
    assert f[0].tolist() == [39, 100, 1]
    np.testing.assert_allclose(flip_keypoints(f, 40, 'coco17'), k)
