# Copyright (c) mmreid contributors. All rights reserved.
"""PCBHead against hand computations, and the plugin's configs."""
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from mmreid.utils import register_all_modules
from projects.pcb.pcb import PCBHead

register_all_modules()

PROJECT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def samples(labels):
    return [ReIDDataSample().set_gt_label(int(v)) for v in labels]


def test_stripes_are_equal_row_bands():
    head = PCBHead(in_channels=4, num_stripes=6, reduced_channels=3)
    x = torch.randn(2, 4, 12, 5)
    g = head.stripe_features(x)
    assert g.shape == (2, 6, 4)
    for i in range(6):
        # stripe i averages rows 2i and 2i + 1 over every column
        torch.testing.assert_close(g[:, i], x[:, :, 2 * i:2 * i + 2].mean(
            (2, 3)))


def test_test_features_are_per_stripe_normalised_concatenations():
    x = torch.randn(3, 8, 6, 2)
    head = PCBHead(in_channels=8, num_stripes=3, reduced_channels=5)
    head.init_weights()
    head.eval()
    feat = head.predict(x)
    assert feat.shape == (3, 3 * 8)
    ref = torch.cat([
        F.normalize(x[:, :, 2 * i:2 * i + 2].mean((2, 3)), dim=1)
        for i in range(3)
    ], 1)
    torch.testing.assert_close(feat, ref)
    head.test_feature = 'reduced'
    feat = head.predict(x)
    assert feat.shape == (3, 3 * 5)
    # each stripe's h: 1x1 conv (no bias) + BN (eval) + ReLU, normalised
    g = x.view(3, 8, 3, 2, 2).mean((3, 4))  # N x C x stripes
    for i, conv in enumerate(head.reductions):
        bn = conv.bn
        h = g[:, :, i] @ conv.conv.weight.view(5, 8).t()
        h = (h - bn.running_mean) / torch.sqrt(bn.running_var + bn.eps)
        h = F.relu(h * bn.weight + bn.bias)
        torch.testing.assert_close(feat[:, 5 * i:5 * i + 5],
                                   F.normalize(h, dim=1))


def test_loss_is_the_sum_of_the_stripe_cross_entropies():
    head = PCBHead(
        in_channels=8, num_classes=4, num_stripes=6, reduced_channels=5)
    head.init_weights()
    head.eval()  # no dropout, BN running statistics: deterministic
    x = torch.randn(4, 8, 12, 4, requires_grad=True)
    labels = torch.tensor([0, 1, 2, 3])
    losses = head.loss(x, samples(labels))
    assert set(losses) == {'loss_cls', 'accuracy'}
    logits = head.logits(x)
    assert len(logits) == 6
    ref = sum(F.cross_entropy(lg, labels) for lg in logits)
    torch.testing.assert_close(losses['loss_cls'], ref)
    # init N(0, 0.001) classifiers: near-uniform logits, CE ~ log(4) each
    assert abs(losses['loss_cls'].item() - 6 * torch.log(
        torch.tensor(4.)).item()) < 0.05
    losses['loss_cls'].backward()
    # every stripe's classifier and reduction receives gradient
    for fc, conv in zip(head.classifiers, head.reductions):
        assert fc.weight.grad.abs().sum() > 0
        assert conv.conv.weight.grad.abs().sum() > 0


def test_per_stripe_or_shared_reduction():
    per = PCBHead(in_channels=8, num_classes=3, reduced_channels=4)
    shared = PCBHead(
        in_channels=8, num_classes=3, reduced_channels=4,
        share_reduction=True)
    assert len(per.reductions) == 6 and len(shared.reductions) == 1
    assert len(per.classifiers) == len(shared.classifiers) == 6
    shared.eval()
    x = torch.randn(2, 8, 6, 2)
    h = shared.reduced_features(x)
    g = shared.stripe_features(x)
    conv = shared.reductions[0]
    for i in range(6):  # the same conv on every stripe
        torch.testing.assert_close(h[i], conv(g[:, i, :, None, None]).flatten(
            1))


def test_errors():
    with pytest.raises(ValueError, match='test_feature'):
        PCBHead(test_feature='after_bn')
    with pytest.raises(ValueError, match='marker'):
        PCBHead(num_classes='train_set.num_classes')
    head = PCBHead(in_channels=4, reduced_channels=2)
    with pytest.raises(ValueError, match='5-row map'):
        head(torch.randn(1, 4, 5, 2))
    with pytest.raises(ValueError, match='N x C x H x W'):
        head(torch.randn(1, 4))
    with pytest.raises(ValueError, match='without num_classes'):
        head.loss(torch.randn(2, 4, 6, 2), samples([0, 1]))


@pytest.mark.parametrize('name, hw, dim', [
    ('pcb_resnet50_1xb64_market1501.py', (384, 128), 6 * 2048),
    ('pcb_resnet18_demo.py', (192, 64), 6 * 512),
])
def test_configs_build_and_forward(name, hw, dim):
    cfg = Config.fromfile(osp.join(PROJECT, 'configs', name))
    assert cfg.custom_imports.imports == ['projects.pcb.pcb']
    cfg.model.head.num_classes = 5
    model = MODELS.build(cfg.model)  # no init_weights: no downloads
    assert type(model.head).__name__ == 'PCBHead'
    for t in cfg.test_dataloader.dataset.pipeline:
        if t['type'] == 'ReIDResize':
            assert tuple(t['scale']) == hw[::-1]
    x = torch.randint(0, 256, (2, 3) + hw, dtype=torch.uint8)
    data = model.data_preprocessor(
        dict(inputs=list(x), data_samples=samples([0, 1])), True)
    losses = model(data['inputs'], data['data_samples'], mode='loss')
    assert losses['loss_cls'].requires_grad
    model.eval()
    with torch.no_grad():
        feats = model(data['inputs'], mode='tensor')
    assert feats.shape == (2, dim)
    # six unit stripe vectors
    torch.testing.assert_close(feats.norm(dim=1), torch.full((2, ), 6**0.5))


def test_market_config_is_the_papers_recipe():
    cfg = Config.fromfile(
        osp.join(PROJECT, 'configs', 'pcb_resnet50_1xb64_market1501.py'))
    backbone = cfg.model.backbone
    assert (backbone.depth, backbone.strides[-1]) == (50, 1)
    assert cfg.model.neck is None
    head = cfg.model.head
    assert head.num_stripes == 6
    assert (head.reduced_channels, head.dropout) == (256, 0.5)
    opt = cfg.optim_wrapper.optimizer
    assert (opt.type, opt.lr, opt.momentum, opt.weight_decay,
            opt.nesterov) == ('SGD', 0.1, 0.9, 5e-4, True)
    assert cfg.optim_wrapper.paramwise_cfg.custom_keys.backbone.lr_mult == 0.1
    assert cfg.param_scheduler[0].milestones == [40]
    assert cfg.train_cfg.max_epochs == 60
    assert cfg.train_dataloader.batch_size == 64
    assert [t['type'] for t in cfg.train_dataloader.dataset.pipeline] == [
        'LoadReIDImage', 'ReIDResize', 'ReIDRandomFlip', 'PackReIDInputs'
    ]
