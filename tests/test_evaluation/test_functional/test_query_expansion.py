# Copyright (c) mmreid contributors. All rights reserved.
import math

import pytest
import torch

from mmreid.evaluation.functional import (average_query_expansion,
                                          evaluate_features)


def test_aqe_by_hand():
    # Four 2-D items (angles 0, 30, 90, 180 degrees), norms 1, 2, 1, 1.
    q = torch.tensor([[1., 0.]])
    g = torch.tensor([[math.sqrt(3), 1.], [0., 1.], [-1., 0.]])
    # Cosines: q-g0 = cos 30, q-g1 = 0, q-g2 = -1, g0-g1 = cos 60 = 0.5,
    # g0-g2 = cos 150 < 0, g1-g2 = 0. With k=2 each item is averaged with
    # itself and its most similar other item:
    #   q -> g0, g0 -> q, g1 -> g0, g2 -> g1.
    c30 = math.cos(math.radians(30))
    new_q, new_g = average_query_expansion(q, g, k=2, alpha=0)
    # alpha = 0: plain means (0^0 = 1 for g2's neighbour g1)
    assert torch.allclose(new_q, (q + g[0]) / 2)
    assert torch.allclose(new_g[0], (g[0] + q[0]) / 2)
    assert torch.allclose(new_g[1], (g[1] + g[0]) / 2)
    assert torch.allclose(new_g[2], (g[2] + g[1]) / 2)
    # alpha = 3: weights cos^3, clamped at 0
    new_q, new_g = average_query_expansion(q, g, k=2, alpha=3)
    w = c30**3
    assert torch.allclose(new_q, (q + w * g[0]) / (1 + w))
    assert torch.allclose(new_g[1], (g[1] + 0.5**3 * g[0]) / (1 + 0.5**3))
    assert torch.allclose(new_g[2], g[2])  # its neighbour g1 weighs 0
    # k=1: unchanged
    new_q, new_g = average_query_expansion(q, g, k=1)
    assert torch.equal(new_q, q) and torch.equal(new_g, g)


def test_aqe_in_evaluation_and_errors():
    torch.manual_seed(0)
    q, g = torch.randn(4, 6), torch.randn(9, 6)
    pids = torch.arange(13) % 3
    res = evaluate_features(
        q, g, pids[:4], pids[4:], protocol='no_camera', aqe=dict(k=3))
    new_q, new_g = average_query_expansion(q, g, k=3, alpha=3.0)
    ref = evaluate_features(
        new_q, new_g, pids[:4], pids[4:], protocol='no_camera')
    assert res['mAP'] == ref['mAP']
    with pytest.raises(ValueError, match='k must be >= 1'):
        average_query_expansion(q, g, k=0)
    with pytest.raises(ValueError, match='distance function'):
        evaluate_features(
            q,
            g,
            pids[:4],
            pids[4:],
            protocol='no_camera',
            aqe=dict(),
            distance_fn=torch.cdist)
