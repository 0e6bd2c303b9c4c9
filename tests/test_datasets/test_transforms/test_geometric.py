# Copyright (c) mmreid contributors. All rights reserved.
import numpy as np
import pytest
from mmengine.dataset import Compose

from mmreid.datasets.transforms.geometric import (RandomTranslate, ReIDPad,
                                                  ReIDRandomCrop,
                                                  ReIDRandomFlip, ReIDResize)
from mmreid.registry import TRANSFORMS
from mmreid.structures.pose_formats import get_pose_format


def _dot_image(h=64, w=32, x=5, y=10, size=1):
    """A black image with a bright square of ``size`` px at (x, y)."""
    img = np.zeros((h, w, 3), np.uint8)
    img[y:y + size, x:x + size] = 255
    return img


def _centroid(img):
    """Intensity-weighted centroid (x, y) of the first channel."""
    m = img[..., 0].astype(np.float64)
    ys, xs = np.mgrid[:m.shape[0], :m.shape[1]]
    return (m * xs).sum() / m.sum(), (m * ys).sum() / m.sum()


def _results(x=5., y=10., size=1, h=64, w=32, fmt='coco17'):
    """Results with a dot whose centre is keypoint 0 (nose)."""
    kpts = np.zeros((17, 3), np.float32)
    c = (size - 1) / 2
    kpts[0] = (x + c, y + c, 1)
    kpts[9] = (x + c, y + c, 0.8)  # left wrist at the same place
    return dict(
        img=_dot_image(h, w, int(x), int(y), size),
        img_shape=(h, w),
        keypoints=kpts,
        keypoint_format=fmt)


@pytest.mark.parametrize('scale,size', [((64, 128), 1), ((128, 256), 1),
                                        ((16, 32), 4), ((40, 50), 2)])
def test_resize_moves_keypoints_with_pixels(scale, size):
    res = _results(size=size)
    out = ReIDResize(scale=scale)(res)
    assert out['img'].shape == (scale[1], scale[0], 3)
    assert out['img_shape'] == (scale[1], scale[0])
    assert out['scale_factor'] == (scale[0] / 32, scale[1] / 64)
    cx, cy = _centroid(out['img'])
    kx, ky = out['keypoints'][0, :2]
    assert abs(cx - kx) < 0.35 and abs(cy - ky) < 0.35
    assert out['keypoints'].dtype == np.float32


def test_resize_identity_and_errors():
    res = _results()
    out = ReIDResize(scale=(32, 64))(res)
    assert out['keypoints'][0].tolist() == [5, 10, 1]
    with pytest.raises(ValueError):
        ReIDResize(scale=(0, 10))
    # no keypoints: fine
    out = ReIDResize(scale=(16, 32))(dict(img=_dot_image()))
    assert 'keypoints' not in out


@pytest.mark.parametrize('fmt', ['coco17', 'openpose18'])
def test_flip_mirrors_and_swaps(fmt):
    res = _results(x=5, y=10)
    if fmt == 'openpose18':
        k = np.zeros((18, 3), np.float32)
        k[0] = res['keypoints'][0]
        k[7] = res['keypoints'][9]  # left wrist in OpenPose-18
        res['keypoints'] = k
    res['keypoint_format'] = fmt
    out = ReIDRandomFlip(prob=1.0)(res)
    assert out['flip'] and out['flip_direction'] == 'horizontal'
    cx, cy = _centroid(out['img'])
    assert (cx, cy) == (26, 10)
    assert out['keypoints'][0].tolist() == [26, 10, 1]
    pf = get_pose_format(fmt)
    lw, rw = pf.index('left_wrist'), pf.index('right_wrist')
    assert out['keypoints'][rw].tolist() == pytest.approx([26, 10, 0.8])
    assert out['keypoints'][lw, 2] == 0


def test_flip_no_swap_and_prob0():
    res = _results()
    out = ReIDRandomFlip(prob=1.0, swap_left_right=False)(res)
    assert out['keypoints'][9].tolist() == pytest.approx([26, 10, 0.8])
    res = _results()
    out = ReIDRandomFlip(prob=0.0)(res)
    assert out['flip'] is False and out['flip_direction'] is None
    assert out['keypoints'][0].tolist() == [5, 10, 1]
    # format inferred from K when the key is absent
    res = _results()
    del res['keypoint_format']
    out = ReIDRandomFlip(prob=1.0)(res)
    assert out['keypoints'][10, 2] == pytest.approx(0.8)


def test_flip_twice_is_identity():
    res = _results()
    kpts, img = res['keypoints'].copy(), res['img'].copy()
    flip = ReIDRandomFlip(prob=1.0)
    out = flip(flip(res))
    np.testing.assert_array_equal(out['img'], img)
    np.testing.assert_allclose(out['keypoints'], kpts)


