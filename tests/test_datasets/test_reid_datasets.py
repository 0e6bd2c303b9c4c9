# Copyright (c) mmreid contributors. All rights reserved.
"""Fixture-tree tests of the re-ID dataset parsers."""
import json
import os
import os.path as osp
import shutil

import numpy as np
import pytest

from mmreid.datasets.base_reid_dataset import DatasetFormatError
from mmreid.datasets.cuhk03_np import CUHK03NP
from mmreid.datasets.dukemtmc import DukeMTMCReID
from mmreid.datasets.file_list_dataset import FileListReID
from mmreid.datasets.keypoint_cache import (KeypointCacheError,
                                            save_keypoint_cache)
from mmreid.datasets.list_file_parser import parse_list_file
from mmreid.datasets.market1501 import Market1501
from mmreid.datasets.msmt17 import MSMT17
from mmreid.registry import DATASETS
from mmreid.testing import (make_cuhk03np_tree, make_duke_tree,
                            make_file_list_tree, make_market_tree,
                            make_msmt17_tree, write_images)

# ------------------------------------------------------------------ helpers --


def names(ds):
    """The file names of a dataset's images, in data_list order."""
    return [osp.basename(ds.get_data_info(i)['img_path'])
            for i in range(len(ds))]


def check_train(ds, num_ids, num_images, num_cameras):
    """Check a training set's counts and contiguous, pid-sorted labels."""
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    assert len(ds) == num_images
    assert ds.metainfo['num_images'] == num_images
    assert ds.metainfo['num_classes'] == num_ids
    assert ds.metainfo['num_ids'] == num_ids
    assert ds.metainfo['num_cameras'] == num_cameras
    assert {d['split'] for d in infos} == {'train'}
    pids = sorted({d['pid'] for d in infos})
    for d in infos:
        assert d['label'] == pids.index(d['pid'])
    assert sorted({d['label'] for d in infos}) == list(range(num_ids))
    for d in infos:
        assert osp.isabs(d['img_path']) and osp.isfile(d['img_path'])
    return infos


def check_test(ds, num_query, num_gallery):
    """Check an evaluation set: query images first, then gallery ones."""
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    assert ds.metainfo['num_query'] == num_query
    assert ds.metainfo['num_gallery'] == num_gallery
    assert len(ds) == num_query + num_gallery
    assert [d['split'] for d in infos] == (['query'] * num_query +
                                           ['gallery'] * num_gallery)
    assert {d['label'] for d in infos} == {-1}
    for d in infos:
        assert osp.isabs(d['img_path']) and osp.isfile(d['img_path'])
    return infos


def rel_paths(root, *datasets):
    """Relative paths (forward slashes) of every image of the datasets."""
    out = []
    for ds in datasets:
        for i in range(len(ds)):
            rel = osp.relpath(ds.get_data_info(i)['img_path'], root)
            out.append(rel.replace(os.sep, '/'))
    return out


