# Copyright (c) mmreid contributors. All rights reserved.
import pytest

from mmreid.models.utils import (check_filled, fill_train_set_markers,
                                 has_train_set_marker, train_set_marker)


def test_only_markers_are_filled():
    cfg = dict(
        head=dict(num_classes='train_set.num_classes',
                  loss=dict(num_classes=None)),
        other=[dict(num_cameras=train_set_marker('num_cameras')),
               dict(num_classes=2)])
    assert has_train_set_marker(cfg)
    assert fill_train_set_markers(cfg, dict(num_classes=10,
                                            num_cameras=6)) == 2
    assert cfg['head']['num_classes'] == 10
    assert cfg['head']['loss']['num_classes'] is None  # not a marker
    assert cfg['other'][0]['num_cameras'] == 6
    assert cfg['other'][1]['num_classes'] == 2  # explicit values are kept
    assert not has_train_set_marker(cfg)


def test_no_train_set_and_unknown_keys():
    cfg = dict(head=dict(num_classes='train_set.num_classes'))
    assert fill_train_set_markers(cfg, None) == 1
    assert cfg['head']['num_classes'] is None
    cfg = dict(head=dict(num_classes='train_set.num_ids'))
    with pytest.raises(KeyError, match="num_ids.*num_classes"):
        fill_train_set_markers(cfg, dict(num_classes=3), 'model')
    with pytest.raises(ValueError, match='ReIDRunner'):
        check_filled('train_set.num_classes', 'num_classes', 'BNNeckHead')


# A ReIDRunner built in this process on a tiny generated demo set.
TINY = '''
_base_ = ['{root}/configs/baseline/demo.py']
demo = dict(num_train_ids=5, num_test_ids=4, num_cameras=2,
            images_per_id=4, img_size=(64, 32), num_distractors=1,
            num_junk=1)
pipeline = [dict(type='LoadReIDImage'),
            dict(type='ReIDResize', scale=(32, 64)),
            dict(type='PackReIDInputs')]
train_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(data_root='{data}', **demo, pipeline=pipeline))
val_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(data_root='{data}', **demo, pipeline=pipeline))
test_dataloader = val_dataloader
model = dict(backbone=dict(depth=18), head=dict(in_channels=512))
'''


def _runner(tmp_path, extra=''):
    import os.path as osp

    from mmengine.config import Config

    from mmreid.registry import RUNNERS
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    path = tmp_path / 'tiny.py'
    path.write_text(
        TINY.format(root=root, data=tmp_path / 'demo') + extra)
    cfg = Config.fromfile(str(path))
    cfg.work_dir = str(tmp_path / 'work')
    return RUNNERS.build(cfg)


def test_runner_fills_the_marker_from_one_train_set_build(tmp_path,
                                                          monkeypatch):
    from mmreid.datasets import DemoReID
    builds = []
    init = DemoReID.__init__

    def counting_init(self, *args, **kwargs):
        builds.append(kwargs.get('test_mode', False))
        init(self, *args, **kwargs)

    monkeypatch.setattr(DemoReID, '__init__', counting_init)
    runner = _runner(tmp_path)
    assert builds == [False]  # the training set, built once for the model
    head = runner.model.head
    loader = runner._train_dataloader
    assert head.num_classes == loader.dataset.metainfo['num_classes'] == 5
    assert head.classifier.out_features == 5
    # the training loop takes that loader: no second build
    assert runner.build_train_loop(runner.cfg.train_cfg).dataloader \
        is loader
    assert builds == [False]


def test_runner_gives_model_distances_to_model_metrics(tmp_path):
    import torch

    # an embedding model has no distance_matrix: an error when the test
    # loop is built, not at the end of the evaluation
    runner = _runner(
        tmp_path, "test_evaluator = [dict(type='ReIDMetric'), "
        "dict(type='ReIDMetric', metric='model', prefix='m')]\n")
    with pytest.raises(AttributeError, match='distance_matrix'):
        runner.build_test_loop(runner.cfg.test_cfg)

    # a model with one: the metric ranks by it, the Euclidean one does not
    calls = []

    def distance_matrix(q, g):
        calls.append((q.shape[0], g.shape[0]))
        return torch.cdist(q, g)

    runner.model.distance_matrix = distance_matrix
    loop = runner.build_test_loop(runner.cfg.test_cfg)
    plain, model_metric = loop.evaluator.metrics
    assert plain.distance_fn is None
    q, g = torch.randn(3, 4), torch.randn(5, 4)
    torch.testing.assert_close(model_metric.distance_fn(q, g),
                               torch.cdist(q, g))
    assert calls == [(3, 5)]


def test_sampler_batch_size_must_match_the_loader(tmp_path):
    from mmreid.engine.runners.reid_runner import check_sampler_batch_size
    check_sampler_batch_size(dict(batch_size=4, sampler=dict(batch_size=4)))
    check_sampler_batch_size(dict(batch_size=4, sampler=dict(type='X')))
    with pytest.raises(ValueError, match='sampler.batch_size=8 differs'):
        check_sampler_batch_size(
            dict(batch_size=4,
                 sampler=dict(type='IdentityContiguousSampler',
                              batch_size=8)))
    # through the runner: the training set is built with its sampler
    with pytest.raises(ValueError, match='differs from the dataloader'):
        _runner(
            tmp_path, "train_dataloader = dict(sampler=dict(_delete_=True, "
            "type='IdentitySampler', num_instances=2, batch_size=4))\n")
