# Copyright (c) mmreid contributors. All rights reserved.
import copy

import pytest
import torch
from mmengine.config import Config

from mmreid.models import Baseline, BNNeckHead
from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from mmreid.utils import register_all_modules

register_all_modules()


def tiny_baseline(num_classes=4, **kwargs):
    return Baseline(
        backbone=dict(
            type='mmpretrain.ResNet',
            depth=18,
            strides=(1, 2, 2, 1),
            out_indices=(3, )),
        head=dict(type='BNNeckHead', in_channels=512,
                  num_classes=num_classes),
        **kwargs)


def samples(labels):
    return [ReIDDataSample().set_gt_label(int(v)) for v in labels]


def test_bnneck_head_losses_and_frozen_bias():
    head = BNNeckHead(in_channels=6, num_classes=3)
    head.init_weights()
    assert not head.bn.bias.requires_grad
    assert head.classifier.bias is None
    feats = torch.randn(6, 6, requires_grad=True)
    losses = head.loss(feats, samples([0, 0, 1, 1, 2, 2]))
    assert set(losses) == {'loss_cls', 'loss_triplet', 'accuracy'}
    # Label-smoothed CE by hand: (1 - eps) * CE + eps * mean(-log p).
    logits = head.classifier(head.bn(feats))
    logp = logits.log_softmax(1)
    labels = torch.tensor([0, 0, 1, 1, 2, 2])
    nll = -logp[torch.arange(6), labels]
    ref = (0.9 * nll + 0.1 * (-logp.mean(1))).mean()
    torch.testing.assert_close(losses['loss_cls'], ref)
    (losses['loss_cls'] + losses['loss_triplet']).backward()
    assert feats.grad is not None


def test_bnneck_head_rejects_test_labels():
    head = BNNeckHead(in_channels=4, num_classes=2)
    with pytest.raises(ValueError, match='label -1'):
        head.loss(torch.randn(2, 4), samples([-1, 0]))


def test_bnneck_head_needs_classes_for_ce():
    with pytest.raises(ValueError, match='num_classes'):
        BNNeckHead(in_channels=4, num_classes=None)
    head = BNNeckHead(in_channels=4, num_classes=None, loss_cls=None)
    assert set(head.loss(torch.randn(4, 4), samples([0, 0, 1, 1]))) == {
        'loss_triplet'
    }


def test_baseline_modes_and_shapes():
    model = tiny_baseline()
    model.init_weights()
    x = torch.randn(4, 3, 64, 32)
    # last stride 1: layer4 keeps 1/16 of the input
    assert model.backbone(x)[-1].shape == (4, 512, 4, 2)
    assert model(x, mode='tensor').shape == (4, 512)
    losses = model(x, samples([0, 0, 1, 1]), mode='loss')
    assert losses['loss_cls'] > 0
    model.eval()
    out = model(x, samples([-1] * 4), mode='predict')
    assert out[0].pred_feature.shape == (512, )
    with pytest.raises(ValueError, match='Invalid mode'):
        model(x, mode='bad')


def test_flip_test_time_augmentation():
    model = tiny_baseline(test_cfg=dict(flip=True)).eval()
    x = torch.randn(2, 3, 64, 32)
    plain = tiny_baseline().eval()
    plain.load_state_dict(model.state_dict())
    expected = (plain.extract_feat(x) + plain.extract_feat(x.flip(-1))) / 2
    got = torch.stack(
        [s.pred_feature for s in model.predict(x)])
    torch.testing.assert_close(got, expected)
    # a mirrored input gives the same flip-averaged feature
    mirrored = torch.stack([s.pred_feature for s in model.predict(x.flip(-1))])
    torch.testing.assert_close(mirrored, got, rtol=1e-4, atol=1e-5)


def test_unknown_test_cfg_key():
    with pytest.raises(KeyError, match='flipp'):
        tiny_baseline(test_cfg=dict(flipp=True))


def test_config_model_builds_without_pretrained():
    cfg = Config.fromfile('configs/_base_/models/resnet50_bnneck.py')
    model_cfg = copy.deepcopy(cfg.model)
    model_cfg.backbone.init_cfg = None
    model_cfg.head.num_classes = 5
    model = MODELS.build(model_cfg)
    model.init_weights()
    assert model.backbone.layer4[0].conv2.stride == (1, 1)
    out = model(torch.randn(2, 3, 64, 32), mode='tensor')
    assert out.shape == (2, 2048)