def check_keypoint_cache_errors(root, build):
    """Test ``keypoint_file=`` on a fixture tree: a match and 3 errors.

    Args:
        root (str): The dataset root.
        build (callable): ``build(**kwargs)`` -> dataset on ``root``.
    """
    rels = rel_paths(root, build(), build(test_mode=True))
    assert len(rels) == len(set(rels))
    kpts = {r: np.full((17, 3), i, np.float32) for i, r in enumerate(rels)}
    cache = osp.join(root, 'kpts.json')

    # an exact cache: keypoints attached to every image, in both modes
    save_keypoint_cache(cache, kpts)
    for test_mode in (False, True):
        ds = build(test_mode=test_mode, keypoint_file='kpts.json')
        assert ds.metainfo['keypoint_format'] == 'coco17'
        for i, rel in enumerate(rel_paths(root, ds)):
            info = ds.get_data_info(i)
            assert info['keypoint_format'] == 'coco17'
            np.testing.assert_allclose(info['keypoints'], kpts[rel])
    # an absolute path works too
    assert len(build(keypoint_file=cache)) > 0

    # an image of the (query) split loaded is missing from the cache
    missing = rel_paths(root, build(test_mode=True))[0]
    save_keypoint_cache(
        cache, {r: k for r, k in kpts.items() if r != missing})
    with pytest.raises(KeypointCacheError, match=missing):
        build(test_mode=True, keypoint_file='kpts.json')

    # an entry for an image of no split
    extra = 'elsewhere/0001_c1.jpg'
    save_keypoint_cache(cache, {**kpts, extra: kpts[missing]})
    for test_mode in (False, True):
        with pytest.raises(KeypointCacheError, match=extra):
            build(test_mode=test_mode, keypoint_file='kpts.json')

    # an entry with the wrong number of keypoints
    save_keypoint_cache(cache, kpts)
    with open(cache) as f:
        payload = json.load(f)
    bad = rels[-1]
    payload['keypoints'][bad] = payload['keypoints'][bad][:16]
    with open(cache, 'w') as f:
        json.dump(payload, f)
    with pytest.raises(KeypointCacheError, match=bad):
        build(keypoint_file='kpts.json')

    # no cache at all
    with pytest.raises(FileNotFoundError, match='nothere.json'):
        build(keypoint_file='nothere.json')


# ------------------------------------------------------------- Market-1501 --


class TestMarket1501:

    def test_train(self, tmp_path):
        root = make_market_tree(str(tmp_path))
        ds = Market1501(data_root=root)
        infos = check_train(ds, num_ids=2, num_images=4, num_cameras=4)
        assert [(d['pid'], d['label'], d['camid']) for d in infos] == [
            (2, 0, 0), (2, 0, 1), (7, 1, 2), (7, 1, 5)]
        assert ds.metainfo['num_junk'] == 0
        assert ds.metainfo['dataset_name'] == 'market1501'

    def test_test(self, tmp_path):
        root = make_market_tree(str(tmp_path))
        ds = Market1501(data_root=root, test_mode=True)
        infos = check_test(ds, num_query=2, num_gallery=4)
        assert names(ds)[:2] == [
            '0001_c1s1_001051_00.jpg', '0003_c2s1_000976_00.jpg']
        # junk (pid -1) dropped and counted, distractor (pid 0) kept
        assert ds.metainfo['num_junk'] == 2
        assert -1 not in {d['pid'] for d in infos}
        gallery = [d for d in infos if d['split'] == 'gallery']
        assert [d['pid'] for d in gallery].count(0) == 1
        assert ds.metainfo['num_ids'] == 3  # 1, 3 and the distractors
        assert ds.metainfo['num_cameras'] == 4
        assert 'num_distractors' not in ds.metainfo

    def test_errors(self, tmp_path):
        root = make_market_tree(str(tmp_path))
        shutil.rmtree(osp.join(root, 'query'))
        with pytest.raises(FileNotFoundError, match='query'):
            Market1501(data_root=root, test_mode=True)
        Market1501(data_root=root)  # train does not need the query
        write_images(osp.join(root, 'bounding_box_train'), ['img_01.jpg'])
        with pytest.raises(ValueError, match='img_01.jpg'):
            Market1501(data_root=root)

    def test_empty_split(self, tmp_path):
        root = make_market_tree(str(tmp_path))
        for name in os.listdir(osp.join(root, 'bounding_box_train')):
            os.remove(osp.join(root, 'bounding_box_train', name))
        with pytest.raises(DatasetFormatError, match='train split'):
            Market1501(data_root=root)

    def test_distractor_not_in_train(self, tmp_path):
        root = make_market_tree(str(tmp_path))
        write_images(
            osp.join(root, 'bounding_box_train'), ['0000_c1s1_000001_00.jpg'])
        with pytest.raises(ValueError, match='0000_c1s1_000001_00.jpg'):
            Market1501(data_root=root)

    def test_distractor_dir(self, tmp_path):
        root = make_market_tree(str(tmp_path))
        write_images(
            osp.join(root, 'images'),
            ['0000_c6s4_002511_99.jpg', '-1_c2s1_000001_00.jpg', 'd_0042.jpg'])
        ds = Market1501(
            data_root=root, test_mode=True, distractor_dir='images')
        infos = check_test(ds, num_query=2, num_gallery=4 + 3)
        extra = infos[-3:]
        assert [osp.basename(d['img_path']) for d in extra] == [
            '-1_c2s1_000001_00.jpg', '0000_c6s4_002511_99.jpg', 'd_0042.jpg']
        # all pid 0; camera from a Market-style name, else -1 (unknown)
        assert [(d['pid'], d['camid']) for d in extra] == [(0, 1), (0, 5),
                                                           (0, -1)]
        assert ds.metainfo['num_distractors'] == 3
        assert ds.metainfo['num_junk'] == 2
        assert ds.metainfo['num_cameras'] == 5  # -1 is not a camera
        # a training set ignores the option
        assert len(Market1501(data_root=root, distractor_dir='nope')) == 4

    def test_distractor_dir_errors(self, tmp_path):
        root = make_market_tree(str(tmp_path))
        with pytest.raises(FileNotFoundError, match='distractors_500k'):
            Market1501(
                data_root=root,
                test_mode=True,
                distractor_dir='distractors_500k')
        os.makedirs(osp.join(root, 'distractors_500k'))
        with pytest.raises(DatasetFormatError, match='no images'):
            Market1501(
                data_root=root,
                test_mode=True,
                distractor_dir='distractors_500k')

    def test_keypoint_cache(self, tmp_path):
        root = make_market_tree(str(tmp_path))
        check_keypoint_cache_errors(
            root, lambda **kw: Market1501(data_root=root, **kw))

    def test_keypoint_cache_with_distractors(self, tmp_path):
        root = make_market_tree(str(tmp_path))
        write_images(osp.join(root, 'images'), ['0000_c1s1_000001_00.jpg'])
        check_keypoint_cache_errors(
            root,
            lambda **kw: Market1501(
                data_root=root, distractor_dir='images', **kw))

    def test_registry(self, tmp_path):
        root = make_market_tree(str(tmp_path))
        ds = DATASETS.build(
            dict(type='Market1501', data_root=root, test_mode=True))
        assert isinstance(ds, Market1501) and len(ds) == 6


