# Copyright (c) mmreid contributors. All rights reserved.
"""tools/train.py with a validation split held out of the training ids and
best-checkpoint selection on it; tools/test.py then uses the test split."""
import glob
import os
import os.path as osp
import subprocess
import sys

import torch

from mmreid.utils import load_last_metrics

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

TINY = '''
_base_ = ['{root}/configs/baseline/demo.py']
demo = dict(num_train_ids=6, num_test_ids=3, num_cameras=3,
            images_per_id=4, img_size=(64, 32), num_distractors=1,
            num_junk=0)
pipe = [dict(type='LoadReIDImage'), dict(type='ReIDResize', scale=(32, 64)),
        dict(type='PackReIDInputs')]
train_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(data_root='{data}', **demo, num_val_ids=2, pipeline=pipe))
val_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(data_root='{data}', **demo, num_val_ids=2, pipeline=pipe))
test_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='DemoReID', data_root='{data}', **demo,
                 test_mode=True, pipeline=pipe))
model = dict(backbone=dict(depth=18), head=dict(in_channels=512))
train_cfg = dict(max_epochs=2, val_interval=1)
param_scheduler = []
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(interval=1, save_best='reid/mAP', rule='greater'))
'''


def run(cmd):
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [ROOT] + [p for p in [env.get('PYTHONPATH')] if p])
    proc = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def test_train_selects_on_held_out_ids_and_tests_on_test_split(tmp_path):
    cfg = tmp_path / 'tiny_val.py'
    cfg.write_text(TINY.format(root=ROOT, data=tmp_path / 'demo'))
    work_dir = str(tmp_path / 'train')
    out = run([sys.executable, 'tools/train.py', str(cfg), '--work-dir',
               work_dir])
    # 6 training ids, 2 held out: 4 classes; validation on the held-out 2
    assert 'DemoReID (train minus 2 validation ids): 16 images, 4 ids' in out
    assert 'DemoReID (validation split): 8 images, 2 ids' in out
    best = glob.glob(osp.join(work_dir, 'best_reid_mAP_epoch_*.pth'))
    assert len(best) == 1
    state = torch.load(best[0], map_location='cpu')['state_dict']
    assert state['head.classifier.weight'].shape == (4, 512)
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        assert f.read().strip().endswith('epoch_2.pth')
    # the test tool evaluates the untouched test split
    test_dir = str(tmp_path / 'test')
    out = run([sys.executable, 'tools/test.py', str(cfg), best[0],
               '--work-dir', test_dir])
    assert 'DemoReID (test): ' in out
    assert 'validation split' not in out
    assert 'reid/mAP' in load_last_metrics(test_dir)
