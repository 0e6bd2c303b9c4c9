# Copyright (c) mmreid contributors. All rights reserved.
"""AACN: the map loss, the part attention head and network, the alignment,
the composition and the composed model, against the spec's shapes and
hand computations."""
import copy

import pytest
import torch
import torch.nn.functional as F

from mmreid.models.heads import PartAttentionHead
from mmreid.models.losses import MapL2Loss
from mmreid.models.necks import AttentionAlignment, WeightedComposition
from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from mmreid.utils import register_all_modules

register_all_modules()

TINY_HEAD = dict(
    feat_channels=(8, ),
    stage1=dict(num_convs=1, channels=8, hidden=8),
    refine=dict(num_convs=1, kernel_size=3, channels=8, hidden=8))
TINY_PPA = dict(
    type='PoseGuidedPartAttention',
    trunk=dict(
        type='mmpretrain.ResNet',
        depth=18,
        stem_channels=8,
        base_channels=8,
        num_stages=2,
        strides=(1, 2),
        dilations=(1, 1),
        out_indices=(1, )),
    head=dict(type='PartAttentionHead', in_channels=16, **TINY_HEAD))


def tiny_aacn(**kwargs):
    cfg = dict(
        type='AACN',
        backbone=dict(type='InceptionV1'),
        ppa=copy.deepcopy(TINY_PPA),
        composition=dict(
            type='WeightedComposition',
            in_channels=832,
            num_parts=11,
            out_channels=32),
        head=dict(
            type='BNNeckHead',
            in_channels=32,
            num_classes=3,
            loss_cls=dict(type='mmpretrain.CrossEntropyLoss'),
            loss_triplet=None))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def samples_with_targets(n, hw=(16, 8), seed=0):
    g = torch.Generator().manual_seed(seed)
    out = []
    for i in range(n):
        s = ReIDDataSample().set_gt_label(i % 3)
        s.set_field(torch.rand(17, *hw, generator=g), 'heatmaps')
        s.set_field(torch.rand(11, *hw, generator=g), 'part_maps')
        out.append(s)
    return out


def test_map_l2_loss_by_hand():
    pred = torch.tensor([[[[1., 0.], [0., 0.]], [[0., 0.], [0., 3.]]]])
    target = torch.tensor([[[[0., 0.], [0., 2.]], [[0., 0.], [0., 0.]]]])
    # map 1: 1 + 4 = 5; map 2: 9; mean over the 2 maps = 7
    assert float(MapL2Loss()(pred, target)) == pytest.approx(7.)
    assert float(MapL2Loss(loss_weight=0.5)(pred, target)) == \
        pytest.approx(3.5)
    # two images: the mean over the batch
    p2 = torch.cat([pred, torch.zeros_like(pred)])
    t2 = torch.cat([target, torch.zeros_like(target)])
    assert float(MapL2Loss()(p2, t2)) == pytest.approx(3.5)
    with pytest.raises(ValueError, match='differ'):
        MapL2Loss()(pred, target[:, :1])


def test_head_shapes_of_the_spec():
    head = PartAttentionHead(in_channels=16, num_stages=3, **TINY_HEAD)
    outs = head(torch.randn(2, 16, 16, 8))
    assert len(outs) == 3
    for out in outs:
        assert out['keypoints'].shape == (2, 17, 16, 8)  # C^k
        assert out['nonrigid'].shape == (2, 8, 16, 8)  # C^n
        assert out['rigid'].shape == (2, 3, 16, 8)  # C^r
    pred = head.predict(torch.randn(2, 16, 16, 8))
    assert pred['maps'].shape == (2, 11, 16, 8)
    assert pred['visibility'].shape == (2, 11)
    assert head.part_names[:3] == ['head', 'upper_body', 'lower_body']
    assert head.members == [[], [0, 1, 2, 3], [4, 5, 6, 7]]
    # OpenPose-18 keypoint maps
    head18 = PartAttentionHead(
        in_channels=16, keypoint_format='openpose18', **TINY_HEAD)
    assert head18(torch.randn(1, 16, 4, 4))[0]['keypoints'].shape[1] == 18
    # later stages see F and the previous maps
    assert head.stages[1]['rigid'][0].conv.in_channels == 8 + 17 + 8 + 3


