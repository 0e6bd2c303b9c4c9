# Copyright (c) mmreid contributors. All rights reserved.
import pytest
import torch

pytest.importorskip('mmpose')

from mmreid.models.pose.mmpose_estimator import (  # noqa: E402
    HRNET_W32_COCO_CHECKPOINT, HRNET_W32_COCO_CONFIG, MMPoseEstimator,
    decode_heatmaps)
from mmreid.registry import MODELS  # noqa: E402

# HRNet-W32 of MMPose with a 96 x 64 input, to keep the tests fast.
TINY_CFG = dict(
    _base_=HRNET_W32_COCO_CONFIG,
    codec=dict(
        type='MSRAHeatmap',
        input_size=(64, 96),
        heatmap_size=(16, 24),
        sigma=2))


@pytest.fixture(scope='module')
def tiny_cfg_file(tmp_path_factory):
    path = tmp_path_factory.mktemp('pose') / 'tiny_pose.py'
    path.write_text(f'_base_ = {HRNET_W32_COCO_CONFIG!r}\n'
                    f'codec = {TINY_CFG["codec"]!r}\n')
    return str(path)


def test_default_is_real_hrnet_w32_with_metafile_url():
    # the default URL is the one of MMPose's metafile
    from mmreid.models.pose.mmpose_estimator import metafile_checkpoint
    assert metafile_checkpoint(HRNET_W32_COCO_CONFIG) == \
        HRNET_W32_COCO_CHECKPOINT


def test_hrnet_w32_random_init_batch2():
    est = MODELS.build(dict(type='MMPoseEstimator', checkpoint=None))
    est.init_weights()
    assert est.input_size == (192, 256) and est.checkpoint is None
    out = est(torch.randn(2, 3, 64, 32))
    assert out['keypoints'].shape == (2, 17, 3)
    assert out['heatmaps'].shape == (2, 17, 64, 48)
    assert out['feats'][0].shape == (2, 32, 64, 48)
    assert out['valid_box'].tolist() == [45, 25, 147, 230]
    # frozen: eval mode, no gradients, stays in eval mode
    assert not any(p.requires_grad for p in est.parameters())
    est.train()
    assert not est.estimator.training
    assert not out['heatmaps'].requires_grad


def test_finetune_has_grads(tiny_cfg_file):
    est = MMPoseEstimator(tiny_cfg_file, checkpoint=None, freeze=False)
    est.train()
    assert est.estimator.training
    out = est(torch.randn(2, 3, 32, 16))
    assert out['heatmaps'].shape == (2, 17, 24, 16)
    out['heatmaps'].sum().backward()
    grads = [p.grad for p in est.parameters() if p.requires_grad]
    assert grads and all(g is not None for g in grads[:5])
    cut = est.crop_to_input(out['feats'][0], (32, 16), out_size=(8, 4))
    assert cut.shape == (2, 32, 8, 4)


def test_checkpoint_becomes_pretrained_init_cfg(tiny_cfg_file):
    est = MMPoseEstimator(tiny_cfg_file, checkpoint='/x/y.pth')
    assert est.estimator.init_cfg == dict(
        type='Pretrained', checkpoint='/x/y.pth')
    bb_init = est.estimator.backbone.init_cfg  # no ImageNet download
    assert not (isinstance(bb_init, dict)
                and bb_init.get('type') == 'Pretrained')
    with pytest.raises(FileNotFoundError, match='MMPose config'):
        MMPoseEstimator('/no/such/config.py', checkpoint=None)


def test_keypoints_map_back_to_crop_pixels(tiny_cfg_file):
    """Heatmaps peaking where a crop's bright dot lands decode to the dot."""
    est = MMPoseEstimator(tiny_cfg_file, checkpoint=None)
    crop = torch.zeros(1, 3, 64, 32)
    crop[..., 40:43, 20:23] = 5.  # a 3 x 3 dot centred on (21, 41)

    def fake(x):  # heatmaps = brightness at the input resolution
        return x[:, :1].repeat(1, 17, 1, 1), (x, )

    est._heatmaps = fake
    kpt = est(crop)['keypoints'][0, 0]
    assert abs(kpt[0] - 21) < 1 and abs(kpt[1] - 41) < 1


def test_decode_heatmaps():
    hm = torch.zeros(2, 3, 10, 8)
    hm[0, 1, 4, 5] = 0.7
    hm[0, 1, 4, 6] = 0.2
    hm[0, 1, 5, 5] = 0.1
    out = decode_heatmaps(hm)
    assert out.shape == (2, 3, 3)
    assert out[0, 1].tolist() == pytest.approx([5.25, 4.25, 0.7])
    assert out[1, 0, 2] == 0
    assert decode_heatmaps(-torch.ones(1, 1, 4, 4))[0, 0, 2] == 0


def test_decode_matches_mmpose_codec():
    from mmpose.codecs import MSRAHeatmap
    codec = MSRAHeatmap(input_size=(48, 64), heatmap_size=(12, 16), sigma=2)
    torch.manual_seed(0)
    hm = torch.rand(3, 17, 16, 12)
    ours = decode_heatmaps(hm)
    for i in range(3):
        kpts, scores = codec.decode(hm[i].numpy())
        # the codec maps heatmap pixels to input pixels by the stride (4)
        assert torch.allclose(ours[i, :, :2] * 4, torch.from_numpy(kpts[0]))
        assert torch.allclose(ours[i, :, 2], torch.from_numpy(scores[0]))


def test_loads_a_local_checkpoint(tiny_cfg_file, tmp_path):
    torch.manual_seed(0)
    src = MMPoseEstimator(tiny_cfg_file, checkpoint=None)
    path = str(tmp_path / 'pose.pth')
    # an MMPose checkpoint: the TopdownPoseEstimator's state dict
    torch.save(dict(state_dict=src.estimator.state_dict()), path)
    torch.manual_seed(1)
    dst = MMPoseEstimator(tiny_cfg_file, checkpoint=path)
    key = 'backbone.conv1.weight'
    assert not torch.equal(dst.estimator.state_dict()[key],
                           src.estimator.state_dict()[key])
    dst.init_weights()
    for k, v in src.estimator.state_dict().items():
        assert torch.equal(dst.estimator.state_dict()[k], v), k
    x = torch.randn(1, 3, 32, 16)
    assert torch.allclose(src(x)['heatmaps'], dst(x)['heatmaps'])
