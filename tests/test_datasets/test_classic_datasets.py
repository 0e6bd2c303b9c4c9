# Copyright (c) mmreid contributors. All rights reserved.
import json
import os

import pytest

from mmreid.datasets import DatasetFormatError
from mmreid.datasets.cuhk01 import CUHK01
from mmreid.datasets.cuhk03_classic import CUHK03Classic
from mmreid.datasets.two_camera import (TwoCameraSplitDataset,
                                        check_two_cameras, split_test_ids)
from mmreid.datasets.viper import VIPeR
from mmreid.testing import write_images
from mmreid.testing.classic_trees import (make_cuhk01_tree,
                                          make_cuhk03_classic_tree,
                                          make_viper_tree)


def pids(ds):
    return sorted({ds.get_data_info(i)['pid'] for i in range(len(ds))})


def by_split(ds, split):
    return [
        ds.get_data_info(i) for i in range(len(ds))
        if ds.get_data_info(i)['split'] == split
    ]


def test_cuhk03_classic(tmp_path):
    root = make_cuhk03_classic_tree(str(tmp_path))
    ds = CUHK03Classic(data_root=root)  # labeled, split 0: test 1, 2
    assert pids(ds) == [3, 4, 5] and len(ds) == 7
    assert ds.metainfo['num_classes'] == 3
    test = CUHK03Classic(data_root=root, test_mode=True)
    query, gallery = by_split(test, 'query'), by_split(test, 'gallery')
    assert (len(query), len(gallery)) == (3, 4)
    assert {q['camid'] for q in query} == {0}
    assert {g['camid'] for g in gallery} == {1}
    assert pids(test) == [1, 2]
    det = CUHK03Classic(data_root=root, subset='detected', split_id=1)
    assert pids(det) == [1, 2, 3] and len(det) == 7
    assert det.metainfo['subset'] == 'detected'
    with pytest.raises(ValueError, match=r'split_id must be in \[0, 1\]'):
        CUHK03Classic(data_root=root, split_id=2)
    with pytest.raises(ValueError, match='subset'):
        CUHK03Classic(data_root=root, subset='both')
    os.remove(os.path.join(root, 'splits.json'))
    with pytest.raises(FileNotFoundError, match='cuhk03_classic.py'):
        CUHK03Classic(data_root=root)


def test_cuhk03_classic_missing_test_ids(tmp_path):
    root = make_cuhk03_classic_tree(str(tmp_path))
    with open(os.path.join(root, 'splits.json'), 'w') as f:
        json.dump(dict(splits=[[1, 9]]), f)
    with pytest.raises(DatasetFormatError, match=r'\[9\]'):
        CUHK03Classic(data_root=root)


def test_split_test_ids():
    a = split_test_ids(range(1, 972), 100, split_id=0, seed=0)
    assert len(a) == 100 and a == sorted(a)
    assert a == split_test_ids(range(1, 972), 100, split_id=0, seed=0)
    assert a != split_test_ids(range(1, 972), 100, split_id=1, seed=0)
    with pytest.raises(ValueError, match='num_test_ids'):
        split_test_ids(range(5), 5, 0, 0)
    with pytest.raises(ValueError, match='split_id'):
        split_test_ids(range(5), 2, -1, 0)


@pytest.mark.parametrize('num_test_ids', [2, 4])
def test_cuhk01(tmp_path, num_test_ids):
    root = make_cuhk01_tree(str(tmp_path))  # 5 ids x 4 images
    train = CUHK01(data_root=root, num_test_ids=num_test_ids, split_id=3)
    test = CUHK01(
        data_root=root,
        num_test_ids=num_test_ids,
        split_id=3,
        test_mode=True)
    assert len(train) == 4 * (5 - num_test_ids)
    assert train.metainfo['num_classes'] == 5 - num_test_ids
    assert not set(pids(train)) & set(pids(test))
    assert len(pids(test)) == num_test_ids
    query = by_split(test, 'query')
    assert len(query) == 2 * num_test_ids
    assert all(q['img_path'][-7:-4] in ('001', '002') for q in query)
    gallery = by_split(test, 'gallery')
    assert all(g['img_path'][-7:-4] in ('003', '004') for g in gallery)


def test_cuhk01_errors(tmp_path):
    root = make_cuhk01_tree(str(tmp_path / 'a'))
    write_images(os.path.join(root, 'campus'), ['0001005.png'])
    with pytest.raises(DatasetFormatError, match='index 5'):
        CUHK01(data_root=root, num_test_ids=2)
    root = make_cuhk01_tree(str(tmp_path / 'b'))
    write_images(os.path.join(root, 'campus'), ['img_1.png'])
    with pytest.raises(DatasetFormatError, match='NNNNCCC'):
        CUHK01(data_root=root, num_test_ids=2)
    root = str(tmp_path / 'c')
    write_images(os.path.join(root, 'campus'), ['0001001.png', '0002003.png'])
    with pytest.raises(DatasetFormatError, match='one camera'):
        CUHK01(data_root=root, num_test_ids=1)
    with pytest.raises(FileNotFoundError, match='campus'):
        CUHK01(data_root=str(tmp_path / 'none'))


def test_viper(tmp_path):
    root = make_viper_tree(str(tmp_path))  # 6 ids
    splits = []
    for split_id in range(3):
        train = VIPeR(data_root=root, num_test_ids=3, split_id=split_id)
        test = VIPeR(
            data_root=root, num_test_ids=3, split_id=split_id,
            test_mode=True)
        assert len(train) == 6 and len(test) == 6
        assert sorted(pids(train) + pids(test)) == list(range(6))
        assert test.metainfo['num_query'] == 3
        splits.append(tuple(pids(test)))
    assert len(set(splits)) > 1  # the splits differ
    write_images(os.path.join(root, 'cam_a'), ['000_90.bmp'])
    with pytest.raises(DatasetFormatError, match='two images'):
        VIPeR(data_root=root, num_test_ids=3)
    with pytest.raises(ValueError, match='num_test_ids'):
        VIPeR(data_root=make_viper_tree(str(tmp_path / 'v')))  # 316 > 5


def test_two_camera_base(tmp_path):
    assert issubclass(CUHK01, TwoCameraSplitDataset)
    assert issubclass(VIPeR, TwoCameraSplitDataset)

    class NoParser(TwoCameraSplitDataset):
        pass

    os.makedirs(str(tmp_path / 'x'))
    with pytest.raises(NotImplementedError, match='NoParser.*parse_all'):
        NoParser(data_root=str(tmp_path / 'x'), num_test_ids=1)
    check_two_cameras([dict(pid=1, camid=0), dict(pid=1, camid=1)], 'X', '.')
    with pytest.raises(DatasetFormatError, match=r'X: 1 ident.* d .*\[2\]'):
        check_two_cameras(
            [dict(pid=1, camid=0), dict(pid=1, camid=1), dict(pid=2, camid=1)],
            'X', 'd')