# ----------------------------------------------------------- DukeMTMC-reID --


class TestDukeMTMCReID:

    def test_train(self, tmp_path):
        root = make_duke_tree(str(tmp_path))
        ds = DukeMTMCReID(data_root=root)
        infos = check_train(ds, num_ids=3, num_images=5, num_cameras=4)
        assert [(d['pid'], d['label'], d['camid']) for d in infos] == [
            (5, 0, 1), (5, 0, 4), (8, 1, 0), (8, 1, 2), (11, 2, 1)]
        assert ds.metainfo['num_junk'] == 0
        assert ds.metainfo['dataset_name'] == 'dukemtmc'

    def test_test(self, tmp_path):
        root = make_duke_tree(str(tmp_path))
        ds = DukeMTMCReID(data_root=root, test_mode=True)
        infos = check_test(ds, num_query=2, num_gallery=4)
        assert names(ds) == [
            '0001_c1_f0048001.jpg', '0003_c6_f0031002.jpg',
            '0001_c1_f0047987.jpg', '0001_c4_f0052126.jpg',
            '0003_c8_f0031337.jpg', '0009_c5_f0093822.jpg'
        ]
        assert [d['camid'] for d in infos] == [0, 5, 0, 3, 7, 4]
        assert ds.metainfo['num_ids'] == 3
        assert ds.metainfo['num_cameras'] == 5
        assert ds.metainfo['num_junk'] == 0

    def test_junk_and_distractors(self, tmp_path):
        root = make_duke_tree(str(tmp_path))
        write_images(
            osp.join(root, 'bounding_box_test'),
            ['-1_c3_f0000001.jpg', '0000_c2_f0000002.jpg'])
        ds = DukeMTMCReID(data_root=root, test_mode=True)
        infos = check_test(ds, num_query=2, num_gallery=5)
        assert ds.metainfo['num_junk'] == 1
        assert infos[2]['pid'] == 0 and infos[2]['split'] == 'gallery'

    def test_errors(self, tmp_path):
        root = make_duke_tree(str(tmp_path))
        shutil.rmtree(osp.join(root, 'bounding_box_test'))
        with pytest.raises(FileNotFoundError, match='bounding_box_test'):
            DukeMTMCReID(data_root=root, test_mode=True)
        write_images(osp.join(root, 'bounding_box_train'), ['0005c2.jpg'])
        with pytest.raises(ValueError, match='0005c2.jpg'):
            DukeMTMCReID(data_root=root)
        with pytest.raises(FileNotFoundError, match='bounding_box_train'):
            DukeMTMCReID(data_root=osp.join(root, 'nope'))

    def test_empty_split(self, tmp_path):
        root = make_duke_tree(str(tmp_path))
        shutil.rmtree(osp.join(root, 'query'))
        os.makedirs(osp.join(root, 'query'))
        with pytest.raises(DatasetFormatError, match='query split'):
            DukeMTMCReID(data_root=root, test_mode=True)

    def test_keypoint_cache(self, tmp_path):
        root = make_duke_tree(str(tmp_path))
        check_keypoint_cache_errors(
            root, lambda **kw: DukeMTMCReID(data_root=root, **kw))

    def test_registry(self, tmp_path):
        root = make_duke_tree(str(tmp_path))
        ds = DATASETS.build(dict(type='DukeMTMCReID', data_root=root))
        assert isinstance(ds, DukeMTMCReID)
        assert ds.metainfo['num_classes'] == 3


