# Copyright (c) mmreid contributors. All rights reserved.
"""tools/deployment/pytorch2onnx.py: export with a dynamic batch axis and
onnxruntime parity at batch 1 and 16 on a tiny model."""
import importlib.util
import os.path as osp
import re

import numpy as np
import pytest
import torch

from mmreid.apis import extract_features, init_model
from mmreid.registry import DATASETS
from mmreid.utils import register_all_modules
from mmreid.testing import tiny_baseline_config

pytest.importorskip('onnx')
ort = pytest.importorskip('onnxruntime')

register_all_modules()

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def load_tool():
    spec = importlib.util.spec_from_file_location(
        'pytorch2onnx', osp.join(ROOT, 'tools/deployment/pytorch2onnx.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('onnx')
    cfg = tiny_baseline_config(data_root=str(tmp / 'demo'),
                               test_cfg=dict(flip=True, normalize=True))
    cfg_file = str(tmp / 'tiny.py')
    cfg.dump(cfg_file)
    DATASETS.build(cfg.test_dataloader.dataset)  # generates the demo set
    torch.manual_seed(0)
    model = init_model(cfg_file)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)
    ckpt = str(tmp / 'tiny.pth')
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(dataset_meta=dict(num_classes=4))), ckpt)
    return tmp, cfg_file, ckpt


@pytest.mark.parametrize('mode', ['predict', 'tensor'])
def test_export_parity_at_batch_1_and_16(tiny, mode, capsys):
    tmp, cfg_file, ckpt = tiny
    tool = load_tool()
    out = str(tmp / f'{mode}.onnx')
    code = tool.main([cfg_file, ckpt, '--out', out, '--mode', mode])
    printed = capsys.readouterr().out
    assert code == 0, printed
    diffs = [float(d) for d in re.findall(
        r'max \|pytorch - onnxruntime\| = (\S+)', printed)]
    assert len(diffs) == 2 and max(diffs) <= 1e-4
    # the graph itself: a dynamic batch axis, and features equal to the
    # inference API's on the same test images at any batch size
    sess = ort.InferenceSession(out, providers=['CPUExecutionProvider'])
    assert sess.get_inputs()[0].shape[0] == 'batch'
    model = init_model(cfg_file, ckpt)
    dataset = tool.verification_inputs(model, None, 5)
    onnx_feats = sess.run(['feat'], {'img': dataset.float().numpy()})[0]
    assert onnx_feats.shape == (5, 64)
    ref = tool.pytorch_features(model, dataset, mode)
    assert np.abs(onnx_feats - ref).max() < 1e-4
    if mode == 'predict':
        # flip TTA + normalisation in the graph, as the API computes them
        arrays = [x.permute(1, 2, 0).numpy() for x in dataset]
        api = extract_features(model, arrays).feats.numpy()
        assert np.abs(onnx_feats - api).max() < 1e-4
        assert np.allclose(np.linalg.norm(onnx_feats, axis=1), 1, atol=1e-5)


def test_verify_on_given_images_and_exit_code(tiny, capsys):
    tmp, cfg_file, ckpt = tiny
    tool = load_tool()
    out = str(tmp / 'strict.onnx')
    # the demo tree's images (found recursively); atol 0: the exit code
    # must say whether any difference was above it
    code = tool.main([cfg_file, ckpt, '--out', out, '--images',
                      str(tmp / 'demo'), '--atol', '0', '--no-simplify'])
    printed = capsys.readouterr().out
    assert 'not simplified (--no-simplify)' in printed
    diffs = [float(d) for d in re.findall(
        r'(?:max \|pytorch - onnxruntime\| =|max abs difference) (\S+)',
        printed)]
    assert len(diffs) == 3
    assert code == (1 if max(diffs) > 0 else 0)
    assert ('FAILED' in printed) == (code == 1)
    assert tool.max_abs_diff(np.zeros((2, 3)), np.array(
        [[0, -2e-5, 0], [1e-5, 0, 0]])) == pytest.approx(2e-5)
    with pytest.raises(AssertionError, match='shape'):
        tool.max_abs_diff(np.zeros((2, 3)), np.zeros((1, 3)))
