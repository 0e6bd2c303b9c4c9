# Copyright (c) mmreid contributors. All rights reserved.
"""PN-GAN's offline steps on a tiny demo set: canonical poses into the
config's work dir, the cached synthesis of the train / test images, and the
datasets that read them."""
import importlib.util
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmreid.datasets import (FileListReID, PoseNormalizedDataset,
                             render_canonical_poses, synth_image_path)
from mmreid.registry import DATASETS, MODELS
from mmreid.utils import register_all_modules

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY = '''
_base_ = ['{root}/configs/pngan/demo_gan.py']
work_dir = '{work}'
canonical_poses = work_dir + '/canonical_poses/canonical_poses.json'
synth_root_train = work_dir + '/synth/train'
synth_root_test = work_dir + '/synth/test'
demo = dict(data_root='{data}', num_train_ids=3, num_test_ids=2,
            num_cameras=2, images_per_id=4, num_distractors=1, num_junk=0)
model = dict(generator=dict(ngf=4, num_blocks=1),
             discriminator=dict(ndf=4))
train_dataloader = dict(dataset=dict(dataset=demo))
synth_datasets = dict(train=demo, test=dict(demo, test_mode=True))
'''


def tool(name, path):
    spec = importlib.util.spec_from_file_location(name, osp.join(ROOT, path))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('pngan')
    cfg_path = tmp / 'tiny_gan.py'
    cfg_path.write_text(
        TINY.format(root=ROOT, work=tmp / 'work', data=tmp / 'demo'))
    register_all_modules()
    cfg = Config.fromfile(str(cfg_path))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).eval()
    ckpt = tmp / 'untrained.pth'
    torch.save({'state_dict': model.state_dict()}, str(ckpt))
    return dict(tmp=tmp, cfg=str(cfg_path), cfg_obj=cfg, ckpt=str(ckpt),
                model=model)


def test_canonical_poses_go_to_the_work_dir(setup):
    cluster = tool('cluster_poses', 'tools/misc/cluster_poses.py')
    res = cluster.main([setup['cfg'], '--k', '8', '--n-init', '2',
                        '--min-visible', '0'])
    path = setup['cfg_obj'].canonical_poses
    assert osp.isfile(path) and len(res['sizes']) == 8
    imgs = render_canonical_poses(path, (64, 128), stick_width=2,
                                  joint_radius=2)
    assert imgs.shape == (8, 128, 64, 3) and imgs.max() > 0


def test_synthesis_is_cached_and_read_back(setup):
    if not osp.isfile(setup['cfg_obj'].canonical_poses):
        test_canonical_poses_go_to_the_work_dir(setup)
    synth = tool('synthesize_poses', 'tools/generation/synthesize_poses.py')
    cfg = setup['cfg_obj']
    meta = synth.main([setup['cfg'], setup['ckpt'], '--split', 'train',
                       '--batch-size', '5'])
    train = DATASETS.build(dict(cfg.synth_datasets.train, pipeline=[]))
    assert (meta['num_images'], meta['num_poses'],
            meta['generated']) == (len(train), 8, len(train))
    out = cfg.synth_root_train
    # the generator's own output for one image and pose
    pre = setup['model'].data_preprocessor
    info = train.get_data_info(5)
    w, h = cfg.gan_input_size
    img = cv2.resize(cv2.imread(info['img_path']), (w, h),
                     interpolation=cv2.INTER_CUBIC)
    poses = render_canonical_poses(cfg.canonical_poses, (w, h),
                                   **cfg.skeleton_cfg)
    with torch.no_grad():
        x = pre(dict(inputs=[torch.from_numpy(img).permute(2, 0, 1)]),
                False)['inputs']
        p = pre(dict(inputs=[torch.from_numpy(poses[3]).permute(2, 0, 1)]),
                False)['inputs']
        want = pre.destruct(setup['model'].generate(x, p))[0].numpy()
    got = cv2.imread(synth_image_path(info['img_path'], train.data_root,
                                      out, 3))[..., ::-1]
    assert np.abs(got.astype(int) - want.astype(int)).max() <= 1
    # ResNet-50-B's training set: every image in 8 poses, source identity
    b = FileListReID(data_root=out, train_list='list.txt')
    assert len(b) == 8 * len(train)
    assert b.metainfo['num_classes'] == train.metainfo['num_classes']
    # the cache: a second run makes nothing
    again = synth.main([setup['cfg'], setup['ckpt'], '--split', 'train'])
    assert (again['generated'], again['cached']) == (0, len(train))
    # the test split, read by the evaluation dataset
    synth.main([setup['cfg'], setup['ckpt'], '--split', 'test'])
    test = PoseNormalizedDataset(
        dict(cfg.synth_datasets.test, pipeline=cfg.synth_pipeline),
        cfg.synth_root_test)
    item = test[0]
    assert item['inputs'].shape == (9, 3, h, w)
    assert not torch.equal(item['inputs'][1], item['inputs'][2])