def test_rigid_refinement_and_visibility_by_hand():
    head = PartAttentionHead(in_channels=4, **TINY_HEAD)
    rigid = torch.zeros(1, 3, 2, 2)
    rigid[0, 1, 0, 0] = 0.5
    nonrigid = torch.zeros(1, 8, 2, 2)
    nonrigid[0, 0, 0, 0] = 0.2  # left upper arm, inside the upper body
    nonrigid[0, 2, 1, 1] = 0.7  # left forearm, inside the upper body
    nonrigid[0, 4, 0, 1] = -0.3  # left thigh, inside the lower body
    refined = head.refine_rigid(rigid, nonrigid)
    # max: the union of the rigid map and its limbs
    torch.testing.assert_close(refined[0, 1],
                               torch.tensor([[0.5, 0.], [0., 0.7]]))
    # the thigh's negative value does not lower the lower body's 0
    torch.testing.assert_close(refined[0, 2], torch.zeros(2, 2))
    torch.testing.assert_close(refined[0, 0], torch.zeros(2, 2))
    head.rigid_refine = 'sum'
    torch.testing.assert_close(head.refine_rigid(rigid, nonrigid)[0, 1],
                               torch.tensor([[0.7, 0.], [0., 0.7]]))
    torch.testing.assert_close(head.refine_rigid(rigid, nonrigid)[0, 2],
                               torch.tensor([[0., -0.3], [0., 0.]]))
    head.rigid_refine = 'none'
    assert head.refine_rigid(rigid, nonrigid) is rigid
    # v_p = sum |R_p| for rigid parts, sum |N_p| for limbs
    out = dict(rigid=refined, nonrigid=nonrigid,
               keypoints=torch.zeros(1, 17, 2, 2))
    vis = head.visibility(out)
    assert vis.shape == (1, 11)
    torch.testing.assert_close(
        vis[0], torch.tensor([0., 1.2, 0., 0.2, 0., 0.7, 0., 0.3, 0., 0.,
                              0.]))
    # the keypoint-peak variant: mean of the peaks of the part's keypoints
    head.visibility_mode = 'keypoint_peak'
    out['keypoints'][0, 5, 0, 0] = 0.8  # left shoulder
    out['keypoints'][0, 7, 1, 0] = 1.5  # left elbow, clipped to 1
    vis = head.visibility(out)
    assert float(vis[0, 3]) == pytest.approx((0.8 + 1.) / 2)  # upper arm
    # head: 5 facial keypoints and 2 shoulders, one peak of 0.8
    assert float(vis[0, 0]) == pytest.approx(0.8 / 7)


def test_head_loss_is_the_slide_formula():
    torch.manual_seed(0)
    head = PartAttentionHead(
        in_channels=16,
        loss_nonrigid=dict(type='MapL2Loss', loss_weight=2.),  # mu1
        loss_rigid=dict(type='MapL2Loss', loss_weight=3.),  # mu2
        **TINY_HEAD)
    feats = torch.randn(2, 16, 16, 8)
    samples = samples_with_targets(2)
    losses = head.loss(feats, samples)
    assert sorted(losses) == sorted(f'loss_{m}_s{t}' for m in 'knr'
                                    for t in (1, 2))
    outs = head(feats)
    k_star = torch.stack([s.heatmaps for s in samples])
    parts = torch.stack([s.part_maps for s in samples])
    r_star, n_star = parts[:, :3], parts[:, 3:]

    def l2(p, t):  # 1/C sum_c ||t_c - p_c||^2, averaged over the images
        n, c = p.shape[:2]
        return sum(((t[i, j] - p[i, j])**2).sum() for i in range(n)
                   for j in range(c)) / (n * c)

    for t, out in enumerate(outs, 1):
        torch.testing.assert_close(losses[f'loss_k_s{t}'],
                                   l2(out['keypoints'], k_star))
        torch.testing.assert_close(losses[f'loss_n_s{t}'],
                                   2 * l2(out['nonrigid'], n_star))
        # L^r compares R^ (formed with N) to R*
        torch.testing.assert_close(losses[f'loss_r_s{t}'],
                                   3 * l2(out['rigid'], r_star))


