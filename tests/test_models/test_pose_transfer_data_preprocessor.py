# Copyright (c) mmreid contributors. All rights reserved.
import pytest
import torch

from mmreid.models.data_preprocessors import (PairDataPreprocessor,
                                              PoseTransferDataPreprocessor,
                                              ReIDDataPreprocessor)
from mmreid.registry import MODELS
from mmreid.structures import (PairInputs, PoseTransferInputs,
                               ReIDDataSample)

MEAN = (123.675, 116.28, 103.53)
STD = (58.395, 57.12, 57.375)
H, W = 8, 4


def uint8(*shape, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, 256, shape, generator=g, dtype=torch.uint8)


def by_hand(x, to_rgb):
    """Normalise ``(..., 3, H, W)`` uint8 BGR images by hand."""
    if to_rgb:
        x = x.flip(-3)
    mean = torch.tensor(MEAN).view(3, 1, 1)
    std = torch.tensor(STD).view(3, 1, 1)
    return (x.float() - mean) / std


def transfer_batch(n, pair=True, seed=0):
    lead = (2, ) if pair else ()
    inputs, samples = [], []
    for k in range(n):
        s = ReIDDataSample(metainfo=dict(pair_idx=(k, k + 1)))
        s.set_gt_label(k % 2)
        s.set_field(uint8(*lead, 3, H, W, seed=seed + 100 + k), 'target_img')
        g = torch.Generator().manual_seed(seed + 200 + k)
        s.set_field(torch.rand(*lead, 18, H, W, generator=g), 'pose_maps')
        samples.append(s)
        inputs.append(uint8(*lead, 3, H, W, seed=seed + k))
    return dict(inputs=inputs, data_samples=samples)


@pytest.mark.parametrize('to_rgb', [True, False])
def test_pairs_with_targets(to_rgb):
    pre = MODELS.build(
        dict(
            type='PoseTransferDataPreprocessor',
            mean=MEAN,
            std=STD,
            to_rgb=to_rgb))
    assert isinstance(pre, PoseTransferDataPreprocessor)
    batch = transfer_batch(3)
    out = pre(batch, True)
    inputs = out['inputs']
    assert isinstance(inputs, PairInputs) and inputs.has_pose_targets
    imgs = torch.stack(batch['inputs'])
    targets = torch.stack([s.target_img for s in batch['data_samples']])
    maps = torch.stack([s.pose_maps for s in batch['data_samples']])
    assert inputs.img.shape == (3, 2, 3, H, W)
    assert inputs.target_img.shape == (3, 2, 3, H, W)
    assert inputs.pose_maps.shape == (3, 2, 18, H, W)
    torch.testing.assert_close(inputs.img, by_hand(imgs, to_rgb))
    torch.testing.assert_close(inputs.target_img,
                               by_hand(targets, to_rgb))
    assert inputs.pose_maps.dtype == torch.float32
    assert torch.equal(inputs.pose_maps, maps)
    # The origin images are exactly what the pair preprocessor gives.
    plain = PairDataPreprocessor(mean=MEAN, std=STD, to_rgb=to_rgb)
    assert torch.equal(inputs.img,
                       plain(dict(inputs=batch['inputs']))['inputs'].img)
    # Samples: fields moved into inputs, the given ones untouched.
    for s, orig in zip(out['data_samples'], batch['data_samples']):
        assert 'target_img' not in s and 'pose_maps' not in s
        assert 'target_img' in orig and 'pose_maps' in orig
        assert torch.equal(s.gt_label, orig.gt_label)
        assert s.pair_idx == orig.pair_idx


def test_single_transfer_items():
    pre = PoseTransferDataPreprocessor(mean=MEAN, std=STD)
    batch = transfer_batch(2, pair=False)
    out = pre(batch)
    inputs = out['inputs']
    assert isinstance(inputs, PoseTransferInputs)
    assert inputs.img.shape == (2, 3, H, W)
    assert inputs.target_img.shape == (2, 3, H, W)
    assert inputs.pose_maps.shape == (2, 18, H, W)
    targets = torch.stack([s.target_img for s in batch['data_samples']])
    torch.testing.assert_close(inputs.target_img, by_hand(targets, True))
    torch.testing.assert_close(inputs.img,
                               by_hand(torch.stack(batch['inputs']), True))


