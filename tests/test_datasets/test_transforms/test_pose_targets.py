# Copyright (c) mmreid contributors. All rights reserved.
import numpy as np
import pytest

from mmreid.datasets.transforms.geometric import (ReIDPad, ReIDRandomCrop,
                                                  ReIDRandomFlip, ReIDResize)
from mmreid.datasets.transforms.pose_targets import (KeypointsToHeatmaps,
                                                     PartMaps, RenderSkeleton)
from mmreid.structures.pose_formats import get_pose_format


def _person(h=128, w=64):
    """A plausible standing COCO-17 person (asymmetric, all visible)."""
    k = np.array([[30, 14], [33, 11], [27, 11], [37, 13], [24, 13], [42, 30],
                  [20, 31], [47, 52], [15, 50], [50, 70], [11, 66], [38, 70],
                  [24, 71], [40, 96], [22, 95], [43, 120], [19, 119]],
                 np.float32)
    k = np.concatenate([k * [w / 64, h / 128], np.ones((17, 1))], 1)
    img = np.zeros((h, w, 3), np.uint8)
    for x, y, _ in k.astype(int):
        img[y, x] = 255
    return dict(
        img=img,
        img_shape=(h, w),
        keypoints=k.astype(np.float32),
        keypoint_format='coco17')


def test_heatmap_peak_location_and_value():
    k = np.zeros((17, 3), np.float32)
    # map pixel (j=5, i=9) of stride 4 is centred on image (21.5, 37.5)
    k[3] = (21.5, 37.5, 1)
    k[4] = (0, 0, 0)  # missing
    t = KeypointsToHeatmaps(sigma=2., stride=4)
    out = t(dict(img=np.zeros((128, 64, 3), np.uint8), keypoints=k))
    hm = out['heatmaps']
    assert hm.shape == (17, 32, 16) and hm.dtype == np.float32
    assert np.unravel_index(hm[3].argmax(), hm[3].shape) == (9, 5)
    assert hm[3, 9, 5] == pytest.approx(1.0)
    assert hm[3, 9, 6] == pytest.approx(np.exp(-1 / 8), rel=1e-5)
    assert hm[4].max() == 0 and hm[0].max() == 0
    # heatmap_size equivalent to the stride
    out2 = KeypointsToHeatmaps(
        sigma=2., heatmap_size=(16, 32))(
            dict(img=np.zeros((128, 64, 3), np.uint8), keypoints=k))
    np.testing.assert_allclose(out2['heatmaps'], hm)


def test_heatmaps_openpose18_and_sigma_choice():
    res = _person()
    out = KeypointsToHeatmaps(
        sigma=[4, 5, 6], target_format='openpose18', out_key='pose_maps')(
            res)
    pm = out['pose_maps']
    assert pm.shape == (18, 128, 64)
    neck = (res['keypoints'][5, :2] + res['keypoints'][6, :2]) / 2
    y, x = np.unravel_index(pm[1].argmax(), pm[1].shape)
    assert abs(x - neck[0]) <= 0.5 and abs(y - neck[1]) <= 0.5
    with pytest.raises(ValueError):
        KeypointsToHeatmaps(sigma=0)
    with pytest.raises(ValueError):
        KeypointsToHeatmaps(stride=4, heatmap_size=(4, 4))
    with pytest.raises(KeyError, match='keypoint_file'):
        KeypointsToHeatmaps()(dict(img=np.zeros((4, 4, 3), np.uint8)))


@pytest.mark.parametrize('target_format', ['coco17', 'openpose18'])
@pytest.mark.parametrize('stride', [1, 4])
def test_flip_gives_mirrored_heatmaps_with_swapped_channels(
        target_format, stride):
    """The issue's required test.

    Flipping an image with its keypoints gives the mirrored heatmaps with
    left/right channels swapped.
    """
    t = KeypointsToHeatmaps(
        sigma=1.5, stride=stride, target_format=target_format)
    ref = t(_person())['heatmaps']
    res = ReIDRandomFlip(prob=1.0)(_person())
    flipped = t(res)['heatmaps']
    flip_idx = list(get_pose_format(target_format).flip_indices)
    expected = ref[flip_idx][:, :, ::-1]
    np.testing.assert_allclose(flipped, expected, atol=1e-6)
    # and not trivially: without the swap they differ
    assert not np.allclose(flipped, ref[:, :, ::-1], atol=1e-3)
    # the heatmaps still sit on the flipped image's bright dots
    if stride == 1 and target_format == 'coco17':
        for c in range(17):
            y, x = np.unravel_index(flipped[c].argmax(), flipped[c].shape)
            assert res['img'][y, x].max() == 255


def test_flip_of_part_maps_swaps_left_right_parts():
    t = PartMaps(stride=4)
    ref = t(_person())
    res = t(ReIDRandomFlip(prob=1.0)(_person()))
    names = t.part_names
    swap = [
        names.index(n.replace('left_', 'right_')) if n.startswith('left_') else
        names.index(n.replace('right_', 'left_')) for n in names
    ]
    np.testing.assert_allclose(
        res['part_maps'], ref['part_maps'][swap][:, :, ::-1], atol=1e-6)
    np.testing.assert_allclose(res['part_visibility'],
                               ref['part_visibility'][swap])


