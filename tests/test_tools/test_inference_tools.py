# Copyright (c) mmreid contributors. All rights reserved.
"""tools/extract_features.py, demo/image_search.py,
tools/analysis_tools/visualize_ranks.py and vis_tsne.py on a tiny model and
a tiny demo set (called in-process through their ``main(argv)``)."""
import argparse
import importlib.util
import os.path as osp
import pickle

import cv2
import pytest
import torch

from mmreid.apis import extract_dataset_features, extract_features, init_model
from mmreid.structures import FeatureSet
from mmreid.testing import tiny_baseline_config

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def load_tool(rel):
    spec = importlib.util.spec_from_file_location(
        osp.splitext(osp.basename(rel))[0], osp.join(ROOT, rel))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('tools')
    cfg = tiny_baseline_config(data_root=str(tmp / 'demo'))
    cfg_file = str(tmp / 'tiny.py')
    cfg.dump(cfg_file)
    torch.manual_seed(0)
    model = init_model(cfg_file)
    ckpt = str(tmp / 'tiny.pth')
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(dataset_meta=dict(num_classes=4))), ckpt)
    model = init_model(cfg_file, ckpt)
    test = extract_dataset_features(model)
    return tmp, cfg_file, ckpt, model, test


def test_extract_features_tool(setup):
    tmp, cfg_file, ckpt, model, test = setup
    tool = load_tool('tools/extract_features.py')
    out = str(tmp / 'test.pth')
    tool.main([cfg_file, ckpt, '--out', out, '--num-workers', '0'])
    saved = FeatureSet.load(out)
    assert saved.img_paths == test.img_paths
    assert saved.annotations == test.annotations
    assert torch.allclose(saved.feats, test.feats, atol=1e-5)
    assert saved.metainfo['checkpoint'] == ckpt
    folder = osp.dirname(test.img_paths[0])
    out = str(tmp / 'folder.pth')
    tool.main([cfg_file, ckpt, '--images', folder, '--out', out,
               '--num-workers', '0'])
    saved = FeatureSet.load(out)
    ref = extract_features(model, folder)
    assert saved.img_paths == ref.img_paths
    assert torch.allclose(saved.feats, ref.feats, atol=1e-5)
    out = str(tmp / 'query.pth')
    tool.main([cfg_file, ckpt, '--split', 'query', '--out', out,
               '--num-workers', '0'])
    assert set(FeatureSet.load(out).annotations['split']) == {'query'}


def test_image_search_demo(setup, capsys):
    tmp, cfg_file, ckpt, model, test = setup
    demo = load_tool('demo/image_search.py')
    gallery = test.select('split', 'gallery')
    folder = osp.dirname(gallery.img_paths[0])
    query = test.select('split', 'query').img_paths[0]
    cache = str(tmp / 'gallery_cache.pth')
    png = str(tmp / 'search.png')
    argv = [query, folder, cfg_file, ckpt, '--out', png, '--topk', '4',
            '--gallery-features', cache]
    demo.main(argv)
    out = capsys.readouterr().out
    assert 'embedded' in out and osp.isfile(cache)
    img = cv2.imread(png)
    # one row: caption 20 + 128 + 2 * 4 border + 14 label band
    assert img.shape == (170, 5 * 72 + 12, 3)
    # the printed top-1 is the exact search's top-1 over the folder
    feats = extract_features(model, folder)
    qf = extract_features(model, query)
    best = ((feats.feats - qf.feats).norm(dim=1)).argmin().item()
    first = next(line for line in out.splitlines()
                 if line.startswith('    1  '))
    assert first.endswith(feats.img_paths[best])
    demo.main(argv)
    assert 'read from' in capsys.readouterr().out


def test_visualize_ranks_sources_and_worst_order(setup, capsys):
    tmp, cfg_file, ckpt, model, test = setup
    tool = load_tool('tools/analysis_tools/visualize_ranks.py')
    png = str(tmp / 'ranks.png')
    tool.main([cfg_file, ckpt, '--out', png, '--num-queries', '3',
               '--topk', '4', '--order', 'worst'])
    printed = capsys.readouterr().out
    assert 'ranked lists of 3 queries' in printed
    img = cv2.imread(png)
    assert img.shape == (3 * 170, 5 * 72 + 12, 3)
    feats_file = str(tmp / 'vis_test.pth')
    test.save(feats_file)
    tool.main([feats_file, '--out', png, '--queries', '0', '2'])
    assert cv2.imread(png).shape[0] == 2 * 170
    with pytest.raises(ValueError, match='checkpoint goes with a config'):
        tool.main([feats_file, ckpt, '--out', png])
    # the records tools/test.py --out dumps
    records = [dict(pred_feature=f, img_path=p, pid=pid, camid=cam,
                    split=split, sample_idx=i)
               for i, (f, p, pid, cam, split) in enumerate(zip(
                   test.feats, test.img_paths, test.annotations['pid'],
                   test.annotations['camid'], test.annotations['split']))]
    results = str(tmp / 'results.pkl')
    with open(results, 'wb') as f:
        pickle.dump(records, f)
    capsys.readouterr()
    tool.main([results, '--out', png, '--num-queries', '2', '--topk', '3'])
    from_pkl = capsys.readouterr().out
    tool.main([feats_file, '--out', png, '--num-queries', '2', '--topk',
               '3'])
    # the same features, the same ranking (the features file records the
    # test metric; the results file defaults to euclidean, the same here)
    assert from_pkl == capsys.readouterr().out
    assert 'mAP' in from_pkl


def test_pick_queries_orders_by_ap():
    tool = load_tool('tools/analysis_tools/visualize_ranks.py')
    ap = torch.tensor([0.5, float('nan'), 0.1, 0.9, 0.1], dtype=torch.float64)

    def args(**kw):
        base = dict(queries=None, num_queries=3, order='spread')
        base.update(kw)
        return argparse.Namespace(**base)

    assert tool.pick_queries(args(order='worst'), ap) == [2, 4, 0]
    assert tool.pick_queries(args(order='best'), ap) == [3, 0, 2]
    assert tool.pick_queries(args(), ap) == [0, 2, 4]
    assert tool.pick_queries(args(queries=[4, 1]), ap) == [4, 1]
    with pytest.raises(ValueError, match='outside'):
        tool.pick_queries(args(queries=[5]), ap)


def test_vis_tsne(setup):
    pytest.importorskip('sklearn')
    tmp, cfg_file, ckpt, model, test = setup
    tool = load_tool('tools/analysis_tools/vis_tsne.py')
    feats_file = str(tmp / 'tsne_test.pth')
    test.save(feats_file)
    png = str(tmp / 'tsne.png')
    tool.main([feats_file, '--out', png, '--num-ids', '4'])
    assert cv2.imread(png).shape == (800, 800, 3)
    assert tool.pick_identities([5, 0, -1, 3, 3, 9, 7], 2) == [3, 9]
