# Copyright (c) mmreid contributors. All rights reserved.
import torch

import mmreid.models.backbones  # noqa: F401
from mmreid.models.heads.part_map_head import PartMapHead
from mmreid.models.reid.dpl import DPL
from mmreid.structures import ReIDDataSample
from mmreid.utils import register_all_modules

register_all_modules()


def samples(labels):
    return [ReIDDataSample().set_gt_label(int(v)) for v in labels]


def test_part_map_head_shapes_and_formula():
    """DPL's sizes: 832 x 10 x 5 -> 8 maps, 8 x 64 = 512-d, L2."""
    torch.manual_seed(0)
    head = PartMapHead()
    head.init_weights()
    x = torch.randn(3, 832, 10, 5)
    out = head(x)
    assert out.shape == (3, 512)
    torch.testing.assert_close(out.norm(dim=1), torch.ones(3))
    maps = head.part_maps(x)
    assert maps.shape == (3, 8, 10, 5)
    assert (maps > 0).all() and (maps < 1).all()
    # direct computation
    feat = head.reduce(x)
    assert feat.shape == (3, 512, 10, 5)
    parts = []
    for k in range(8):
        pooled = (feat * maps[:, k:k + 1]).mean((2, 3))
        parts.append(head.part_fcs[k](pooled))
    ref = torch.nn.functional.normalize(torch.cat(parts, 1), dim=1)
    torch.testing.assert_close(out, ref, atol=1e-5, rtol=1e-5)
    assert head.part_fcs[0].weight.shape == (64, 512)


def test_part_map_head_loss_is_all_triplets():
    head = PartMapHead(in_channels=16, feat_channels=8, num_parts=2,
                       part_dim=4)
    loss = head.loss(torch.randn(6, 16, 4, 2), samples([0, 0, 1, 1, 2, 2]))
    assert set(loss) == {'loss_triplet'}
    assert head.loss_triplet.mining == 'all'
    assert head.loss_triplet.margin == 0.2 and head.loss_triplet.squared
    # DPL mines over the batches of all ranks by default
    assert head.loss_triplet.gather_across_ranks


def test_dpl_modes():
    model = DPL(backbone=dict(type='InceptionV1'))
    x = torch.randn(4, 3, 160, 80)
    assert model(x).shape == (4, 512)
    losses = model(x, samples([0, 0, 1, 1]), mode='loss')
    losses['loss_triplet'].backward()
    assert model.backbone.conv1.conv.weight.grad is not None
    model.eval()
    out = model(x, samples([-1] * 4), mode='predict')
    assert out[0].pred_feature.shape == (512, )
    # the model's loss is its head's loss on the backbone's last map
    model.train()
    torch.manual_seed(1)
    torch.testing.assert_close(
        model(x, samples([0, 0, 1, 1]), mode='loss')['loss_triplet'],
        model.head.loss(model.backbone(x)[-1],
                        samples([0, 0, 1, 1]))['loss_triplet'])
