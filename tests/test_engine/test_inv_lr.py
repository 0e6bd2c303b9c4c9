# Copyright (c) mmreid contributors. All rights reserved.
import pytest
import torch

from mmreid.engine.schedulers import InvLR, InvParamScheduler
from mmreid.registry import PARAM_SCHEDULERS


def make_optimizer(lr=0.01):
    return torch.optim.SGD([torch.zeros(2, requires_grad=True)],
                           lr=lr,
                           momentum=0.9)


def run(opt, sched, steps):
    lrs = []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]['lr'])
        opt.step()
        sched.step()
    return lrs


def test_inv_lr_follows_the_formula():
    opt = make_optimizer()
    sched = PARAM_SCHEDULERS.build(
        dict(type='InvLR', optimizer=opt, gamma=1e-2, power=0.75))
    lrs = run(opt, sched, 300)
    expected = [0.01 * (1 + 1e-2 * t)**-0.75 for t in range(300)]
    assert lrs == pytest.approx(expected, rel=1e-9)


def test_inv_lr_begin_end_and_paper_defaults():
    opt = make_optimizer()
    sched = InvLR(opt, begin=5, end=20)  # gamma 1e-4, power 0.75
    assert (sched.gamma, sched.power, sched.by_epoch) == (1e-4, 0.75, False)
    lrs = run(opt, sched, 30)
    assert lrs[:6] == [0.01] * 6
    for t in range(1, 15):
        assert lrs[5 + t] == pytest.approx(0.01 * (1 + 1e-4 * t)**-0.75)
    assert lrs[25] == lrs[20]  # constant after ``end``


def test_inv_param_scheduler_momentum_and_epoch_conversion():
    opt = make_optimizer()
    sched = InvParamScheduler(opt, 'momentum', gamma=0.5, power=1.0)
    run(opt, sched, 3)
    assert opt.param_groups[0]['momentum'] == pytest.approx(0.9 / 2.5)
    sched = InvLR.build_iter_from_epoch(
        make_optimizer(), begin=1, end=3, epoch_length=10)
    assert (sched.begin, sched.end, sched.by_epoch) == (10, 30, False)
    with pytest.raises(ValueError, match='gamma'):
        InvLR(make_optimizer(), gamma=-1)
