# Copyright (c) mmreid contributors. All rights reserved.
"""``compile=True`` compiles the model's forward, not ``train_step``."""
import logging
import torch
from torch import nn

from mmreid.engine.runners.reid_runner import ReIDRunner


class Net(nn.Module):

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x).relu()

    def train_step(self, x):
        return self(x)


def fake_runner(compile_cfg):
    """A ReIDRunner with only what ``_maybe_compile`` reads."""
    runner = ReIDRunner.__new__(ReIDRunner)
    runner.cfg = dict(compile=compile_cfg)
    runner.model = Net()
    runner.logger = logging.getLogger('test_runner_compile')
    return runner


def test_train_compiles_the_forward_and_keeps_train_step_eager():
    runner = fake_runner(True)
    eager_step = runner.model.train_step
    x = torch.randn(3, 4)
    expected = runner.model(x)
    runner._maybe_compile('train_step')
    assert runner.model.__dict__.get('forward') is not None  # replaced
    assert runner.model.train_step == eager_step
    assert torch.allclose(runner.model.train_step(x), expected, atol=1e-6)


def test_compile_off_changes_nothing():
    runner = fake_runner(None)
    runner._maybe_compile('train_step')
    assert 'forward' not in runner.model.__dict__
