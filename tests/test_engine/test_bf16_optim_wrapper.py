# Copyright (c) mmreid contributors. All rights reserved.
"""BF16OptimWrapper: bfloat16 autocast on CPU, float32 weights and
updates equal to a hand-written autocast step."""
import copy

import torch
from mmengine.optim import build_optim_wrapper
from torch import nn

from mmreid.utils import register_all_modules

register_all_modules()


def make_model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten(), nn.Linear(64, 2))


def test_forward_in_bfloat16_weights_and_update_in_float32():
    model = make_model()
    reference = copy.deepcopy(model)
    wrapper = build_optim_wrapper(
        model,
        dict(type='BF16OptimWrapper',
             optimizer=dict(type='SGD', lr=0.1, momentum=0.9)))
    x = torch.randn(5, 3, 6, 6)
    with wrapper.optim_context(model):
        out = model(x)
    assert out.dtype == torch.bfloat16
    assert all(p.dtype == torch.float32 for p in model.parameters())
    wrapper.update_params(out.float().pow(2).mean())

    # the same step written out: autocast forward, fp32 SGD update
    opt = torch.optim.SGD(reference.parameters(), lr=0.1, momentum=0.9)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        ref_out = reference(x)
    ref_out.float().pow(2).mean().backward()
    opt.step()
    for p, q in zip(model.parameters(), reference.parameters()):
        assert torch.equal(p, q)
    # outside the context the model computes in float32 again
    assert model(x).dtype == torch.float32


def test_state_dict_round_trip():
    model = make_model()
    wrapper = build_optim_wrapper(
        model, dict(type='BF16OptimWrapper',
                    optimizer=dict(type='Adam', lr=1e-3)))
    with wrapper.optim_context(model):
        loss = model(torch.randn(2, 3, 6, 6)).float().sum()
    wrapper.update_params(loss)
    state = wrapper.state_dict()
    other = build_optim_wrapper(
        make_model(), dict(type='BF16OptimWrapper',
                           optimizer=dict(type='Adam', lr=1e-3)))
    other.load_state_dict(copy.deepcopy(state))
    got = other.state_dict()['state']
    for k, v in state['state'].items():
        torch.testing.assert_close(got[k]['exp_avg'], v['exp_avg'])
