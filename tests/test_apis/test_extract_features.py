# Copyright (c) mmreid contributors. All rights reserved.
import copy
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from PIL import Image

from mmreid.apis import (extract_dataset_features, extract_features,
                         init_model, list_images)
from mmreid.datasets.transforms.loading import ImageLoadError
from mmreid.testing import tiny_baseline_config
from .conftest import write_image


def test_paths_folder_arrays_and_pil_agree(tiny_model, image_folder):
    folder, paths = image_folder
    assert list_images(folder) == paths  # sorted, sub-folder included
    by_folder = extract_features(tiny_model, folder)
    assert by_folder.img_paths == paths
    assert by_folder.feats.shape == (7, 64)
    by_paths = extract_features(tiny_model, paths)
    arrays = [cv2.imread(p) for p in paths]
    by_arrays = extract_features(tiny_model, arrays)
    pil = [Image.fromarray(a[..., ::-1].copy()) for a in arrays]
    by_pil = extract_features(tiny_model, pil)
    assert by_arrays.img_paths == [None] * 7
    for other in (by_paths, by_arrays, by_pil):
        assert torch.equal(other.feats, by_folder.feats)
    # normalize=True in the tiny model's test_cfg
    assert torch.allclose(by_folder.feats.norm(dim=1), torch.ones(7))
    assert by_folder.metainfo['test_cfg'] == dict(normalize=True)
    assert by_folder.metainfo['metric'] == 'euclidean'


def test_features_are_the_models_predict_features(tiny_model):
    """Against a hand-built batch: BGR -> RGB, mean / std, predict_feat
    (the images are already at the pipeline's 64 x 32, so the resize is
    the identity)."""
    rng = np.random.default_rng(1)
    imgs = rng.integers(0, 256, (5, 64, 32, 3), np.uint8)
    got = extract_features(tiny_model, imgs, batch_size=2).feats
    x = torch.from_numpy(imgs[..., ::-1].copy()).permute(0, 3, 1, 2).float()
    mean = torch.tensor([123.675, 116.28, 103.53]).view(1, 3, 1, 1)
    std = torch.tensor([58.395, 57.12, 57.375]).view(1, 3, 1, 1)
    with torch.no_grad():
        raw = tiny_model.extract_feat((x - mean) / std)
    ref = torch.nn.functional.normalize(raw, dim=1)
    assert torch.allclose(got, ref, atol=1e-5)
    # the batch size does not change the features
    one = extract_features(tiny_model, imgs, batch_size=1).feats
    assert torch.allclose(one, got, atol=1e-5)


def test_flip_tta_from_test_cfg(tiny_model, tiny_ckpt):
    rng = np.random.default_rng(2)
    imgs = list(rng.integers(0, 256, (3, 64, 32, 3), np.uint8))
    flip = init_model(tiny_baseline_config(test_cfg=dict(flip=True)),
                      tiny_ckpt)
    plain = init_model(tiny_baseline_config(test_cfg=dict()), tiny_ckpt)
    got = extract_features(flip, imgs).feats
    a = extract_features(plain, imgs).feats
    b = extract_features(plain, [i[:, ::-1] for i in imgs]).feats
    assert torch.allclose(got, (a + b) / 2, atol=1e-5)
    assert not torch.allclose(a, b, atol=1e-3)


def test_progress_bar(tiny_model, image_folder, capsys):
    folder, _ = image_folder
    extract_features(tiny_model, folder, batch_size=3, progress=True)
    assert '7/7' in capsys.readouterr().out
    extract_features(tiny_model, folder, batch_size=3)  # auto: < 1000
    assert '7/7' not in capsys.readouterr().out


def test_clear_errors(tiny_model, tmp_path, image_folder):
    with pytest.raises(ValueError, match='no images given: the list is '
                       'empty'):
        extract_features(tiny_model, [])
    empty = tmp_path / 'empty'
    (empty / 'sub').mkdir(parents=True)
    (empty / 'notes.txt').write_text('x')
    with pytest.raises(ValueError, match=f'no image files in {empty}'):
        extract_features(tiny_model, str(empty))
    bad = tmp_path / 'broken.jpg'
    bad.write_bytes(b'not a jpeg at all')
    _, paths = image_folder
    with pytest.raises(ImageLoadError, match='broken.jpg'):
        extract_features(tiny_model, paths[:2] + [str(bad)])
    with pytest.raises(FileNotFoundError, match='image 1: no such image '
                       'file or folder: .*missing.png'):
        extract_features(tiny_model, [paths[0], str(tmp_path / 'missing.png')])
    with pytest.raises(ValueError, match='image 0 is an array of shape '
                       r'\(8, 4, 5\)'):
        extract_features(tiny_model, [np.zeros((8, 4, 5), np.uint8)])
    with pytest.raises(ValueError, match='float32 array'):
        extract_features(tiny_model, np.zeros((8, 4, 3), np.float32))
    with pytest.raises(ValueError, match='init_model'):
        extract_features(torch.nn.Linear(2, 2), paths)


def test_grey_image_file(tiny_model, tmp_path):
    grey = np.random.default_rng(3).integers(0, 256, (64, 32), np.uint8)
    path = write_image(tmp_path, 'grey.png', grey)
    by_file = extract_features(tiny_model, path).feats
    by_array = extract_features(tiny_model, grey).feats
    assert torch.equal(by_file, by_array)


def test_dataset_features_match_image_features(tiny_ckpt, tmp_path):
    cfg = tiny_baseline_config(data_root=str(tmp_path / 'demo'))
    model = init_model(cfg, tiny_ckpt)
    feats = extract_dataset_features(model, batch_size=5)
    splits = set(feats.annotations['split'])
    assert splits == {'query', 'gallery'}
    assert len(feats.annotations['pid']) == len(feats)
    assert all(osp.isfile(p) for p in feats.img_paths)
    again = extract_features(model, feats.img_paths, batch_size=7)
    assert torch.allclose(again.feats, feats.feats, atol=1e-5)
    query = extract_dataset_features(
        model, dataset_filter=lambda info: info['split'] == 'query')
    assert set(query.annotations['split']) == {'query'}
    n_query = feats.annotations['split'].count('query')
    assert len(query) == n_query
    cfg2 = copy.deepcopy(cfg.test_dataloader.dataset)
    with pytest.raises(ValueError, match='pass the filter'):
        extract_dataset_features(model, cfg2,
                                 dataset_filter=lambda info: False)
