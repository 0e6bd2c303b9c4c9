# Copyright (c) mmreid contributors. All rights reserved.
import torch
import torch.nn.functional as F

import mmreid.models.backbones  # noqa: F401
import mmreid.models.necks  # noqa: F401
from mmreid.models.reid.pabr import (PABR, PosePartStream,
                                     gather_across_ranks)
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
    """methods.md 4(a): A 512 x 20 x 10, P 128 x 20 x 10, 512-d L2."""
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
    assert model.loss_module.mining == 'all'
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


def test_gather_across_ranks_single_process():
    f, lab = torch.randn(3, 4, requires_grad=True), torch.arange(3)
    g, glab = gather_across_ranks(f, lab)
    assert g is f and glab is lab


def _ddp_worker(rank, world_size, port, feats, labels, out):
    import os

    import torch.distributed as dist

    from mmreid.models.losses import TripletLoss
    os.environ['MASTER_ADDR'] = '127.0.0.1'
    os.environ['MASTER_PORT'] = str(port)
    dist.init_process_group('gloo', rank=rank, world_size=world_size)
    n = len(feats) // world_size
    local = feats[rank * n:(rank + 1) * n].clone().requires_grad_(True)
    g, glab = gather_across_ranks(local, labels[rank * n:(rank + 1) * n])
    loss = TripletLoss(margin=0.2, mining='all', squared=True)(g, glab)
    loss.backward()
    # DDP averages gradients over ranks
    out[rank * n:(rank + 1) * n] = local.grad / world_size
    dist.destroy_process_group()


def test_gather_across_ranks_gradient_equals_single_process():
    """2 gloo processes: gathered loss gradient == one process on all."""
    import random

    import torch.multiprocessing as mp

    from mmreid.models.losses import TripletLoss
    torch.manual_seed(0)
    feats = F.normalize(torch.randn(8, 4), dim=1)
    labels = torch.tensor([0, 0, 1, 1, 2, 2, 3, 3])
    ref = feats.clone().requires_grad_(True)
    TripletLoss(margin=0.2, mining='all', squared=True)(ref, labels).backward()
    out = torch.zeros(8, 4).share_memory_()
    mp.spawn(
        _ddp_worker,
        args=(2, random.randint(20000, 30000), feats, labels, out),
        nprocs=2)
    torch.testing.assert_close(out, ref.grad, atol=1e-6, rtol=1e-5)