def test_head_loss_errors():
    head = PartAttentionHead(in_channels=16, **TINY_HEAD)
    feats = torch.randn(1, 16, 16, 8)
    sample = ReIDDataSample().set_gt_label(0)
    with pytest.raises(KeyError, match='heatmaps'):
        head.loss(feats, [sample])
    sample.set_field(torch.zeros(17, 16, 8), 'heatmaps')
    sample.set_field(torch.zeros(10, 16, 8), 'part_maps')
    with pytest.raises(ValueError, match='same limbs'):
        head.loss(feats, [sample])
    sample.set_field(torch.zeros(11, 8, 4), 'part_maps')
    with pytest.raises(ValueError, match='output size'):
        head.loss(feats, [sample])
    with pytest.raises(KeyError, match='left_hand'):
        PartAttentionHead(in_channels=4, limbs=[('x', 'left_hand', 'nose')])
    with pytest.raises(ValueError, match='rigid_refine'):
        PartAttentionHead(in_channels=4, rigid_refine='min')


def test_ppa_modes_and_learning():
    torch.manual_seed(0)
    ppa = MODELS.build(copy.deepcopy(TINY_PPA))
    x = torch.randn(2, 3, 128, 64)
    outs = ppa(x)
    assert len(outs) == 2 and outs[-1]['keypoints'].shape == (2, 17, 16, 8)
    samples = ppa(x, samples_with_targets(2), mode='predict')
    assert samples[0].pred_heatmaps.shape == (17, 16, 8)
    assert samples[0].pred_part_maps.shape == (11, 16, 8)
    assert samples[0].pred_visibility.shape == (11, )
    # a few steps on one batch lower every term
    samples = samples_with_targets(2)
    opt = torch.optim.Adam(ppa.parameters(), lr=1e-2)
    first = None
    for _ in range(15):
        losses = ppa(x, samples, mode='loss')
        if first is None:
            first = {k: float(v) for k, v in losses.items()}
        opt.zero_grad()
        sum(losses.values()).backward()
        opt.step()
    last = {k: float(v) for k, v in ppa(x, samples, mode='loss').items()}
    for k in first:
        assert last[k] < first[k], k
    with pytest.raises(ValueError, match='Invalid mode'):
        ppa(x, mode='feat')


def naive_alignment(feats, maps):
    n, c, h, w = feats.shape
    out = torch.zeros(n, maps.shape[1], c)
    for i in range(n):
        for p in range(maps.shape[1]):
            m = maps[i, p].clamp(min=0)
            m = m / (m.max() + 1e-6)
            for ch in range(c):
                out[i, p, ch] = (feats[i, ch] * m).sum() / (h * w)
    return out


def test_alignment_by_hand():
    torch.manual_seed(0)
    feats = torch.randn(2, 5, 4, 3)
    maps = torch.rand(2, 11, 4, 3)
    maps[0, 2] = 0  # an empty map gives a zero feature
    maps[1, 3, 0, 0] = -1  # negative values are clipped
    out = AttentionAlignment()(feats, maps)
    assert out.shape == (2, 11, 5)  # N x P x C
    torch.testing.assert_close(out, naive_alignment(feats, maps))
    assert out[0, 2].abs().max() == 0
    # maps at twice the resolution: bilinear halving = 2 x 2 averages
    big = maps.repeat_interleave(2, 2).repeat_interleave(2, 3)
    torch.testing.assert_close(AttentionAlignment()(feats, big), out)
    # the attention-weighted mean
    wm = AttentionAlignment(pooling='weighted_mean')(feats, maps)
    m = maps.clamp(min=0)
    expected = torch.einsum('nchw,nphw->npc', feats, m) / (
        m.sum((2, 3))[..., None] + 1e-6)
    torch.testing.assert_close(wm, expected)
    with pytest.raises(ValueError, match='pooling'):
        AttentionAlignment(pooling='max')


