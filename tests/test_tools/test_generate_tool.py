# Copyright (c) mmreid contributors. All rights reserved.
"""``tools/generation/generate.py`` on an untrained tiny FD-GAN stage II
(configs/fdgan/demo_stage2.py on a small demo dataset), run as a
subprocess with the checkout first on PYTHONPATH."""
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate

from mmreid.evaluation.functional.ssim import ssim
from mmreid.registry import DATASETS, MODELS
from mmreid.utils import register_all_modules
from mmreid.visualization.pose_transfer import draw_pose_transfer_grid

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join('tools', 'generation', 'generate.py')

TINY = '''
_base_ = ['{root}/configs/fdgan/demo_stage2.py']
work_dir = '{work}'
demo = dict(num_train_ids=2, num_test_ids=3, num_cameras=2, images_per_id=4,
            img_size=(64, 32), num_distractors=1, num_junk=1)
model = dict(
    encoder=dict(init_cfg=None),
    generator=dict(ngf=8),
    disc_id=dict(backbone=dict(init_cfg=None)),
    disc_pose=dict(ndf=8))
held_out_transfers = dict(dataset=dict(data_root='{data}', **demo))
'''
# An FD-GAN config without the held-out transfers (no dataset configs).
NO_KEY = '''
_base_ = ['{root}/configs/_base_/models/fdgan_resnet50.py',
          '{root}/configs/_base_/default_runtime.py']
'''
H, W = 128, 64  # the demo_fdgan pipelines' size


def run(args, ok=True):
    env = dict(os.environ, OMP_NUM_THREADS='1')
    env['PYTHONPATH'] = os.pathsep.join(
        [ROOT] + [p for p in [env.get('PYTHONPATH')] if p])
    proc = subprocess.run([sys.executable, TOOL] + [str(a) for a in args],
                          cwd=ROOT,
                          capture_output=True,
                          text=True,
                          env=env,
                          timeout=300)
    if ok:
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    else:
        assert proc.returncode != 0, proc.stdout[-3000:]
    return proc


@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    """Tiny config, its dataset and a checkpoint of the untrained model."""
    tmp = tmp_path_factory.mktemp('generate')
    cfg_path = tmp / 'tiny_stage2.py'
    cfg_path.write_text(
        TINY.format(root=ROOT, work=tmp / 'work', data=tmp / 'demo'))
    register_all_modules()
    cfg = Config.fromfile(str(cfg_path))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).eval()
    ckpt = tmp / 'untrained.pth'
    torch.save({'state_dict': model.state_dict()}, str(ckpt))
    dataset = DATASETS.build(cfg.held_out_transfers)
    return dict(
        tmp=tmp, cfg=str(cfg_path), ckpt=str(ckpt), model=model,
        dataset=dataset)


