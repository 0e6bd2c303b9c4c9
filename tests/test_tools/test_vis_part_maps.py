# Copyright (c) mmreid contributors. All rights reserved.
"""``tools/analysis_tools/vis_part_maps.py`` on a DPL config."""
import importlib.util
import os.path as osp

import cv2
import pytest
import torch
from mmengine.config import Config

from mmreid.registry import MODELS
from mmreid.utils import register_all_modules

register_all_modules()

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = '''
_base_ = ['{root}/configs/dpl/demo.py']
demo = dict(num_train_ids=3, num_test_ids=3, num_cameras=2,
            images_per_id=4, img_size=(128, 64), num_distractors=1,
            num_junk=0)
train_dataloader = dict(dataset=dict(data_root='{data}', **demo))
test_dataloader = dict(dataset=dict(data_root='{data}', **demo))
'''


def _tool():
    path = osp.join(ROOT, 'tools', 'analysis_tools', 'vis_part_maps.py')
    spec = importlib.util.spec_from_file_location('vis_part_maps', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_untrained_warns_and_checkpoint_loads(tmp_path):
    cfg = tmp_path / 'dpl_tiny.py'
    cfg.write_text(CFG.format(root=ROOT, data=tmp_path / 'demo'))
    tool = _tool()
    with pytest.warns(UserWarning, match='no checkpoint'):
        out = tool.main([
            str(cfg), '--num', '2', '--scale', '1', '--out',
            str(tmp_path / 'a.png')
        ])
    # 2 rows: image + 8 part maps + all, tiles of 128 x 64
    assert cv2.imread(out).shape == (2 * 130 + 2, 10 * 66 + 2, 3)
    # a checkpoint of this model gives the maps of its weights
    model = MODELS.build(Config.fromfile(str(cfg)).model)
    with torch.no_grad():
        model.head.part_detector.weight.zero_()
        model.head.part_detector.bias.fill_(-30.)  # every map ~ 0
    ckpt = str(tmp_path / 'dpl.pth')
    torch.save(dict(state_dict=model.state_dict()), ckpt)
    out = tool.main([
        str(cfg), ckpt, '--num', '1', '--scale', '1', '--out',
        str(tmp_path / 'b.png')
    ])
    img = cv2.imread(out)
    assert img.shape == (130 + 2, 10 * 66 + 2, 3)
    # maps ~ 0: every overlay tile is the input image (below the labels)
    image = img[30:130, 2:66].astype(int)
    for k in range(1, 10):
        tile = img[30:130, 2 + 66 * k:66 + 66 * k].astype(int)
        assert abs(tile - image).max() <= 1
    # a checkpoint of another model is refused, naming the keys
    torch.save(dict(state_dict={'head.other.weight': torch.zeros(1)}), ckpt)
    with pytest.raises(RuntimeError, match='head.other.weight'):
        tool.main([str(cfg), ckpt, '--out', str(tmp_path / 'c.png')])
