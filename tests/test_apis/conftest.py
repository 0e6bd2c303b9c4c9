# Copyright (c) mmreid contributors. All rights reserved.
"""Tiny models, checkpoints and images shared by the API tests."""
import os.path as osp

import cv2
import numpy as np
import pytest
import torch

from mmreid.apis import init_model
from mmreid.testing import tiny_baseline_config


def save_checkpoint(model, path, dataset_meta=None):
    """A checkpoint as the runner writes it (state_dict + meta)."""
    meta = dict(cfg="model = dict(type='Baseline')")
    if dataset_meta is not None:
        meta['dataset_meta'] = dataset_meta
    torch.save(dict(state_dict=model.state_dict(), meta=meta), path)
    return path


@pytest.fixture(scope='session')
def tiny_cfg():
    return tiny_baseline_config()


@pytest.fixture(scope='session')
def tiny_model(tiny_cfg):
    torch.manual_seed(0)
    model = init_model(tiny_cfg)
    # non-trivial BN statistics, so that eval-mode features depend on them
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d)):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)
    return model


@pytest.fixture(scope='session')
def tiny_ckpt(tiny_model, tmp_path_factory):
    path = tmp_path_factory.mktemp('ckpt') / 'tiny.pth'
    return save_checkpoint(tiny_model, str(path), dict(num_classes=4))


@pytest.fixture(scope='session')
def image_folder(tmp_path_factory):
    """7 random images of different sizes, one in a sub-folder, and a
    text file that is not an image."""
    folder = tmp_path_factory.mktemp('images')
    rng = np.random.default_rng(0)
    paths = []
    for i in range(7):
        sub = folder / 'sub' if i == 6 else folder
        sub.mkdir(exist_ok=True)
        img = rng.integers(0, 256, (60 + 4 * i, 30 + 2 * i, 3), np.uint8)
        path = str(sub / f'img_{i}.png')
        cv2.imwrite(path, img)
        paths.append(path)
    (folder / 'readme.txt').write_text('not an image')
    return str(folder), sorted(paths)


def write_image(folder, name, img):
    path = osp.join(str(folder), name)
    cv2.imwrite(path, img)
    return path
