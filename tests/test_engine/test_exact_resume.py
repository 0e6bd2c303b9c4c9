# Copyright (c) mmreid contributors. All rights reserved.
"""Exact resume after SIGKILL, and results independent of ``num_workers``.

Each run is ``tools/train.py`` in its own process on a tiny demo set with
the real augmentation (flip, pad + crop, random erasing). A run killed with
SIGKILL in the middle of an epoch (``KillAtIterHook``) and resumed with
``--resume`` must end with the same weights and metrics as an
uninterrupted run, for the baseline and for FD-GAN stage II (three
networks and optimizers, generator noise and dropout).
"""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

from mmreid.utils import load_last_metrics

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

BASELINE = '''
_base_ = ['{root}/configs/baseline/demo.py']
custom_imports = dict(imports=['tests.test_engine.fault_hooks'],
                      allow_failed_imports=False)
demo = dict(num_train_ids=6, num_test_ids=6, num_cameras=3,
            images_per_id=4, img_size=(64, 32), num_distractors=2,
            num_junk=2)
train_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(32, 64)),
    dict(type='ReIDRandomFlip', prob=0.5),
    dict(type='ReIDPad', padding=3),
    dict(type='ReIDRandomCrop', crop_size=(32, 64)),
    dict(type='mmpretrain.RandomErasing', erase_prob=0.5, mode='const',
         fill_color=(104, 116, 124)),
    dict(type='PackReIDInputs'),
]
train_dataloader = dict(
    batch_size=8, num_workers={workers}, persistent_workers={workers} > 0,
    dataset=dict(data_root='{data}', **demo, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=7, num_workers=0, persistent_workers=False,
    dataset=dict(data_root='{data}', **demo,
                 pipeline=[dict(type='LoadReIDImage'),
                           dict(type='ReIDResize', scale=(32, 64)),
                           dict(type='PackReIDInputs')]))
test_dataloader = val_dataloader
model = dict(backbone=dict(depth=18), head=dict(in_channels=512))
# 3 epochs of 3 iterations; the warm-up (iteration-based) and the step
# (epoch-based) schedulers of the demo config both act
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=2,
         convert_to_iter_based=True),
    dict(type='MultiStepLR', by_epoch=True, milestones=[2], gamma=0.1)]
train_cfg = dict(max_epochs={epochs}, val_interval={epochs})
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(by_epoch=False, interval=1, max_keep_ckpts=2))
custom_hooks = [dict(type='SyncBuffersHook')] + {kill}
'''


def run(cmd, expect_rc=0):
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [ROOT] + [p for p in [env.get('PYTHONPATH')] if p])
    proc = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == expect_rc, out[-4000:]
    return out


def train(cfg_path, work_dir, *extra, expect_rc=0):
    return run([
        sys.executable, 'tools/train.py', cfg_path, '--work-dir', work_dir,
        *extra
    ], expect_rc=expect_rc)


def final_state(work_dir):
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        ckpt = torch.load(f.read().strip(), map_location='cpu')
    return ckpt['meta'], ckpt['state_dict']


def max_abs_diff(a, b):
    assert a.keys() == b.keys()
    return max(((a[k].double() - b[k].double()).abs().max().item()
                if a[k].numel() else 0.) for k in a)


def write_baseline(tmp, name, workers=0, epochs=3, kill_at=None):
    kill = ([f"dict(type='KillAtIterHook', at_iter={kill_at})"]
            if kill_at else [])
    path = tmp / f'{name}.py'
    path.write_text(
        BASELINE.format(root=ROOT, data=tmp / 'demo', workers=workers,
                        epochs=epochs, kill='[' + ', '.join(kill) + ']'))
    return str(path)


def kill_and_resume(tmp, name, cfg_killed, cfg_plain, at_iter):
    """Train with a SIGKILL after ``at_iter``, then resume to the end."""
    work = str(tmp / name)
    train(cfg_killed, work, expect_rc=-9)
    meta, _ = final_state(work)
    assert meta['iter'] == at_iter  # the checkpoint of the kill iteration
    log = train(cfg_plain, work, '--resume')
    return work, log


@pytest.fixture(scope='module')
def baseline_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('resume')
    plain = write_baseline(tmp, 'plain')
    full = str(tmp / 'full')
    train(plain, full)
    killed = write_baseline(tmp, 'killed', kill_at=5)
    resumed, log = kill_and_resume(tmp, 'resumed', killed, plain, 5)
    return tmp, full, resumed, log