# ------------------------------------------------------------------ MSMT17 --


class TestMSMT17:

    @pytest.mark.parametrize('version', [1, 2])
    def test_train(self, tmp_path, version):
        root = make_msmt17_tree(str(tmp_path), version=version)
        ds = MSMT17(data_root=root)
        assert ds.metainfo['version'] == version
        infos = check_train(ds, num_ids=3, num_images=6, num_cameras=6)
        # list_train, then list_val; camera = 3rd name field, 0-based
        assert [(d['pid'], d['label'], d['camid']) for d in infos] == [
            (0, 0, 0), (0, 0, 2), (1, 1, 14), (2, 2, 6), (1, 1, 1),
            (2, 2, 10)]
        train_dir = 'train' if version == 1 else 'mask_train_v2'
        assert infos[0]['img_path'] == osp.join(
            root, train_dir, '0000', '0000_000_01_0303morning_0015_0.jpg')
        assert ds.metainfo['num_junk'] == 0

        ds = MSMT17(data_root=root, version=version, combine_train_val=False)
        check_train(ds, num_ids=3, num_images=4, num_cameras=4)

    @pytest.mark.parametrize('version', [1, 2])
    def test_test(self, tmp_path, version):
        root = make_msmt17_tree(str(tmp_path), version=version)
        ds = MSMT17(data_root=root, test_mode=True)
        infos = check_test(ds, num_query=2, num_gallery=4)
        assert [(d['pid'], d['camid']) for d in infos] == [
            (0, 0), (1, 4), (0, 0), (0, 8), (1, 11), (2, 3)]
        test_dir = 'test' if version == 1 else 'mask_test_v2'
        assert infos[0]['img_path'] == osp.join(
            root, test_dir, '0000', '0000_000_01_0303morning_0035_1.jpg')
        assert ds.metainfo['num_ids'] == 3
        assert ds.metainfo['num_cameras'] == 5

    def test_version_errors(self, tmp_path):
        root = make_msmt17_tree(str(tmp_path), version=1)
        with pytest.raises(ValueError, match='version'):
            MSMT17(data_root=root, version=3)
        with pytest.raises(FileNotFoundError, match='mask_train_v2'):
            MSMT17(data_root=root, version=2)
        shutil.rmtree(osp.join(root, 'test'))
        with pytest.raises(FileNotFoundError, match='mask_test_v2'):
            MSMT17(data_root=root)  # detection finds neither version
        with pytest.raises(FileNotFoundError, match='test'):
            MSMT17(data_root=root, version=1, test_mode=True)

    def _write_list(self, root, name, lines):
        with open(osp.join(root, name), 'w') as f:
            f.write('\n'.join(lines) + '\n')

    def test_list_errors(self, tmp_path):
        root = make_msmt17_tree(str(tmp_path))
        query = osp.join(root, 'list_query.txt')
        good = open(query).read().splitlines()

        # a listed image that does not exist
        self._write_list(root, 'list_query.txt',
                         good + ['0009/0009_000_02_0303noon_0001_0.jpg 9'])
        with pytest.raises(FileNotFoundError,
                           match=r'list_query.txt, line 3.*0009_000_02'):
            MSMT17(data_root=root, test_mode=True)
        # a line with a camera column (MSMT17 has none)
        self._write_list(root, 'list_query.txt',
                         [good[0], good[1] + ' 4'])
        with pytest.raises(DatasetFormatError,
                           match='list_query.txt, line 2'):
            MSMT17(data_root=root, test_mode=True)
        # a pid that is not a number
        self._write_list(root, 'list_query.txt',
                         [good[0].replace(' 0', ' zero')])
        with pytest.raises(DatasetFormatError, match="pid 'zero'"):
            MSMT17(data_root=root, test_mode=True)
        # a file name without the camera field
        write_images(osp.join(root, 'test', '0000'), ['0000_000.jpg'])
        self._write_list(root, 'list_query.txt', ['0000/0000_000.jpg 0'])
        with pytest.raises(DatasetFormatError,
                           match=r"line 1: malformed file name '0000_000"):
            MSMT17(data_root=root, test_mode=True)
        # an empty list
        self._write_list(root, 'list_query.txt', [])
        with pytest.raises(DatasetFormatError, match='query split'):
            MSMT17(data_root=root, test_mode=True)
        # a missing list
        os.remove(query)
        with pytest.raises(FileNotFoundError, match='list_query.txt'):
            MSMT17(data_root=root, test_mode=True)
        # train only needs the train and val lists
        assert len(MSMT17(data_root=root)) == 6
        os.remove(osp.join(root, 'list_val.txt'))
        with pytest.raises(FileNotFoundError, match='list_val.txt'):
            MSMT17(data_root=root)
        assert len(MSMT17(data_root=root, combine_train_val=False)) == 4

    def test_keypoint_cache(self, tmp_path):
        root = make_msmt17_tree(str(tmp_path), version=2)
        check_keypoint_cache_errors(
            root, lambda **kw: MSMT17(data_root=root, **kw))

    def test_registry(self, tmp_path):
        root = make_msmt17_tree(str(tmp_path))
        ds = DATASETS.build(
            dict(type='MSMT17', data_root=root, combine_train_val=False))
        assert isinstance(ds, MSMT17) and len(ds) == 4


