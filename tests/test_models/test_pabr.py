# Copyright (c) mmreid contributors. All rights reserved.
import torch
import torch.nn.functional as F

import mmreid.models.backbones  # noqa: F401
import mmreid.models.necks  # noqa: F401
from mmreid.models.pose import PosePartStream
from mmreid.models.reid.pabr import PABR
from mmreid.structures import ReIDDataSample
from mmreid.utils import register_all_modules

register_all_modules()

TINY_ESTIMATOR = dict(
    type='MMPoseEstimator',
    checkpoint=None,
    freeze=False,
    config=dict(
        codec=dict(input_size=(32, 64)),
        model=dict(
            type='TopdownPoseEstimator',
            backbone=dict(type='ResNet', depth=18),
            head=dict(
                type='HeatmapHead',
                in_channels=512,
                out_channels=17,
                deconv_out_channels=(16, ),
                deconv_kernel_sizes=(4, )))))


def samples(labels):
    return [ReIDDataSample().set_gt_label(int(v)) for v in labels]


def tiny_pabr(**kwargs):
    return PABR(
        backbone=dict(type='InceptionV1', dilation=2),
        part_stream=dict(
            type='PosePartStream',
            estimator=TINY_ESTIMATOR,
            in_channels=512,
            out_channels=128),
        pooling=dict(
            type='CompactBilinearPooling',
            input_dim1=512,
            input_dim2=128,
            output_dim=512),
        **kwargs)


def test_part_stream_shape_and_finetuned():
    stream = PosePartStream(TINY_ESTIMATOR, in_channels=512)
    x = torch.randn(2, 3, 160, 80)
    p = stream(x, out_size=(20, 10))
    assert p.shape == (2, 128, 20, 10)
    # BN without affine parameters, no ReLU: negative values remain
    assert stream.reduce.bn.weight is None and (p < 0).any()
    p.sum().backward()
    grads = [
        q.grad for q in stream.estimator.parameters() if q.requires_grad
    ]
    assert grads and any(g is not None for g in grads)


def test_pabr_streams_and_descriptor():
    """PABR's sizes: A 512 x 20 x 10, P 128 x 20 x 10, 512-d L2."""
    model = tiny_pabr()
    x = torch.randn(2, 3, 160, 80)
    a, p = model.streams(x)
    assert a.shape == (2, 512, 20, 10) and p.shape == (2, 128, 20, 10)
    feats = model(x)
    assert feats.shape == (2, 512)
    torch.testing.assert_close(feats.norm(dim=1), torch.ones(2))
    ref = F.normalize(model.pooling(a, p), dim=1)
    torch.testing.assert_close(feats, ref, atol=1e-5, rtol=1e-5)


def test_pabr_exact_bilinear_and_loss():
    model = PABR(
        backbone=dict(type='InceptionV1', dilation=2),
        part_stream=dict(
            type='PosePartStream', estimator=TINY_ESTIMATOR,
            in_channels=512),
        pooling=dict(type='BilinearPooling'))
    x = torch.randn(4, 3, 128, 64)
    assert model(x).shape == (4, 512 * 128)
    losses = model(x, samples([0, 0, 1, 1]), mode='loss')
    assert model.head.loss_triplet.mining == 'all'
    assert model.head.loss_triplet.gather_across_ranks
    losses['loss_triplet'].backward()
    # both streams are trained
    assert model.backbone.conv1.conv.weight.grad is not None
    assert model.part_stream.reduce.conv.weight.grad is not None


def test_pabr_appearance_only():
    model = PABR(
        backbone=dict(type='InceptionV1'),
        part_stream=None,
        pooling=dict(type='mmpretrain.GlobalAveragePooling'))
    x = torch.randn(2, 3, 160, 80)
    assert model.streams(x)[0].shape == (2, 512, 10, 5)
    assert model(x).shape == (2, 512)
    model.eval()
    assert model(x, samples([-1, -1]), mode='predict')[0].pred_feature.shape \
        == (512, )


def test_appearance_only_ablation_is_the_official_inception_v1_model():
    """5b (1024) -> GAP -> linear 1x1 1024 -> 512 -> L2."""
    torch.manual_seed(0)
    model = PABR(
        backbone=dict(type='InceptionV1', out_indices=(3, )),
        in_channels=1024,
        app_norm_cfg=None,
        part_stream=None,
        pooling=dict(type='mmpretrain.GlobalAveragePooling'))
    model.eval()
    x = torch.randn(2, 3, 160, 80)
    with torch.no_grad():
        maps = model.backbone(x)[0]
        assert maps.shape == (2, 1024, 5, 3)
        assert model.streams(x)[0].shape == (2, 512, 5, 3)
        conv = model.app_reduce.conv
        assert conv.bias is not None and model.app_reduce.norm_cfg is None
        # pool first, then the linear 1x1 conv, then L2 (official order)
        ref = F.normalize(conv(maps.mean((2, 3), keepdim=True)).flatten(1),
                          dim=1)
        torch.testing.assert_close(model(x), ref, atol=1e-5, rtol=1e-4)