def test_baseline_resume_after_sigkill_is_exact(baseline_runs):
    _, full, resumed, log = baseline_runs
    # epoch 1 (0-based) had 2 of its 3 iterations done: 16 samples skipped
    assert 'Resuming epoch 1 at iteration 2 of 3' in log
    assert 'skips the 16 samples' in log
    meta_a, state_a = final_state(full)
    meta_b, state_b = final_state(resumed)
    assert meta_a['iter'] == meta_b['iter'] == 9
    assert max_abs_diff(state_a, state_b) == 0.
    metrics_a, metrics_b = load_last_metrics(full), load_last_metrics(resumed)
    for key in ('reid/mAP', 'reid/rank1', 'reid/rank5'):
        assert metrics_a[key] == metrics_b[key], key


def test_mmengine_loop_would_not_resume_exactly(baseline_runs, tmp_path):
    """The control: MMEngine's own loop restarts the epoch, so the same
    kill gives other weights (the test above can fail)."""
    tmp, full, _, _ = baseline_runs
    cfg = tmp_path / 'mmengine_loop.py'
    cfg.write_text(f"_base_ = ['{tmp / 'plain.py'}']\n"
                   "train_cfg = dict(_delete_=True, "
                   "type='EpochBasedTrainLoop', max_epochs=3, "
                   "val_interval=3)\n")
    killed = tmp_path / 'mmengine_killed.py'
    killed.write_text(f"_base_ = ['{cfg}']\n"
                      "custom_hooks = [dict(type='SyncBuffersHook'), "
                      "dict(type='KillAtIterHook', at_iter=5)]\n")
    work = str(tmp_path / 'work')
    train(str(killed), work, expect_rc=-9)
    train(str(cfg), work, '--resume')
    meta, state = final_state(work)
    # the restarted epoch trains its 3 iterations again: 12 in all
    assert meta['iter'] == 11
    assert max_abs_diff(final_state(full)[1], state) > 0


def test_same_weights_with_0_and_2_workers(baseline_runs):
    """The 3-epoch run with 2 loader workers (persistent) ends with the
    weights of the run with none."""
    tmp, full = baseline_runs[:2]
    cfg = write_baseline(tmp, 'w2', workers=2)
    work = str(tmp / 'w2')
    train(cfg, work)
    assert max_abs_diff(final_state(full)[1], final_state(work)[1]) == 0.


def fdgan_config(tmp, name, kill_at=None):
    """FD-GAN stage II on a tiny set, epoch-based as the paper's stage."""
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'fdgan',
                                   'demo_stage2.py'))
    cfg.custom_imports = dict(imports=['tests.test_engine.fault_hooks'],
                              allow_failed_imports=False)
    cfg.model.encoder.init_cfg = None
    cfg.model.generator.ngf = 8
    cfg.model.disc_pose.ndf = 8
    cfg.train_dataloader.update(batch_size=8, num_workers=0,
                                persistent_workers=False)
    from tests.test_engine.gan_resume_utils import shrink_demo
    shrink_demo(cfg._cfg_dict, str(tmp / 'demo_fdgan'))
    # 3 identities: 12 anchors, 24 pairs, 3 iterations of 8 per epoch
    cfg.train_dataloader.dataset.dataset.num_train_ids = 3
    for key in ('val_dataloader', 'val_evaluator', 'val_cfg',
                'test_dataloader', 'test_evaluator', 'test_cfg'):
        cfg[key] = None
    cfg.train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=2)
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook',
                                        by_epoch=False, interval=1,
                                        max_keep_ckpts=2, save_best=None)
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1)
    decay = [dict(type='LinearLR', start_factor=1., end_factor=0.25,
                  by_epoch=True, begin=0, end=2)]
    cfg.param_scheduler = {k: decay for k in
                           ('generator', 'disc_id', 'disc_pose')}
    cfg.custom_hooks = ([dict(type='KillAtIterHook', at_iter=kill_at)]
                        if kill_at else [])
    path = str(tmp / f'{name}.py')
    cfg.dump(path)
    return path


def test_fdgan_stage2_resume_after_sigkill_is_exact(tmp_path):
    plain = fdgan_config(tmp_path, 'plain')
    full = str(tmp_path / 'full')
    train(plain, full)
    meta_a, state_a = final_state(full)
    per_epoch = meta_a['iter'] // 2
    at = per_epoch + per_epoch // 2  # in the middle of the second epoch
    killed = fdgan_config(tmp_path, 'killed', kill_at=at)
    resumed, log = kill_and_resume(tmp_path, 'resumed', killed, plain, at)
    assert f'Resuming epoch 1 at iteration {at - per_epoch}' in log
    meta_b, state_b = final_state(resumed)
    assert meta_b['iter'] == meta_a['iter']
    for net in ('generator', 'disc_id', 'disc_pose'):
        part_a = {k: v for k, v in state_a.items() if k.startswith(net)}
        part_b = {k: v for k, v in state_b.items() if k.startswith(net)}
        assert part_a, net
        assert max_abs_diff(part_a, part_b) == 0., net
