# Copyright (c) mmreid contributors. All rights reserved.
import importlib

import pytest
import torch

from mmreid.models.backbones import InceptionV1


@pytest.mark.parametrize('arch', ['torchvision', 'bvlc'])
def test_inception_v1_shapes(arch):
    """The paper sizes: 160 x 80 -> 832 x 10 x 5, dilation 2 -> 20 x 10."""
    x = torch.randn(1, 3, 160, 80)
    net = InceptionV1(arch=arch, out_indices=(0, 1, 2))
    pool2, inc3b, inc4e = net(x)
    assert pool2.shape == (1, 192, 20, 10)
    assert inc3b.shape == (1, 480, 20, 10)
    assert inc4e.shape == (1, 832, 10, 5)
    net = InceptionV1(arch=arch, dilation=2)
    assert net(x)[-1].shape == (1, 832, 20, 10)


def test_inception_v1_matches_torchvision():
    """torchvision's GoogLeNet weights load and give the same inception_4e."""
    googlenet = importlib.import_module('torchvision.models.googlenet')
    tv = googlenet.GoogLeNet(aux_logits=False, init_weights=False).eval()
    net = InceptionV1().eval()
    missing, unexpected = net.load_state_dict(tv.state_dict(), strict=False)
    assert not missing
    assert all(k.startswith(('inception5', 'fc')) for k in unexpected)
    x = torch.randn(2, 3, 160, 80)
    with torch.no_grad():
        y = tv.maxpool2(tv.conv3(tv.conv2(tv.maxpool1(tv.conv1(x)))))
        y = tv.maxpool3(tv.inception3b(tv.inception3a(y)))
        for name in 'abcde':
            y = getattr(tv, 'inception4' + name)(y)
        torch.testing.assert_close(net(x)[-1], y)


def test_inception_v1_stage5_matches_torchvision():
    """out_indices=(3, ): every trunk weight of torchvision's GoogLeNet
    loads, and inception_5b equals torchvision's."""
    googlenet = importlib.import_module('torchvision.models.googlenet')
    tv = googlenet.GoogLeNet(aux_logits=False, init_weights=False).eval()
    net = InceptionV1(out_indices=(2, 3)).eval()
    missing, unexpected = net.load_state_dict(tv.state_dict(), strict=False)
    assert not missing
    assert all(k.startswith('fc') for k in unexpected)
    x = torch.randn(2, 3, 160, 80)
    with torch.no_grad():
        y = tv.maxpool2(tv.conv3(tv.conv2(tv.maxpool1(tv.conv1(x)))))
        y = tv.maxpool3(tv.inception3b(tv.inception3a(y)))
        for name in 'abcde':
            y = getattr(tv, 'inception4' + name)(y)
        y = tv.inception5b(tv.inception5a(tv.maxpool4(y)))
        out = net(x)
    assert out[1].shape == (2, 1024, 5, 3)
    torch.testing.assert_close(out[1], y)
    with pytest.raises(IndexError):
        InceptionV1(out_indices=(4, ))


def test_inception_v1_bvlc_layers_and_dilation():
    net = InceptionV1(arch='bvlc', dilation=2)
    # BVLC: 5x5 branch, convs with bias, LRN; dilated 3x3/5x5 in 4a-4e
    conv5 = net.inception4a.branch3[1].conv
    assert conv5.kernel_size == (5, 5) and conv5.dilation == (2, 2)
    assert conv5.bias is not None
    assert isinstance(net.lrn1, torch.nn.LocalResponseNorm)
    assert net.inception3a.branch2[1].conv.dilation == (1, 1)
    assert isinstance(net.maxpool3, torch.nn.Identity)


def test_inception_v1_args_and_norm_eval():
    with pytest.raises(ValueError):
        InceptionV1(arch='caffe')
    with pytest.raises(ValueError):
        InceptionV1(dilation=3)
    net = InceptionV1(norm_eval=True).train()
    assert not net.conv1.bn.training