def test_composition_by_hand():
    parts = torch.arange(12.).view(1, 3, 4)
    glob = torch.full((1, 4), -1.)
    vis = torch.tensor([[1., 2., 3.]])
    comp = WeightedComposition(4, 3, out_channels=None)
    out = comp(glob, parts, vis)
    w = vis / vis.mean()
    expected = torch.cat([glob[0]] + [w[0, p] * parts[0, p]
                                      for p in range(3)])
    torch.testing.assert_close(out[0], expected)
    comp.visibility_norm = 'max'
    torch.testing.assert_close(comp.weights(vis), vis / 3)
    comp.visibility_norm = 'none'
    torch.testing.assert_close(comp.weights(vis), vis)
    off = WeightedComposition(
        4, 3, out_channels=None, visibility_weighting=False)
    torch.testing.assert_close(off(glob, parts, vis),
                               torch.cat([glob, parts.flatten(1)], 1))
    nog = WeightedComposition(4, 3, out_channels=None, with_global=False)
    assert nog(None, parts, vis).shape == (1, 12)
    fc = WeightedComposition(4, 3, out_channels=7)
    assert fc(glob, parts, vis).shape == (1, 7)
    assert fc.fc.in_features == 16
    with pytest.raises(ValueError, match='part features'):
        fc(glob, parts[:, :2], vis[:, :2])


def test_aacn_composes_the_pieces():
    torch.manual_seed(0)
    model = tiny_aacn().eval()
    x = torch.randn(2, 3, 128, 64)
    with torch.no_grad():
        emb = model.composed_feat(x)
        fmap = model.backbone(x)[-1]
        assert fmap.shape == (2, 832, 8, 4)
        att = model.ppa.attention(x)
        parts = naive_alignment(fmap, F.interpolate(
            att['maps'], size=(8, 4), mode='bilinear', align_corners=False))
        w = att['visibility'] / att['visibility'].mean(1, keepdim=True)
        comp = torch.cat([fmap.mean((2, 3)),
                          (parts * w[..., None]).flatten(1)], 1)
        torch.testing.assert_close(emb, model.composition.fc(comp),
                                   rtol=1e-4, atol=1e-5)
        assert model(x).shape == (2, 32)
    # without visibility weighting the feature changes
    off = tiny_aacn()
    off.load_state_dict(model.state_dict())
    off.composition.visibility_weighting = False
    off.eval()
    with torch.no_grad():
        assert not torch.allclose(off(x), model(x))


def test_aacn_freezes_the_ppa():
    model = tiny_aacn()
    model.train()
    assert not model.ppa.training and model.backbone.training
    assert not any(p.requires_grad for p in model.ppa.parameters())
    x = torch.randn(4, 3, 128, 64)
    samples = [ReIDDataSample().set_gt_label(i % 3) for i in range(4)]
    losses = model(x, samples, mode='loss')
    assert set(losses) == {'loss_cls', 'accuracy'}
    losses['loss_cls'].backward()
    assert all(p.grad is None for p in model.ppa.parameters())
    assert model.composition.fc.weight.grad is not None
    unfrozen = tiny_aacn(freeze_ppa=False)
    unfrozen.train()
    assert unfrozen.ppa.training
    unfrozen(x, samples, mode='loss')['loss_cls'].backward()
    assert any(p.grad is not None for p in unfrozen.ppa.parameters())


def test_aacn_checks_the_number_of_parts():
    with pytest.raises(ValueError, match='11'):
        tiny_aacn(composition=dict(
            type='WeightedComposition', in_channels=832, num_parts=8))
