# Copyright (c) mmreid contributors. All rights reserved.
import pytest
import torch
import torch.nn.functional as F

from mmreid.evaluation.functional import evaluate_features
from mmreid.models.backbones.idla_trunk import IDLATrunk
from mmreid.models.data_preprocessors.pair_data_preprocessor import \
    PairDataPreprocessor
from mmreid.models.heads.idla_head import IDLAHead
from mmreid.models.heads.neighborhood_difference import (
    NeighborhoodDifference, neighborhood_difference)
from mmreid.models.reid.idla import IDLA
from mmreid.registry import MODELS
from mmreid.structures import PairInputs, ReIDDataSample


def loop_neighborhood_difference(f, g, size):
    """Direct loop over positions: the paper's definition of the
    neighbourhood difference."""
    n, c, h, w = f.shape
    r = size // 2
    out = torch.zeros(n, c, h * size, w * size)
    for b in range(n):
        for i in range(c):
            for y in range(h):
                for x in range(w):
                    for a in range(size):
                        for d in range(size):
                            yy, xx = y + a - r, x + d - r
                            inside = 0 <= yy < h and 0 <= xx < w
                            gv = g[b, i, yy, xx] if inside else 0.
                            out[b, i, y * size + a,
                                x * size + d] = f[b, i, y, x] - gv
    return out


@pytest.mark.parametrize('size', [3, 5])
def test_neighborhood_difference_equals_loop(size):
    torch.manual_seed(0)
    f, g = torch.randn(2, 3, 4, 3), torch.randn(2, 3, 4, 3)
    k = neighborhood_difference(f, g, size)
    torch.testing.assert_close(k, loop_neighborhood_difference(f, g, size))
    # K' comes from g's centres and f's neighbourhoods: not -K.
    k2 = neighborhood_difference(g, f, size)
    torch.testing.assert_close(k2, loop_neighborhood_difference(g, f, size))
    assert not torch.allclose(k2, -k)
    # The layer applies a ReLU to both.
    lk, lk2 = NeighborhoodDifference(size)(f, g)
    torch.testing.assert_close(lk, F.relu(k))
    torch.testing.assert_close(lk2, F.relu(k2))


def test_neighborhood_difference_gradient():
    torch.manual_seed(0)
    f = torch.randn(1, 2, 3, 3, dtype=torch.double, requires_grad=True)
    g = torch.randn(1, 2, 3, 3, dtype=torch.double, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda a, b: neighborhood_difference(a, b, 3), (f, g))


def test_neighborhood_difference_errors():
    with pytest.raises(ValueError, match='same shape'):
        neighborhood_difference(
            torch.zeros(1, 1, 2, 2), torch.zeros(1, 1, 2, 3))
    with pytest.raises(ValueError, match='odd'):
        neighborhood_difference(
            torch.zeros(1, 1, 2, 2), torch.zeros(1, 1, 2, 2), 4)


def test_layer_shapes_of_the_paper():
    trunk, head = IDLATrunk(), IDLAHead()
    f = trunk(torch.rand(2, 3, 160, 60))
    assert f.shape == (2, 25, 37, 12)
    k, k2 = head.nd(f, f.flip(0))
    assert k.shape == k2.shape == (2, 25, 185, 60)
    summary = head.branch_k[:2](k)
    assert summary.shape == (2, 25, 37, 12)
    assert head.branch_k[:4](k).shape == (2, 25, 35, 10)
    assert head.branch_k(k).shape == (2, 25, 18, 5)
    assert head.fc[0].in_features == 4500
    assert head.fc[0].out_features == 500
    assert head(f, f.flip(0)).shape == (2, 2)
    # Separate weights for K and K'.
    assert head.branch_k[0].weight is not head.branch_k2[0].weight


def test_cached_pair_scores_equal_whole_network():
    torch.manual_seed(0)
    model = MODELS.build(
        dict(type='IDLA', test_cfg=dict(pair_batch_size=4)))
    model.init_weights()
    model.eval()
    imgs = torch.rand(5, 3, 160, 60)
    with torch.no_grad():
        feats = model.extract_feat(imgs)
        assert feats.shape == (5, 25 * 37 * 12)
        dist = model.distance_matrix(feats[:2], feats)
        qi = torch.arange(2).repeat_interleave(5)
        gi = torch.arange(5).repeat(2)
        whole = 1 - model.forward_pair(imgs[qi], imgs[gi])
    assert dist.shape == (2, 5)
    torch.testing.assert_close(dist.flatten(), whole, atol=1e-5, rtol=1e-4)
    # The same scores rank through the shared evaluation.
    res = evaluate_features(
        feats[:2], feats[2:], [0, 1], [0, 1, 2], [0, 0], [1, 1, 1],
        distance_fn=model.distance_matrix, topk=(1, ))
    assert 0 <= res['rank1'] <= 1


def test_predict_sets_flat_trunk_features():
    model = IDLA()
    samples = model(torch.rand(2, 3, 160, 60), None, mode='predict')
    assert samples[0].pred_feature.shape == (11100, )
    with pytest.raises(ValueError, match='160 x 60'):
        model.extract_feat(torch.rand(1, 3, 128, 64))
    with pytest.raises(KeyError, match='flip'):
        IDLA(test_cfg=dict(flip=True))


def test_pair_loss_and_train_step():
    torch.manual_seed(0)
    model = IDLA()
    pairs = [torch.randint(0, 255, (2, 3, 160, 60), dtype=torch.uint8)
             for _ in range(4)]
    samples = [ReIDDataSample().set_gt_label(i % 2) for i in range(4)]
    data = model.data_preprocessor(
        dict(inputs=pairs, data_samples=samples), True)
    assert isinstance(data['inputs'], PairInputs)
    assert data['inputs'].img.shape == (4, 2, 3, 160, 60)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_cls', 'acc_pair'}
    # the model's loss is its head's loss on the pairs' trunk outputs
    img = data['inputs'].img
    feats = torch.stack([model.trunk(img[:, 0]), model.trunk(img[:, 1])], 1)
    torch.testing.assert_close(
        losses['loss_cls'],
        model.head.loss(feats, data['data_samples'])['loss_cls'])
    torch.testing.assert_close(
        losses['loss_cls'],
        torch.nn.functional.cross_entropy(
            model.head(feats[:, 0], feats[:, 1]), torch.tensor([0, 1, 0, 1])))
    losses['loss_cls'].backward()
    assert model.backbone.layers[0].weight.grad is not None


def test_pair_preprocessor_matches_single_images():
    pre = PairDataPreprocessor()
    a = torch.randint(0, 255, (3, 8, 4), dtype=torch.uint8)
    b = torch.randint(0, 255, (3, 8, 4), dtype=torch.uint8)
    pair = pre(dict(inputs=[torch.stack([a, b])]))['inputs'].img
    single = pre(dict(inputs=[a, b]))['inputs']
    torch.testing.assert_close(pair[0], single)
    with pytest.raises(ValueError, match='2 x C x H x W'):
        pre(dict(inputs=[torch.zeros(3, 3, 8, 4, dtype=torch.uint8)]))
