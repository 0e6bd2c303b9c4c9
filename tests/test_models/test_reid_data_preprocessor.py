# Copyright (c) mmreid contributors. All rights reserved.
"""ReIDDataPreprocessor: the stacked-batch path equals MMEngine's per-image
ImgDataPreprocessor exactly; channels_last=True gives the same values with
NHWC strides, and a model fed such batches computes what it computes on
NCHW batches."""
import pytest
import torch
from mmengine.model import ImgDataPreprocessor

from mmreid.models import ReIDDataPreprocessor
from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from mmreid.utils import register_all_modules

register_all_modules()


def batch(num=4, seed=0):
    g = torch.Generator().manual_seed(seed)
    imgs = [torch.randint(0, 256, (3, 32, 16), generator=g,
                          dtype=torch.uint8) for _ in range(num)]
    samples = [ReIDDataSample().set_gt_label(i // 2) for i in range(num)]
    return dict(inputs=imgs, data_samples=samples)


@pytest.mark.parametrize('to_rgb', [True, False])
@pytest.mark.parametrize('stacked', [False, True])
@pytest.mark.parametrize('dtype', [torch.uint8, torch.float32])
def test_batch_path_equals_mmengine_per_image_path(to_rgb, stacked, dtype):
    mean, std = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]
    ours = ReIDDataPreprocessor(mean=mean, std=std, to_rgb=to_rgb)
    theirs = ImgDataPreprocessor(mean=mean, std=std, bgr_to_rgb=to_rgb)
    data = batch(5)
    data['inputs'] = [x.to(dtype) for x in data['inputs']]
    if stacked:
        data['inputs'] = torch.stack(data['inputs'])
    originals = [x.clone() for x in data['inputs']]
    got = ours(dict(data), True)
    want = theirs(dict(data), True)
    assert got['inputs'].dtype == torch.float32
    assert torch.equal(got['inputs'], want['inputs'])
    assert got['data_samples'] is not None
    # the caller's tensors are not modified (in-place work is on copies)
    for x, orig in zip(data['inputs'], originals):
        assert torch.equal(x, orig)


def test_other_layouts_fall_back_to_mmengine():
    # one channel with a 3-value mean is MMEngine's error, not a broadcast
    pre = ReIDDataPreprocessor(to_rgb=False)
    with pytest.raises(AssertionError, match='3 values'):
        pre(dict(inputs=[torch.zeros(1, 4, 2, dtype=torch.uint8)] * 2))
    # no normalisation: float copies, any channel count
    pre = ReIDDataPreprocessor(mean=None, std=None, to_rgb=False)
    out = pre(dict(inputs=[torch.ones(5, 4, 2, dtype=torch.uint8)] * 2))
    assert out['inputs'].shape == (2, 5, 4, 2)
    assert out['inputs'].dtype == torch.float32


def test_channels_last_batches_hold_the_same_values():
    plain = ReIDDataPreprocessor()(batch(), True)['inputs']
    nhwc = ReIDDataPreprocessor(channels_last=True)(batch(), True)['inputs']
    assert plain.is_contiguous()
    assert nhwc.is_contiguous(memory_format=torch.channels_last)
    assert not nhwc.is_contiguous()
    assert torch.equal(plain, nhwc)


def test_a_model_on_channels_last_batches_matches_nchw():
    cfg = dict(type='Baseline',
               backbone=dict(type='mmpretrain.ResNet', depth=18,
                             out_indices=(3, )),
               neck=dict(type='mmpretrain.GlobalAveragePooling'),
               head=dict(type='BNNeckHead', in_channels=512, num_classes=2))
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.data_preprocessor = ReIDDataPreprocessor()
    model_cl = MODELS.build(cfg)
    model_cl.load_state_dict(model.state_dict())
    model_cl.data_preprocessor = ReIDDataPreprocessor(channels_last=True)
    losses = {}
    for name, m in (('nchw', model), ('nhwc', model_cl)):
        m.train()
        data = m.data_preprocessor(batch(), True)
        out = m(**data, mode='loss')
        loss = sum(v for k, v in out.items() if k.startswith('loss'))
        loss.backward()
        losses[name] = (loss.detach(), m.backbone.conv1.weight.grad.clone())
    torch.testing.assert_close(losses['nhwc'][0], losses['nchw'][0],
                               rtol=1e-4, atol=1e-5)
    # gradients: float rounding of other kernels, amplified by train-mode
    # BatchNorm on 4 images; equal up to a small relative error
    g_nhwc, g_nchw = losses['nhwc'][1], losses['nchw'][1]
    rel = (g_nhwc - g_nchw).norm() / g_nchw.norm()
    print(f'relative gradient difference {rel:.2e}')
    assert rel < 1e-3