# --------------------------------------------------------------- CUHK03-NP --


class TestCUHK03NP:

    @pytest.mark.parametrize('subset,num_images,num_gallery',
                             [('labeled', 4, 3), ('detected', 3, 2)])
    def test_subsets(self, tmp_path, subset, num_images, num_gallery):
        root = make_cuhk03np_tree(str(tmp_path))
        ds = CUHK03NP(data_root=root, subset=subset)
        check_train(ds, num_ids=2, num_images=num_images, num_cameras=2)
        assert ds.metainfo['subset'] == subset
        assert all(f'{os.sep}{subset}{os.sep}' in ds.get_data_info(i)[
            'img_path'] for i in range(len(ds)))

        ds = CUHK03NP(data_root=root, subset=subset, test_mode=True)
        infos = check_test(ds, num_query=2, num_gallery=num_gallery)
        assert names(ds)[:2] == ['0003_c1_1.png', '0004_c2_1.png']
        assert [d['camid'] for d in infos[:2]] == [0, 1]
        assert ds.metainfo['num_ids'] == 2
        assert ds.metainfo['num_junk'] == 0

    def test_default_subset_is_labeled(self, tmp_path):
        root = make_cuhk03np_tree(str(tmp_path))
        assert len(CUHK03NP(data_root=root)) == 4

    def test_errors(self, tmp_path):
        root = make_cuhk03np_tree(str(tmp_path))
        with pytest.raises(ValueError, match="'labeled', 'detected'"):
            CUHK03NP(data_root=root, subset='Labeled')
        shutil.rmtree(osp.join(root, 'detected'))
        with pytest.raises(FileNotFoundError, match='detected'):
            CUHK03NP(data_root=root, subset='detected')
        write_images(
            osp.join(root, 'labeled', 'bounding_box_test'), ['0003-c2.png'])
        with pytest.raises(ValueError, match='0003-c2.png'):
            CUHK03NP(data_root=root, test_mode=True)

    def test_keypoint_cache(self, tmp_path):
        root = make_cuhk03np_tree(str(tmp_path))
        check_keypoint_cache_errors(
            root,
            lambda **kw: CUHK03NP(data_root=root, subset='detected', **kw))

    def test_registry(self, tmp_path):
        root = make_cuhk03np_tree(str(tmp_path))
        ds = DATASETS.build(
            dict(type='CUHK03NP', data_root=root, subset='detected'))
        assert isinstance(ds, CUHK03NP) and len(ds) == 3


