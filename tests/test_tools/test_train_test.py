# Copyright (c) mmreid contributors. All rights reserved.
"""End to end: tools/train.py, tools/test.py, dist_train.sh and the
ranked-list tool on a tiny demo dataset with a tiny model."""
import os
import os.path as osp
import pickle
import shutil
import subprocess
import sys

import pytest

from mmreid.utils import load_last_metrics

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

TINY = '''
_base_ = ['{root}/configs/baseline/demo.py']
demo = dict(num_train_ids=6, num_test_ids=6, num_cameras=3,
            images_per_id=4, img_size=(64, 32), num_distractors=2,
            num_junk=2)
train_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(data_root='{data}', **demo,
                 pipeline=[dict(type='LoadReIDImage'),
                           dict(type='ReIDResize', scale=(32, 64)),
                           dict(type='ReIDRandomFlip', prob=0.5),
                           dict(type='PackReIDInputs')]))
val_dataloader = dict(
    batch_size=7, num_workers=0, persistent_workers=False,
    dataset=dict(data_root='{data}', **demo,
                 pipeline=[dict(type='LoadReIDImage'),
                           dict(type='ReIDResize', scale=(32, 64)),
                           dict(type='PackReIDInputs')]))
test_dataloader = val_dataloader
model = dict(backbone=dict(depth=18), head=dict(in_channels=512))
train_cfg = dict(max_epochs=2, val_interval=2)
param_scheduler = []
default_hooks = dict(logger=dict(interval=1))
'''


def run(cmd, env=None):
    # The repository under test comes first, whatever mmreid is installed,
    # and the shell scripts start the interpreter under test, whatever
    # `python` on PATH is (or whether there is one).
    env = dict(env or os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [ROOT] + [p for p in [env.get('PYTHONPATH')] if p])
    env['PYTHON'] = sys.executable
    proc = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def path_without_python(tmp_dir):
    """A PATH holding only ``bash`` and ``dirname`` (what the dist scripts
    use): no ``python``, ``python3``, ``torchrun`` or ``pip``, as for a user
    who created a virtualenv and did not activate it."""
    bin_dir = osp.join(str(tmp_dir), 'bare_bin')
    os.makedirs(bin_dir, exist_ok=True)
    for tool in ('bash', 'dirname'):
        link = osp.join(bin_dir, tool)
        if not osp.lexists(link):
            found = shutil.which(tool)
            assert found, f'{tool} is needed to run the tests'
            os.symlink(found, link)
    for tool in ('python', 'python3', 'torchrun', 'pip'):
        assert shutil.which(tool, path=bin_dir) is None, tool
    return bin_dir


def metrics_of(work_dir):
    metrics = load_last_metrics(work_dir)
    assert metrics, f'no metrics in {work_dir}'
    return metrics


@pytest.fixture(scope='module')
def tiny_config(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('tiny')
    cfg = tmp / 'tiny_demo.py'
    cfg.write_text(TINY.format(root=ROOT, data=tmp / 'demo'))
    return str(cfg), tmp


@pytest.fixture(scope='module')
def trained(tiny_config):
    cfg, tmp = tiny_config
    work_dir = str(tmp / 'train')
    run([sys.executable, 'tools/train.py', cfg, '--work-dir', work_dir])
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        ckpt = f.read().strip()
    return cfg, tmp, work_dir, ckpt


def test_train_evaluates_and_fills_num_classes(trained):
    cfg, tmp, work_dir, ckpt = trained
    metrics = metrics_of(work_dir)
    for key in ('reid/mAP', 'reid/rank1', 'reid/rank5', 'reid/mINP'):
        assert 0 <= metrics[key] <= 100
    import torch
    state = torch.load(ckpt, map_location='cpu')['state_dict']
    # 6 training identities -> the classifier has 6 rows
    assert state['head.classifier.weight'].shape == (6, 512)


def test_test_tool_dumps_and_vis(trained):
    cfg, tmp, work_dir, ckpt = trained
    out = str(tmp / 'results.pkl')
    run([
        sys.executable, 'tools/test.py', cfg, ckpt, '--out', out,
        '--work-dir', str(tmp / 'test')
    ])
    with open(out, 'rb') as f:
        results = pickle.load(f)
    splits = [r['split'] for r in results]
    assert splits.count('query') > 0 and splits.count('gallery') > 0
    png = str(tmp / 'ranked.png')
    run([
        sys.executable, 'tools/analysis_tools/visualize_ranks.py', out,
        '--out', png, '--num-queries', '3', '--topk', '4'
    ])
    import cv2
    img = cv2.imread(png)
    assert img is not None and img.shape[0] > 3 * 64


def test_test_tool_without_checkpoint(trained):
    cfg, tmp, _, _ = trained
    run([sys.executable, 'tools/test.py', cfg, '--work-dir',
         str(tmp / 'untrained')])
    assert 'reid/mAP' in metrics_of(str(tmp / 'untrained'))


def test_dist_train_on_cpu_matches_single_process_eval(trained):
    cfg, tmp, _, _ = trained
    work_dir = str(tmp / 'dist')
    env = dict(os.environ, PORT='29517')
    run(['bash', 'tools/dist_train.sh', cfg, '2', '--work-dir', work_dir],
        env=env)
    dist_metrics = metrics_of(work_dir)
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        ckpt = f.read().strip()
    single_dir = str(tmp / 'single_eval')
    run([sys.executable, 'tools/test.py', cfg, ckpt, '--work-dir',
         single_dir])
    single = metrics_of(single_dir)
    print('baseline 2-process / 1-process evaluation:',
          {k: (dist_metrics[k], single[k])
           for k in ('reid/mAP', 'reid/rank1')})
    for key in ('reid/mAP', 'reid/rank1', 'reid/mINP'):
        assert dist_metrics[key] == single[key], key
    # and a 2-process evaluation of the same checkpoint agrees too
    dist_test_dir = str(tmp / 'dist_eval')
    run(['bash', 'tools/dist_test.sh', cfg, ckpt, '2', '--work-dir',
         dist_test_dir], env=dict(os.environ, PORT='29518'))
    assert metrics_of(dist_test_dir)['reid/mAP'] == single['reid/mAP']


def test_dist_test_runs_with_python_and_torchrun_off_path(trained):
    """The dist scripts start ``$PYTHON -m torch.distributed.run``: they need
    neither ``torchrun`` nor ``python`` on PATH when PYTHON is set."""
    cfg, tmp, work_dir, ckpt = trained
    env = dict(os.environ, PORT='29519', PATH=path_without_python(tmp))
    out_dir = str(tmp / 'dist_eval_bare_path')
    run([osp.join(env['PATH'], 'bash'), 'tools/dist_test.sh', cfg, ckpt, '2',
         '--work-dir', out_dir], env=env)
    # the same checkpoint as the training run's last evaluation
    dist = metrics_of(out_dir)
    trained_metrics = metrics_of(work_dir)
    for key in ('reid/mAP', 'reid/rank1', 'reid/mINP'):
        assert dist[key] == trained_metrics[key], key
