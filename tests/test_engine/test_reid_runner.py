# Copyright (c) mmreid contributors. All rights reserved.
from mmreid.engine.runners.reid_runner import (_has_placeholder,
                                               fill_from_metainfo)


def test_fill_from_metainfo_nested():
    cfg = dict(
        head=dict(num_classes=None, loss=dict(num_classes=None)),
        other=[dict(num_cameras=None), dict(num_classes=3)])
    assert _has_placeholder(cfg)
    assert fill_from_metainfo(cfg, dict(num_classes=10, num_cameras=6)) == 3
    assert cfg['head']['num_classes'] == 10
    assert cfg['head']['loss']['num_classes'] == 10
    assert cfg['other'][0]['num_cameras'] == 6
    assert cfg['other'][1]['num_classes'] == 3  # explicit values are kept
    assert not _has_placeholder(cfg)