def test_pad_shifts_keypoints():
    out = ReIDPad(padding=10)(_results())
    assert out['img_shape'] == (84, 52) == out['pad_shape']
    assert _centroid(out['img']) == (15, 20)
    assert out['keypoints'][0].tolist() == [15, 20, 1]
    out = ReIDPad(padding=(1, 2, 3, 4), pad_val=(1, 2, 3))(_results())
    assert out['img_shape'] == (70, 36)
    assert out['img'][0, 0].tolist() == [1, 2, 3]
    assert out['keypoints'][0].tolist() == [6, 12, 1]
    with pytest.raises(ValueError):
        ReIDPad(padding=(1, 2))


def test_random_crop_moves_keypoints_or_drops_them():
    crop = ReIDRandomCrop(crop_size=(24, 56))
    seen_missing = seen_visible = False
    np.random.seed(0)
    for _ in range(60):
        out = crop(_results(x=1, y=2))
        assert out['img'].shape == (56, 24, 3)
        x1, y1 = out['crop_bbox'][:2]
        kx, ky, ks = out['keypoints'][0]
        assert (kx, ky) == (1 - x1, 2 - y1)
        if out['img'].max() > 0:
            assert ks == 1 and _centroid(out['img']) == (kx, ky)
            seen_visible = True
        else:
            assert ks == 0
            seen_missing = True
    assert seen_missing and seen_visible
    with pytest.raises(ValueError, match='cannot crop'):
        ReIDRandomCrop(crop_size=(10, 100))(_results())


def test_random_crop_size_is_w_h():
    # A non-square (w, h) = (20, 50) crop of a 64 x 32 (h x w) image is
    # 50 high and 20 wide, as ReIDResize(scale=(20, 50)) would make it.
    np.random.seed(0)
    out = ReIDRandomCrop(crop_size=(20, 50))(_results())
    assert out['img'].shape == (50, 20, 3)
    assert out['img_shape'] == (50, 20)
    x1, y1, x2, y2 = out['crop_bbox']
    assert (x2 - x1, y2 - y1) == (20, 50)
    assert 0 <= x1 <= 32 - 20 and 0 <= y1 <= 64 - 50
    assert ReIDResize(scale=(20, 50))(_results())['img_shape'] == (50, 20)
    # The crop window fits the width (32) but not the height (64): a
    # swapped (h, w) reading would not fit.
    with pytest.raises(ValueError, match=r'\(w, h\)=\(40, 30\).*\(32, 64\)'):
        ReIDRandomCrop(crop_size=(40, 30))(_results())
    assert ReIDRandomCrop(crop_size=(30, 40))(_results())['img_shape'] == (
        40, 30)
    assert repr(ReIDRandomCrop(crop_size=(20, 50))) == (
        'ReIDRandomCrop(crop_size=(20, 50))')
    # The old (h, w) argument is refused with the rewritten value.
    with pytest.raises(TypeError, match=r'crop_size=\(128, 256\)'):
        ReIDRandomCrop(size=(256, 128))
    with pytest.raises(TypeError, match='crop_size'):
        ReIDRandomCrop()
    with pytest.raises(ValueError, match='crop_size'):
        ReIDRandomCrop(crop_size=(0, 10))


def test_random_translate():
    t = RandomTranslate(max_shift=0.2)
    np.random.seed(1)
    shifts = set()
    for _ in range(40):
        out = t(_results(x=3, y=5))
        dx, dy = out['translate']
        assert abs(dx) <= 0.2 * 32 + 0.5 and abs(dy) <= 0.2 * 64 + 0.5
        shifts.add((dx, dy))
        assert out['img'].shape == (64, 32, 3)
        kx, ky, ks = out['keypoints'][0]
        assert (kx, ky) == (3 + dx, 5 + dy)
        if ks > 0:
            assert _centroid(out['img']) == (kx, ky)
        else:
            assert out['img'].max() == 0
    assert len(shifts) > 10
    out = RandomTranslate(prob=0.)(_results())
    assert out['translate'] == (0, 0)
    with pytest.raises(ValueError):
        RandomTranslate(max_shift=1.5)


def test_bot_pipeline_from_registry():
    pipeline = Compose([
        TRANSFORMS.build(t) for t in [
            dict(type='ReIDResize', scale=(32, 64)),
            dict(type='ReIDRandomFlip', prob=0.5),
            dict(type='ReIDPad', padding=10),
            dict(type='ReIDRandomCrop', crop_size=(32, 64)),
            dict(type='PackReIDInputs'),
        ]
    ])
    res = _results(x=12, y=30)
    res.update(label=0, pid=1, camid=0, split='train')
    out = pipeline(res)
    assert out['inputs'].shape == (3, 64, 32)
    kpts = out['data_samples'].gt_keypoints
    assert kpts.shape == (17, 3)
    img = out['inputs'].permute(1, 2, 0).numpy()
    assert _centroid(img) == tuple(kpts[0, :2].tolist())