def expected_outputs(model, dataset, pairs, seed):
    """Recompute the tool's images: destruct(model.generate(...))."""
    pre = model.data_preprocessor
    data = pre(
        pseudo_collate([dataset.transfer_item(o, t) for o, t in pairs]),
        False)['inputs']
    noise = torch.randn(
        len(pairs), model.noise_channels,
        generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        fake = model.generate(data.img, data.pose_maps, noise)
    return dict(
        inputs=pre.destruct(data.img).numpy(),
        generated=pre.destruct(fake).numpy(),
        targets=pre.destruct(data.target_img).numpy(),
        pose_maps=data.pose_maps.numpy())


def read_rgb(path):
    img = cv2.imread(str(path))
    assert img is not None, path
    return img[..., ::-1]


def assert_close_images(actual, expected):
    """Equal up to +-1 (rounding of a float that moved by a few ulps)."""
    assert actual.shape == expected.shape
    diff = np.abs(actual.astype(int) - expected.astype(int))
    assert diff.max() <= 1
    assert (diff == 0).mean() > 0.99


def check_images(out_dir, summary, model, dataset, seed):
    """Per-pair files exist, have the size and are the model's output."""
    pairs = [(p['origin_idx'], p['target_idx']) for p in summary['pairs']]
    exp = expected_outputs(model, dataset, pairs, seed)
    # the channel order is checked (RGB images are not symmetric)
    assert not np.array_equal(exp['generated'], exp['generated'][..., ::-1])
    pngs = sorted(f for f in os.listdir(out_dir) if f.endswith('.png'))
    assert len(pngs) == len(pairs) + 1  # + grid.png
    for k, rec in enumerate(summary['pairs']):
        o, t = pairs[k]
        stem = lambda p: osp.splitext(osp.basename(p))[0]  # noqa: E731
        assert rec['index'] == k
        assert rec['file'] == (f'{k}_{stem(dataset.img_paths[o])}_to_'
                               f'{stem(dataset.img_paths[t])}.png')
        assert rec['origin_path'] == dataset.img_paths[o]
        assert rec['target_path'] == dataset.img_paths[t]
        assert rec['origin_pid'] == dataset.pids[o]
        assert rec['target_pid'] == dataset.pids[t]
        img = read_rgb(osp.join(out_dir, rec['file']))
        assert img.shape == (H, W, 3)
        assert_close_images(img, exp['generated'][k])
    return exp


def test_seeded_same_identity_pairs(setup):
    ds, model = setup['dataset'], setup['model']
    out_dir = setup['tmp'] / 'same'
    proc = run([
        setup['cfg'], setup['ckpt'], '--out-dir', out_dir, '--num', 3,
        '--seed', 3, '--columns', 2
    ])
    assert 'mean SSIM' in proc.stdout
    with open(out_dir / 'summary.json') as f:
        summary = json.load(f)
    assert summary['num_images'] == 3 and summary['seed'] == 3
    assert summary['pairs_from'] == 'same_identity'
    assert summary['image_size'] == [H, W]
    pairs = [(p['origin_idx'], p['target_idx']) for p in summary['pairs']]
    assert pairs == [tuple(p) for p in ds.fixed_transfer_pairs(3, seed=3)]
    assert all(p['same_identity'] for p in summary['pairs'])
    exp = check_images(out_dir, summary, model, ds, seed=3)
    # SSIM of generated vs real target, per pair and their mean
    ref = ssim(
        torch.from_numpy(exp['generated']).permute(0, 3, 1, 2),
        torch.from_numpy(exp['targets']).permute(0, 3, 1, 2),
        reduction='none').numpy()
    got = np.array([p['ssim'] for p in summary['pairs']])
    np.testing.assert_allclose(got, ref, atol=2e-3)
    assert summary['mean_ssim'] == pytest.approx(got.mean())
    assert summary['num_ssim'] == 3
    # the grid: draw_pose_transfer_grid of the same samples, 2 per row
    grid = cv2.imread(str(out_dir / 'grid.png'))
    ref_grid = draw_pose_transfer_grid(
        exp['inputs'], exp['pose_maps'], exp['generated'], exp['targets'],
        columns=2)
    assert grid.shape == ref_grid.shape
    assert np.abs(grid.astype(int) - ref_grid.astype(int)).max() <= 1


def test_cross_identity_default_out_dir(setup):
    ds, model = setup['dataset'], setup['model']
    proc = run([setup['cfg'], setup['ckpt'], '--num', 2, '--cross-identity'])
    assert 'no SSIM' in proc.stdout
    # work_dir of the config + /generated
    out_dir = setup['tmp'] / 'work' / 'generated'
    with open(out_dir / 'summary.json') as f:
        summary = json.load(f)
    assert summary['pairs_from'] == 'cross_identity'
    assert summary['mean_ssim'] is None and summary['num_ssim'] == 0
    assert 'cross-identity' in summary['ssim_note']
    pairs = [(p['origin_idx'], p['target_idx']) for p in summary['pairs']]
    assert pairs == [
        tuple(p)
        for p in ds.fixed_transfer_pairs(2, seed=0, same_identity=False)
    ]
    for p in summary['pairs']:
        assert p['origin_pid'] != p['target_pid']
        assert p['ssim'] is None and not p['same_identity']
    check_images(out_dir, summary, model, ds, seed=0)
    grid = cv2.imread(str(out_dir / 'grid.png'))
    zeros = np.zeros((2, H, W, 3), np.uint8)
    assert grid.shape == draw_pose_transfer_grid(
        zeros, np.zeros((2, 18, H, W), np.float32), zeros, zeros,
        columns=2).shape


def test_explicit_pairs(setup):
    ds, model = setup['dataset'], setup['model']
    paths, pids = ds.img_paths, ds.pids
    # a same-identity and a cross-identity pair, by exact path, by file
    # name and by a trailing part of the path
    o = int(np.flatnonzero(pids == pids[0])[1])
    x = int(np.flatnonzero(pids != pids[0])[0])
    tail = osp.join(osp.basename(osp.dirname(paths[x])),
                    osp.basename(paths[x]))
    out_dir = setup['tmp'] / 'explicit'
    run([
        setup['cfg'], setup['ckpt'], '--out-dir', out_dir, '--seed', 5,
        '--columns', 1, '--pairs', f'{paths[0]}:{osp.basename(paths[o])}',
        f'{tail}:{paths[0]}'
    ])
    with open(out_dir / 'summary.json') as f:
        summary = json.load(f)
    assert summary['pairs_from'] == 'explicit'
    assert [(p['origin_idx'], p['target_idx'])
            for p in summary['pairs']] == [(0, o), (x, 0)]
    same, cross = summary['pairs']
    assert same['same_identity'] and isinstance(same['ssim'], float)
    assert not cross['same_identity'] and cross['ssim'] is None
    assert summary['mean_ssim'] == pytest.approx(same['ssim'])
    check_images(out_dir, summary, model, ds, seed=5)
    grid = cv2.imread(str(out_dir / 'grid.png'))
    zeros = np.zeros((2, H, W, 3), np.uint8)
    assert grid.shape == draw_pose_transfer_grid(
        zeros, np.zeros((2, 18, H, W), np.float32), zeros, zeros,
        columns=1).shape


def test_clear_errors(setup):
    tmp = setup['tmp']
    proc = run([setup['cfg'], tmp / 'missing.pth', '--out-dir', tmp / 'e1'],
               ok=False)
    assert 'checkpoint not found' in proc.stderr
    assert 'missing.pth' in proc.stderr
    proc = run([
        setup['cfg'], setup['ckpt'], '--out-dir', tmp / 'e2', '--pairs',
        f'{setup["dataset"].img_paths[0]}:nobody_c9s9_000000_00.jpg'
    ],
               ok=False)
    assert 'nobody_c9s9_000000_00.jpg' in proc.stderr
    assert '--list-images' in proc.stderr
    assert 'Traceback' not in proc.stderr
    no_key = tmp / 'no_key.py'
    no_key.write_text(NO_KEY.format(root=ROOT))
    proc = run([no_key, setup['ckpt'], '--out-dir', tmp / 'e3'], ok=False)
    assert "no 'held_out_transfers'" in proc.stderr
    assert 'PoseTransferPairDataset' in proc.stderr
    for d in ('e1', 'e2', 'e3'):
        assert not (tmp / d).exists()
