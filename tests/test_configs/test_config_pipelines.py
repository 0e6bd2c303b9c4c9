# Copyright (c) mmreid contributors. All rights reserved.
"""Every pipeline of every config builds; IDLA configs take their data from
a base dataset file."""
import ast
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from mmreid.registry import TRANSFORMS
from mmreid.utils import register_all_modules

register_all_modules()

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(
    glob.glob(osp.join(ROOT, 'configs', '**', '*.py'), recursive=True))
IDLA = sorted(glob.glob(osp.join(ROOT, 'configs', 'idla', '*.py')))


def pipelines(obj, path='cfg'):
    """Yield ``(path, list of transform dicts)`` of every pipeline."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key.endswith('pipeline') and isinstance(value, (list, tuple)):
                yield f'{path}.{key}', value
            else:
                yield from pipelines(value, f'{path}.{key}')
    elif isinstance(obj, (list, tuple)):
        for i, value in enumerate(obj):
            yield from pipelines(value, f'{path}[{i}]')


def bases(path):
    """The ``_base_`` files of a config (absolute paths), as written."""
    with open(path) as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                getattr(t, 'id', None) == '_base_' for t in node.targets):
            value = ast.literal_eval(node.value)
            value = [value] if isinstance(value, str) else value
            return [
                osp.normpath(osp.join(osp.dirname(path), v)) for v in value
            ]
    return []


def dataset_bases(path):
    """Every ``configs/_base_/datasets`` file a config inherits from."""
    found = []
    for base in bases(path):
        if osp.dirname(base) == osp.join(ROOT, 'configs', '_base_',
                                         'datasets'):
            found.append(base)
        found += dataset_bases(base)
    return found


def test_configs_found():
    names = {osp.relpath(c, ROOT) for c in CONFIGS}
    assert {'configs/idla/cuhk01.py', 'configs/baseline/market.py',
            'configs/_base_/datasets/cuhk03_classic_idla.py'} <= names
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'fdgan',
                                   'demo_stage2.py')).to_dict()
    found = dict(pipelines(cfg))
    assert 'cfg.train_dataloader.dataset.target_pipeline' in found
    assert 'cfg.train_dataloader.dataset.dataset.pipeline' in found


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, ROOT))
def test_every_transform_builds(path):
    cfg = Config.fromfile(path).to_dict()
    for where, pipeline in pipelines(cfg):
        for t in pipeline:
            try:
                TRANSFORMS.build(dict(t))
            except Exception as e:  # name the config and the pipeline
                raise AssertionError(
                    f'{osp.relpath(path, ROOT)}: {where}: cannot build {t}: '
                    f'{e}') from e


def test_crops_are_w_h():
    # The BoT crop after the 10-pixel pad gives back the resized size.
    for rel in ('market1501.py', 'demo.py'):
        cfg = Config.fromfile(
            osp.join(ROOT, 'configs', '_base_', 'datasets', rel))
        types = {t['type']: t for t in cfg.train_pipeline}
        assert types['ReIDRandomCrop']['crop_size'] == types['ReIDResize'][
            'scale']


@pytest.mark.parametrize('path', IDLA, ids=osp.basename)
def test_idla_configs_use_a_base_dataset(path):
    with open(path) as f:
        assert '_delete_' not in f.read()
    data = dataset_bases(path)
    # its own dataset file (which may build on another IDLA one)
    assert data and all(d.endswith('_idla.py') for d in data), data
    cfg = Config.fromfile(path)
    base = Config.fromfile(data[0])
    train = cfg.train_dataloader.dataset
    assert train.type == 'PairDataset'
    assert train.dataset.type == cfg.val_dataloader.dataset.type == \
        base.dataset_type
    for pipeline in (train.dataset.pipeline,
                     cfg.val_dataloader.dataset.pipeline):
        resize = [t for t in pipeline if t['type'] == 'ReIDResize']
        assert resize[0]['scale'] == (60, 160)  # the paper's 160 x 60
    assert cfg.val_evaluator.metric == 'model'
    # ReIDRunner gives metric='model' the model's distance: no hook needed
    assert all(h['type'] != 'PairwiseDistanceHook' for h in cfg.custom_hooks)