# ------------------------------------------------------------ FileListReID --

LISTS = dict(
    train_list='train.txt', query_list='query.txt', gallery_list='gallery.txt')


class TestFileListReID:

    def _write(self, root, name, lines):
        with open(osp.join(root, name), 'w') as f:
            f.write('\n'.join(lines) + '\n')

    def test_train(self, tmp_path):
        root = make_file_list_tree(str(tmp_path))
        ds = FileListReID(data_root=root, train_list='train.txt')
        infos = check_train(ds, num_ids=3, num_images=5, num_cameras=3)
        assert [(d['pid'], d['label'], d['camid']) for d in infos] == [
            (10, 2, 0), (10, 2, 1), (3, 0, 0), (7, 1, 2), (7, 1, 1)]
        assert ds.metainfo['num_junk'] == 1
        assert ds.metainfo['has_cameras'] is True

    def test_test(self, tmp_path):
        root = make_file_list_tree(str(tmp_path))
        ds = FileListReID(data_root=root, test_mode=True, **LISTS)
        infos = check_test(ds, num_query=2, num_gallery=3)
        assert names(ds) == ['q0.jpg', 'q1.jpg', 'g0.jpg', 'g1.jpg', 'g2.jpg']
        assert [(d['pid'], d['camid']) for d in infos] == [
            (0, 0), (1, 1), (0, 1), (1, 0), (2, 1)]
        assert ds.metainfo['has_cameras'] is True
        assert ds.metainfo['num_ids'] == 3

    def test_no_cameras(self, tmp_path):
        root = make_file_list_tree(str(tmp_path))
        ds = FileListReID(data_root=root, train_list='train_nocam.txt')
        check_train(ds, num_ids=3, num_images=5, num_cameras=1)
        assert ds.metainfo['has_cameras'] is False
        assert ds.metainfo['num_junk'] == 1
        ds = FileListReID(
            data_root=root,
            query_list='query_nocam.txt',
            gallery_list='gallery_nocam.txt',
            test_mode=True)
        infos = check_test(ds, num_query=2, num_gallery=3)
        assert {d['camid'] for d in infos} == {0}
        assert ds.metainfo['has_cameras'] is False

    def test_cameras_in_one_test_list_only(self, tmp_path):
        root = make_file_list_tree(str(tmp_path))
        with pytest.raises(DatasetFormatError,
                           match=r'query.txt has a camera column.*'
                           r'gallery_nocam.txt'):
            FileListReID(
                data_root=root,
                query_list='query.txt',
                gallery_list='gallery_nocam.txt',
                test_mode=True)

    def test_missing_list_argument(self, tmp_path):
        root = make_file_list_tree(str(tmp_path))
        with pytest.raises(ValueError, match='train_list'):
            FileListReID(data_root=root, query_list='query.txt')
        with pytest.raises(ValueError, match='gallery_list'):
            FileListReID(
                data_root=root, query_list='query.txt', test_mode=True)

    @pytest.mark.parametrize('line,error,match', [
        ('images/train/p3_a.jpg 3 0 1', DatasetFormatError,
         r'train.txt, line 3: 4 fields'),
        ('images/train/p3_a.jpg', DatasetFormatError, 'line 3: 1 fields'),
        ('images/train/p3_a.jpg 3', DatasetFormatError,
         r'line 3: no camera column, unlike line 2'),
        ('images/train/p3_a.jpg three 0', DatasetFormatError,
         "line 3: pid 'three'"),
        ('images/train/p3_a.jpg -2 0', DatasetFormatError, 'line 3: pid -2'),
        ('images/train/p3_a.jpg 3 c1', DatasetFormatError,
         "line 3: camid 'c1'"),
        ('images/train/p3_a.jpg 3 -1', DatasetFormatError,
         'line 3: camid -1'),
        ('images/train/p10_a.jpg 3 0', DatasetFormatError,
         'line 3: .*already listed on line 2'),
        ('images/train/none.jpg 3 0', FileNotFoundError,
         r'train.txt, line 3: image .*none.jpg'),
    ])
    def test_bad_line(self, tmp_path, line, error, match):
        root = make_file_list_tree(str(tmp_path))
        self._write(root, 'train.txt', [
            '# header', 'images/train/p10_a.jpg 10 0', line,
            'images/train/p7_a.jpg 7 2'
        ])
        with pytest.raises(error, match=match):
            FileListReID(data_root=root, train_list='train.txt')

    def test_mixed_camera_column_other_way(self, tmp_path):
        root = make_file_list_tree(str(tmp_path))
        self._write(root, 'query.txt',
                    ['images/test/q0.jpg 0', 'images/test/q1.jpg 1 1'])
        with pytest.raises(DatasetFormatError,
                           match='line 2: a camera column, unlike line 1'):
            FileListReID(data_root=root, test_mode=True, **LISTS)

    def test_empty_and_missing_lists(self, tmp_path):
        root = make_file_list_tree(str(tmp_path))
        self._write(root, 'gallery.txt', ['# nothing here', ''])
        with pytest.raises(DatasetFormatError, match='gallery split'):
            FileListReID(data_root=root, test_mode=True, **LISTS)
        with pytest.raises(FileNotFoundError, match='nolist.txt'):
            FileListReID(data_root=root, train_list='nolist.txt')

    def test_parse_list_file(self, tmp_path):
        root = make_file_list_tree(str(tmp_path))
        recs, junk, has_cam = parse_list_file(
            osp.join(root, 'train_nocam.txt'), root)
        assert (len(recs), junk, has_cam) == (5, 1, False)
        assert [r['line'] for r in recs] == [2, 3, 5, 6, 7]
        with pytest.raises(DatasetFormatError, match='3 fields'):
            parse_list_file(
                osp.join(root, 'train.txt'), root, allow_camera=False)
        recs, _, _ = parse_list_file(
            osp.join(root, 'train.txt'), '/nowhere', check_exists=False)
        assert recs[0]['img_path'] == osp.join('/nowhere',
                                               'images/train/p10_a.jpg')

    def test_keypoint_cache(self, tmp_path):
        root = make_file_list_tree(str(tmp_path))
        check_keypoint_cache_errors(
            root, lambda **kw: FileListReID(data_root=root, **LISTS, **kw))

    def test_registry(self, tmp_path):
        root = make_file_list_tree(str(tmp_path))
        ds = DATASETS.build(
            dict(type='FileListReID', data_root=root, test_mode=True,
                 **LISTS))
        assert isinstance(ds, FileListReID) and len(ds) == 5
