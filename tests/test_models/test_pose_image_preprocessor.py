# Copyright (c) mmreid contributors. All rights reserved.
"""Skeleton images are normalised like photos (PN-GAN)."""
import pytest
import torch

from mmreid.models import PoseTransferDataPreprocessor
from mmreid.structures import PairInputs, PoseTransferInputs, ReIDDataSample


def item(h=8, w=4, pair=False, seed=0):
    g = torch.Generator().manual_seed(seed)
    lead = (2, ) if pair else ()
    s = ReIDDataSample()
    s.target_img = torch.randint(0, 256, (*lead, 3, h, w), dtype=torch.uint8,
                                 generator=g)
    s.pose_maps = torch.randint(0, 256, (*lead, h, w, 3), dtype=torch.uint8,
                                generator=g)
    img = torch.randint(0, 256, (*lead, 3, h, w), dtype=torch.uint8,
                        generator=g)
    return img, s


def test_pose_images_are_normalised_like_photos():
    pre = PoseTransferDataPreprocessor(mean=[127.5] * 3, std=[127.5] * 3,
                                       pose_as_image=True)
    items = [item(seed=k) for k in range(2)]
    out = pre(dict(inputs=[i for i, _ in items],
                   data_samples=[s for _, s in items]))
    x = out['inputs']
    assert isinstance(x, PoseTransferInputs)
    assert x.pose_maps.shape == (2, 3, 8, 4)
    for k, (_, s) in enumerate(items):
        # the H x W x 3 BGR skeleton as a 3 x H x W photo through the
        # same preprocessor
        photo = s.pose_maps.permute(2, 0, 1).contiguous()
        want = pre(dict(inputs=[photo]))['inputs'][0]
        torch.testing.assert_close(x.pose_maps[k], want)
        # BGR -> RGB and [0, 255] -> [-1, 1], by hand
        torch.testing.assert_close(
            x.pose_maps[k, 0], s.pose_maps[..., 2].float() / 127.5 - 1)
    assert x.pose_maps.min() >= -1 and x.pose_maps.max() <= 1


def test_pose_images_of_pairs():
    pre = PoseTransferDataPreprocessor(mean=[0] * 3, std=[1] * 3,
                                       to_rgb=False, pose_as_image=True)
    img, s = item(pair=True)
    x = pre(dict(inputs=[img], data_samples=[s]))['inputs']
    assert isinstance(x, PairInputs)
    assert x.pose_maps.shape == (1, 2, 3, 8, 4)
    torch.testing.assert_close(x.pose_maps[0, 1],
                               s.pose_maps[1].permute(2, 0, 1).float())


def test_maps_stay_float_maps_by_default_and_bad_images_raise():
    pre = PoseTransferDataPreprocessor(mean=[0] * 3, std=[1] * 3)
    img, s = item()
    s.pose_maps = torch.rand(18, 8, 4)
    x = pre(dict(inputs=[img], data_samples=[s]))['inputs']
    torch.testing.assert_close(x.pose_maps[0], s.pose_maps)
    pre = PoseTransferDataPreprocessor(pose_as_image=True)
    with pytest.raises(ValueError, match='H x W x 3'):
        pre(dict(inputs=[img], data_samples=[s]))
