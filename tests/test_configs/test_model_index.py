# Copyright (c) mmreid contributors. All rights reserved.
"""model-index.yml lists every method's metafile, and ``mmreid::`` config
paths resolve in a package laid out as the wheel ships it (.mim)."""
import glob
import os
import os.path as osp
import shutil

import yaml
from mmengine.config import Config

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_model_index_lists_every_metafile():
    with open(osp.join(ROOT, 'model-index.yml')) as f:
        index = yaml.safe_load(f)
    listed = index['Import']
    on_disk = sorted(
        osp.relpath(p, ROOT)
        for p in glob.glob(osp.join(ROOT, 'configs', '*', 'metafile.yml')))
    assert sorted(listed) == on_disk
    for meta in listed:
        with open(osp.join(ROOT, meta)) as f:
            models = yaml.safe_load(f)['Models']
        for model in models:
            assert osp.isfile(osp.join(ROOT, model['Config'])), model['Name']


def fake_installed_mmreid(tmp_path):
    """``<site>/mmreid/.mim/{configs, model-index.yml}`` as the wheel has."""
    pkg = tmp_path / 'site' / 'mmreid'
    os.makedirs(pkg / '.mim')
    shutil.copytree(osp.join(ROOT, 'configs'), pkg / '.mim' / 'configs')
    shutil.copyfile(
        osp.join(ROOT, 'model-index.yml'), pkg / '.mim' / 'model-index.yml')
    return str(pkg)


def test_mmreid_scope_resolves_shipped_configs(tmp_path, monkeypatch):
    import mmengine.config.config as config_module
    import mmengine.hub.hub as hub_module

    from mmreid.datasets.config_datasets import load_config
    pkg = fake_installed_mmreid(tmp_path)
    for module in (hub_module, config_module):
        monkeypatch.setattr(module, 'get_installed_path', lambda name: pkg)
    monkeypatch.setattr(hub_module, 'install_package', lambda name: None)
    monkeypatch.setattr(config_module, 'is_installed', lambda name: True)
    # a named config (found through model-index.yml and its metafile)
    cfg = load_config('mmreid::baseline/demo.py')
    assert cfg.filename == osp.join(pkg, '.mim', 'configs', 'baseline',
                                    'demo.py')
    assert cfg.model.backbone.depth == 18
    # a user config inheriting it with the mmreid:: scope
    user = tmp_path / 'mine.py'
    user.write_text("_base_ = ['mmreid::baseline/demo.py']\n"
                    'train_cfg = dict(max_epochs=1)\n')
    cfg = Config.fromfile(str(user))
    assert cfg.train_cfg.max_epochs == 1
    assert cfg.train_dataloader.dataset.type == 'DemoReID'
