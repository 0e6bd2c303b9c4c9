# Copyright (c) mmreid contributors. All rights reserved.
"""mmpretrain.models is imported without mmdet.models, and mmdet still
imports afterwards (each case in a fresh interpreter)."""
import json
import os
import os.path as osp
import subprocess
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def run(code: str) -> dict:
    env = dict(os.environ,
               PYTHONPATH=os.pathsep.join(
                   [ROOT, os.environ.get('PYTHONPATH', '')]))
    out = subprocess.run([sys.executable, '-c', code],
                         check=True,
                         capture_output=True,
                         text=True,
                         env=env,
                         cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_mmreid_models_leaves_mmdet_out_and_mmdet_imports_later():
    res = run('''
import json, sys
import mmreid.models
from mmreid.registry import MODELS
before = 'mmdet.models' in sys.modules
resnet = type(MODELS.build(dict(type='mmpretrain.ResNet', depth=18)))
import mmdet.models
from mmdet.registry import MODELS as DET
print(json.dumps(dict(before=before,
                      pretrain='mmpretrain.models' in sys.modules,
                      resnet=resnet.__module__,
                      det_resnet='ResNet' in DET,
                      extra_norm='ResLayerExtraNorm' in DET)))
''')
    assert res['before'] is False
    assert res['pretrain'] is True
    assert res['resnet'] == 'mmpretrain.models.backbones.resnet'
    # mmdet works afterwards; only mmpretrain's own mmdet module is skipped
    assert res['det_resnet'] is True
    assert res['extra_norm'] is False


def test_mmdet_imported_first_keeps_mmpretrains_registration():
    res = run('''
import json, sys
import mmdet.models
from mmreid.utils import import_mmpretrain_models
import_mmpretrain_models()
from mmdet.registry import MODELS as DET
print(json.dumps(dict(pretrain='mmpretrain.models' in sys.modules,
                      extra_norm='ResLayerExtraNorm' in DET)))
''')
    assert res == dict(pretrain=True, extra_norm=True)