def test_plain_batches_fall_through():
    pre = PoseTransferDataPreprocessor(mean=MEAN, std=STD)
    singles = [uint8(3, H, W, seed=k) for k in range(3)]
    samples = [ReIDDataSample().set_gt_label(k) for k in range(3)]
    out = pre(dict(inputs=singles, data_samples=samples))
    ref = ReIDDataPreprocessor(mean=MEAN, std=STD)(
        dict(inputs=singles, data_samples=samples))
    assert torch.equal(out['inputs'], ref['inputs'])
    assert [s.gt_label.item() for s in out['data_samples']] == [0, 1, 2]
    pairs = [uint8(2, 3, H, W, seed=k) for k in range(2)]
    out = pre(dict(inputs=pairs, data_samples=samples[:2]))
    ref = PairDataPreprocessor(mean=MEAN, std=STD)(dict(inputs=pairs))
    assert isinstance(out['inputs'], PairInputs)
    assert not out['inputs'].has_pose_targets
    assert out['inputs'].img.shape == (2, 2, 3, H, W)
    assert torch.equal(out['inputs'].img, ref['inputs'].img)
    # No data samples at all.
    assert pre(dict(inputs=singles))['inputs'].shape == (3, 3, H, W)


def test_errors():
    pre = PoseTransferDataPreprocessor(mean=MEAN, std=STD)
    batch = transfer_batch(2)
    batch['data_samples'][1] = ReIDDataSample()
    with pytest.raises(ValueError, match='only some'):
        pre(batch)
    batch = transfer_batch(2)
    for s in batch['data_samples']:
        s.target_img = uint8(2, 3, H + 2, W)
    with pytest.raises(ValueError, match='target images'):
        pre(batch)
    batch = transfer_batch(2)
    for s in batch['data_samples']:
        s.pose_maps = torch.zeros(2, 18, H // 2, W // 2)
    with pytest.raises(ValueError, match='pose maps'):
        pre(batch)


@pytest.mark.parametrize('to_rgb', [True, False])
def test_destruct_inverts_the_normalisation(to_rgb):
    pre = ReIDDataPreprocessor(mean=MEAN, std=STD, to_rgb=to_rgb)
    bgr = uint8(5, 3, 16, 8, seed=1)
    out = pre.destruct(pre(dict(inputs=list(bgr)))['inputs'])
    assert out.dtype == torch.uint8 and out.shape == (5, 16, 8, 3)
    rgb = bgr.flip(1).permute(0, 2, 3, 1)  # what destruct must return
    assert torch.equal(out, rgb)
    # Any leading dims: the pair layout of PoseTransferDataPreprocessor.
    pt = PoseTransferDataPreprocessor(mean=MEAN, std=STD, to_rgb=to_rgb)
    batch = transfer_batch(2)
    res = pt(batch)['inputs']
    targets = torch.stack([s.target_img for s in batch['data_samples']])
    assert torch.equal(
        pt.destruct(res.target_img), targets.flip(2).permute(0, 1, 3, 4, 2))


def test_destruct_clips_and_without_normalisation():
    pre = ReIDDataPreprocessor(mean=MEAN, std=STD)
    big = torch.full((1, 3, 2, 2), 100.)
    assert pre.destruct(big).unique().tolist() == [255]
    assert pre.destruct(-big).unique().tolist() == [0]
    raw = ReIDDataPreprocessor(mean=None, std=None, to_rgb=False)
    x = uint8(2, 3, 4, 4, seed=3)
    assert torch.equal(
        raw.destruct(raw(dict(inputs=x))['inputs']),
        x.flip(1).permute(0, 2, 3, 1))
    with pytest.raises(ValueError, match='destruct'):
        pre.destruct(torch.zeros(3, 4))
