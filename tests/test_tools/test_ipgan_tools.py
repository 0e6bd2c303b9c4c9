# Copyright (c) mmreid contributors. All rights reserved.
"""IP-GAN's tools: the identity ranking of identity_preservation.py on a
hand-made case, and generate.py's / identity_preservation.py's IP-GAN runs
on an untrained tiny model over a tiny demo set (subprocesses)."""
import importlib.util
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmreid.registry import MODELS
from mmreid.utils import register_all_modules
from mmreid.visualization import draw_identity_attribute_grid

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
GEN = osp.join('tools', 'generation', 'generate.py')
IDP = osp.join('tools', 'analysis_tools', 'identity_preservation.py')


def load_tool(path, name):
    spec = importlib.util.spec_from_file_location(name, osp.join(ROOT, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


idp = load_tool(IDP, 'identity_preservation')

# gallery: identity 1 = {[1, 0], [0.8, 0.6]}, 2 = {[0, 1]}, 3 = {[-1, 0]}
GALLERY = np.array([[1., 0.], [0.8, 0.6], [0., 1.], [-1., 0.]])
GIDS = [1, 1, 2, 3]


def test_identity_ranks_hand_worked():
    q = np.array([[0.6, 0.8], [-0.1, -1.0]])
    # identity means (unit): 1 -> (0.949, 0.316), 2 -> (0, 1), 3 -> (-1, 0)
    # q0 . means = 0.822, 0.8, -0.6: identity 2 is second
    assert idp.identity_ranks(q, [2, 3], GALLERY, GIDS).tolist() == [2, 1]
    # without gallery image 1, identity 1 is (1, 0): q0 . = 0.6 < 0.8
    ranks = idp.identity_ranks(q, [2, 3], GALLERY, GIDS, exclude=[[1], []])
    assert ranks.tolist() == [1, 1]
    # unnormalised features give the same ranks (cosine)
    assert idp.identity_ranks(3 * q, [2, 1], 5 * GALLERY,
                              GIDS).tolist() == [2, 2]
    with pytest.raises(ValueError, match='no gallery image'):
        idp.identity_ranks(q, [2, 3], GALLERY, GIDS, exclude=[[], [3]])
    s = idp.rank_summary(np.array([1, 2, 7, 1]))
    assert s == dict(rank1=50.0, top5=75.0, mean_rank=2.75, num_trials=4)


def test_trials_are_open_set_pairs_of_other_identities():
    pids = np.array([1, 1, 2, 2, 3, 3, 0, -1])
    trials = idp.draw_trials(pids, 2, seed=0)
    assert len(trials) == 3 * 2
    for k, (s, a) in enumerate(trials):
        assert pids[s] == k // 2 + 1 and pids[a] not in (pids[s], 0, -1)
    # the two attribute images of a subject are of distinct identities
    assert pids[trials[0][1]] != pids[trials[1][1]]
    assert idp.draw_trials(pids, 2, seed=0) == trials
    with pytest.raises(ValueError, match='too few'):
        idp.draw_trials(pids, 3, seed=0)


def test_grid_layout():
    s = np.zeros((2, 8, 4, 3), np.uint8)
    a = np.zeros((3, 8, 4, 3), np.uint8)
    a[..., 0] = 200  # red (RGB)
    g = np.zeros((2, 3, 8, 4, 3), np.uint8)
    g[1, 2] = 77
    grid = draw_identity_attribute_grid(s, a, g, pad=1)
    # header row: attribute j at x = 1 + (j + 1) * 5 + 1, y = 1; BGR
    assert (grid[1:9, 7:11] == [0, 0, 200]).all()
    # cell (1, 2): y = 1 + 2 * 9 + 1, x = 1 + 3 * 5 + 1
    assert (grid[20:28, 17:21] == 77).all()
    assert (grid[0] == 255).all()  # padding
    with pytest.raises(ValueError, match='2 x 3'):
        draw_identity_attribute_grid(s, a, g[:, :2])


TINY = '''
_base_ = ['{root}/configs/ipgan/demo_stage2.py']
work_dir = '{work}'
demo = dict(data_root='{data}', num_train_ids=3, num_test_ids=4,
            num_cameras=2, images_per_id=4, num_distractors=1, num_junk=0)
_reid = dict(backbone=dict(base_channels=8), head=dict(in_channels=64,
             num_classes=3), init_cfg=None)
model = dict(identity_encoder=_reid, classifier=_reid,
             generator=dict(identity_dim=64, ngf=4),
             attribute_encoder=dict(base_channels=4, latent_dim=8),
             discriminator=dict(ndf=4, feat_dim=8))
model['generator']['attribute_dim'] = 8
train_dataloader = dict(dataset=dict(dataset=demo))
ipgan_images = demo
'''
JUDGE = '''
_base_ = ['{root}/configs/baseline/demo.py']
model = dict(backbone=dict(base_channels=8), head=dict(in_channels=64))
'''


def run(tool, args):
    """The tool's ``main`` in this process (as its command line would)."""
    module = idp if tool == IDP else load_tool(GEN, 'generate_tool')
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return module.main([str(a) for a in args])
    finally:
        os.chdir(cwd)


@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('ipgan')
    cfg_path = tmp / 'tiny_ipgan.py'
    cfg_path.write_text(
        TINY.format(root=ROOT, work=tmp / 'work', data=tmp / 'demo'))
    judge_path = tmp / 'judge.py'
    judge_path.write_text(JUDGE.format(root=ROOT))
    register_all_modules()
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(str(cfg_path)).model).eval()
    ckpt = tmp / 'ipgan.pth'
    torch.save({'state_dict': model.state_dict()}, str(ckpt))
    jcfg = Config.fromfile(str(judge_path))
    jcfg.model.head.num_classes = 3
    jcfg.model.backbone.init_cfg = None
    judge_ckpt = tmp / 'judge.pth'
    torch.save({'state_dict': MODELS.build(jcfg.model).state_dict()},
               str(judge_ckpt))
    return dict(tmp=tmp, cfg=cfg_path, ckpt=ckpt, model=model,
                judge=judge_path, judge_ckpt=judge_ckpt)


def test_generate_grid_and_pairs(setup):
    out = setup['tmp'] / 'grid'
    run(GEN, [setup['cfg'], setup['ckpt'], '--grid-subjects', 2,
              '--grid-attributes', 2, '--out-dir', out])
    summary = json.loads((out / 'summary.json').read_text())
    assert summary['mode'] == 'grid'
    ids = [r['pid'] for r in summary['subjects'] + summary['attributes']]
    assert len(set(ids)) == 4  # distinct identities
    assert all(r['seen_in_training'] is False
               for r in summary['subjects'] + summary['attributes'])
    grid = cv2.imread(str(out / 'grid.png'))
    assert grid.shape == (2 + 3 * (128 + 2) + 2, 2 + 3 * (64 + 2) + 2, 3)
    # explicit pairs: the generated file is the model's image
    s, a = summary['subjects'][0]['path'], summary['attributes'][1]['path']
    out2 = setup['tmp'] / 'pairs'
    run(GEN, [setup['cfg'], setup['ckpt'], '--pairs',
              f'{osp.basename(s)}:{osp.basename(a)}', '--out-dir', out2])
    pairs = json.loads((out2 / 'summary.json').read_text())
    assert pairs['pairs'][0]['subject']['path'] == s
    gen_tool = load_tool(GEN, 'generate_tool')
    from mmreid.registry import DATASETS
    ds = DATASETS.build(Config.fromfile(str(setup['cfg'])).ipgan_images)
    paths = [ds.get_data_info(i)['img_path'] for i in range(len(ds))]
    want = gen_tool.generate_recombined(setup['model'], ds,
                                        [paths.index(s)], [paths.index(a)],
                                        4)['generated'][0]
    got = cv2.imread(str(out2 / pairs['pairs'][0]['file']))[..., ::-1]
    np.testing.assert_array_equal(got, want)


def test_identity_preservation_run(setup):
    out = setup['tmp'] / 'idp'
    res = run(IDP, [
        setup['cfg'], setup['ckpt'], '--judge-config', setup['judge'],
        '--judge-checkpoint', setup['judge_ckpt'],
        '--attributes-per-subject', 2, '--out-dir', out
    ])
    assert res == json.loads(
        (out / 'identity_preservation.json').read_text())
    assert res['num_identities'] == 4
    for name in ('generated', 'attribute', 'subject'):
        r = res['results'][name]
        assert r['num_trials'] == 8 and 1 <= r['mean_rank'] <= 4
    assert '| generated |' in (out / 'identity_preservation.md').read_text()