def test_heatmaps_follow_the_bot_pipeline():
    res = _person()
    for tr in [
            ReIDResize(scale=(32, 64)),
            ReIDPad(padding=4),
            ReIDRandomCrop(crop_size=(32, 64))
    ]:
        res = tr(res)
    out = KeypointsToHeatmaps(sigma=1., stride=1)(res)
    for c in range(17):
        if res['keypoints'][c, 2] == 0:
            assert out['heatmaps'][c].max() == 0
        else:
            y, x = np.unravel_index(out['heatmaps'][c].argmax(),
                                    out['heatmaps'][c].shape)
            assert abs(x - res['keypoints'][c, 0]) <= 0.5
            assert abs(y - res['keypoints'][c, 1]) <= 0.5


def _arm(score_a=0.8, score_b=0.6):
    k = np.zeros((17, 3), np.float32)
    k[5] = (10, 10, score_a)  # left shoulder
    k[7] = (10, 30, score_b)  # left elbow
    return k


def test_limb_band_on_hand_made_skeleton():
    t = PartMaps(stride=1, min_limb_width=0)
    out = t(dict(img=np.zeros((40, 20, 3), np.uint8), keypoints=_arm()))
    maps, vis = out['part_maps'], out['part_visibility']
    assert maps.shape == (11, 40, 20) and maps.dtype == np.float32
    assert 0 <= maps.min() and maps.max() <= 1
    arm = maps[t.part_names.index('left_upper_arm')]
    # band: x in [7, 13] (width 0.3 * 20 = 6), y in [10, 30]
    assert arm[20, 10] == 1 and arm[20, 8] == 1
    assert arm[20, 13] == pytest.approx(0.5) and arm[20, 14] == 0
    assert arm[10, 10] == pytest.approx(0.5) and arm[31, 10] == 0
    assert arm.sum() == pytest.approx(6 * 20, rel=0.02)
    li = t.part_names.index('left_upper_arm')
    assert vis[li] == pytest.approx(0.7)
    others = [i for i in range(11) if i != li]
    assert maps[others].max() == 0 and vis[others].max() == 0


def test_limb_with_a_missing_end_is_empty():
    t = PartMaps(stride=2)
    out = t(
        dict(img=np.zeros((40, 20, 3), np.uint8), keypoints=_arm(score_b=0)))
    assert out['part_maps'].max() == 0 and out['part_visibility'].max() == 0


@pytest.mark.parametrize('shape', ['box', 'hull'])
def test_rigid_parts(shape):
    k = np.zeros((17, 3), np.float32)
    k[5], k[6] = (30, 20, 1), (10, 20, 1)  # shoulders
    k[11], k[12] = (28, 60, 1), (12, 60, 0.5)  # hips
    t = PartMaps(
        stride=1, rigid_margin=0, min_rigid_margin=0, rigid_shape=shape)
    out = t(dict(img=np.zeros((80, 40, 3), np.uint8), keypoints=k))
    torso = out['part_maps'][t.part_names.index('upper_torso')]
    assert torso[40, 20] == 1 and torso[40, 35] == 0 and torso[70, 20] == 0
    if shape == 'box':  # box [10, 30] x [20, 60]
        assert torso.sum() == pytest.approx(20 * 40, rel=0.01)
        assert torso[58, 11] == 1
    else:  # trapezoid, area (20 + 16) / 2 * 40
        assert torso.sum() == pytest.approx(18 * 40, rel=0.02)
        assert torso[58, 11] == 0
    vis = out['part_visibility']
    assert vis[t.part_names.index('upper_torso')] == pytest.approx(0.875)
    # hips only: a zero-height box without margins, so empty and invisible
    assert vis[t.part_names.index('lower_torso')] == 0
    assert vis[t.part_names.index('head')] == 0
    # margins grow the box
    big = PartMaps(
        stride=1, rigid_margin=0.1, min_rigid_margin=2)(
            dict(img=np.zeros((80, 40, 3), np.uint8), keypoints=k))
    assert big['part_maps'][1].sum() > torso.sum() + 100
    # mean score of hips (1, 0.5) and knees (missing)
    assert big['part_visibility'][2] == pytest.approx(0.375)


def test_part_maps_openpose18_input_and_errors():
    res = _person()
    a = PartMaps(stride=4)(dict(res))
    from mmreid.structures.pose_formats import coco17_to_openpose18
    res_op = dict(
        res,
        keypoints=coco17_to_openpose18(res['keypoints']),
        keypoint_format='openpose18')
    b = PartMaps(stride=4)(res_op)
    np.testing.assert_allclose(a['part_maps'], b['part_maps'])
    with pytest.raises(KeyError):
        PartMaps(limbs=[('x', 'left_hand', 'left_wrist')])
    with pytest.raises(ValueError):
        PartMaps(rigid_shape='circle')


def test_render_skeleton():
    res = _person()
    out = RenderSkeleton()(res)
    img = out['pose_img']
    assert img.shape == (128, 64, 3) and img.dtype == np.uint8
    assert img[0, 0].tolist() == [0, 0, 0]
    # left upper arm (OpenPose limb 4: l-shoulder -> l-elbow), colour 4
    mid = ((res['keypoints'][5, :2] + res['keypoints'][7, :2]) / 2)
    colour = get_pose_format('openpose18').limb_colors[4]
    assert img[int(round(mid[1])), int(round(mid[0]))].tolist() == list(colour)
    # missing keypoints: nothing drawn
    res = _person()
    res['keypoints'][:, 2] = 0
    assert RenderSkeleton()(res)['pose_img'].max() == 0
