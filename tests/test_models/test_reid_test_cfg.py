# Copyright (c) mmreid contributors. All rights reserved.
"""BaseReID test-time options: flip and normalize."""
import pytest
import torch
import torch.nn.functional as F

from mmreid.models import Baseline
from mmreid.models.reid.base import BaseReID
from mmreid.registry import MODELS
from mmreid.utils import register_all_modules

register_all_modules()


def tiny(**test_cfg):
    torch.manual_seed(0)
    model = Baseline(
        backbone=dict(type='mmpretrain.ResNet', depth=18,
                      strides=(1, 2, 2, 1), out_indices=(3, )),
        head=dict(type='BNNeckHead', in_channels=512, num_classes=3),
        test_cfg=test_cfg)
    model.init_weights()
    return model.eval()


@pytest.mark.parametrize('flip', [False, True])
def test_normalize_equals_f_normalize_of_raw_features(flip):
    x = torch.randn(3, 3, 64, 32)
    raw_model = tiny(flip=flip)
    model = tiny(flip=flip, normalize=True)
    model.load_state_dict(raw_model.state_dict())
    with torch.no_grad():
        raw = raw_model.predict_feat(x)
        got = model.predict_feat(x)
        # independent: flip average by hand from the raw extractor, then L2
        by_hand = raw_model.extract_feat(x)
        if flip:
            by_hand = (by_hand + raw_model.extract_feat(x.flip(-1))) / 2
        preds = torch.stack([s.pred_feature for s in model.predict(x)])
    torch.testing.assert_close(raw, by_hand)
    assert not torch.allclose(raw.norm(dim=1), torch.ones(3))
    torch.testing.assert_close(got, F.normalize(raw, dim=1))
    torch.testing.assert_close(got, by_hand / by_hand.norm(dim=1,
                                                           keepdim=True))
    torch.testing.assert_close(got.norm(dim=1), torch.ones(3))
    torch.testing.assert_close(preds, got)
    # 'tensor' mode stays the raw features
    with torch.no_grad():
        torch.testing.assert_close(model(x, mode='tensor'),
                                   raw_model.extract_feat(x))


def test_normalize_false_is_the_default():
    x = torch.randn(2, 3, 64, 32)
    a, b = tiny(), tiny(normalize=False)
    b.load_state_dict(a.state_dict())
    with torch.no_grad():
        torch.testing.assert_close(a.predict_feat(x), b.predict_feat(x))
        torch.testing.assert_close(a.predict_feat(x), a.extract_feat(x))


def test_unknown_test_cfg_key_still_raises():
    with pytest.raises(KeyError, match=r"\['normalise'\].*'normalize'"):
        tiny(normalise=True)
    assert BaseReID.test_cfg_keys == ('flip', 'normalize')


def test_idla_keeps_its_own_keys():
    """IDLA's pred_feature is a flattened trunk map: no normalize."""
    cfg = dict(type='IDLA')
    assert 'normalize' not in MODELS.get('IDLA').test_cfg_keys
    with pytest.raises(KeyError, match='normalize'):
        MODELS.build(dict(cfg, test_cfg=dict(normalize=True)))
