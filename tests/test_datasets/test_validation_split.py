# Copyright (c) mmreid contributors. All rights reserved.
"""Validation identities held out of the training split (num_val_ids)."""
import os.path as osp
from collections import Counter, defaultdict

import pytest
import torch

from mmreid.datasets import (DemoReID, FileListReID, Market1501,
                             hold_out_identities)
from mmreid.evaluation import ReIDMetric
from mmreid.testing import make_file_list_tree, write_images


def synthetic_records():
    """30 ids: varied images per camera, a few single-camera ids."""
    recs = []
    for pid in range(1, 31):
        if pid % 7 == 0:  # seen by one camera only: never held out
            cams = [pid % 3] * 3
        elif pid % 5 == 0:  # two cameras, one image each
            cams = [0, 2]
        else:  # 1 to 3 images in each of 2 or 3 cameras
            cams = [
                c for c in range(2 + pid % 2)
                for _ in range(1 + (pid + c) % 3)
            ]
        for k, c in enumerate(cams):
            recs.append(dict(img_path=f'{pid}_{k}.jpg', pid=pid, camid=c))
    return recs


def check_query_rule(query, gallery):
    """Queries: one per camera holding >= 2 of the id's images, else one;
    every camera keeps a gallery image (but the single query's camera in
    the second case); every query has a cross-camera match."""
    q_by = defaultdict(list)
    g_by = defaultdict(list)
    for r in query:
        q_by[r['pid']].append(r['camid'])
    for r in gallery:
        g_by[r['pid']].append(r['camid'])
    assert set(q_by) == set(g_by)
    for pid in q_by:
        counts = Counter(q_by[pid] + g_by[pid])
        rich = {c for c, n in counts.items() if n >= 2}
        if rich:
            assert sorted(q_by[pid]) == sorted(rich), pid
            assert set(g_by[pid]) == set(counts), pid
        else:
            assert len(q_by[pid]) == 1, pid
            assert set(g_by[pid]) == set(counts) - set(q_by[pid]), pid
        for c in q_by[pid]:
            assert any(g != c for g in g_by[pid]), (pid, c)


def test_held_out_ids_disjoint_complete_and_rule():
    recs = synthetic_records()
    train, query, gallery = hold_out_identities(recs, 8, seed=3)
    held = {r['pid'] for r in query}
    assert len(held) == 8
    assert held.isdisjoint({r['pid'] for r in train})
    assert {r['pid'] for r in gallery} == held
    # every record lands in exactly one part, order kept
    paths = [r['img_path'] for r in recs]
    for part in (train, query, gallery):
        idx = [paths.index(r['img_path']) for r in part]
        assert idx == sorted(idx)
    assert sorted(r['img_path'] for r in train + query + gallery) == sorted(
        paths)
    # single-camera identities are not eligible
    assert not held & {7, 14, 21, 28}
    check_query_rule(query, gallery)


def test_held_out_ids_deterministic_and_seeded():
    recs = synthetic_records()
    a = hold_out_identities(recs, 10, seed=0)
    b = hold_out_identities([dict(r) for r in recs], 10, seed=0)
    assert a == b
    c = hold_out_identities(recs, 10, seed=1)
    assert {r['pid'] for r in a[1]} != {r['pid'] for r in c[1]}


def test_held_out_single_camera_records():
    recs = [
        dict(img_path=f'{p}_{k}', pid=p, camid=0) for p in range(6)
        for k in range(1 + p % 3)
    ]
    train, query, gallery = hold_out_identities(recs, 3, seed=0)
    held = {r['pid'] for r in query}
    assert len(query) == 3 and len(held) == 3  # one query per identity
    assert held <= {1, 2, 4, 5}  # identities with >= 2 images
    assert {r['pid'] for r in gallery} == held
    assert held.isdisjoint({r['pid'] for r in train})


@pytest.mark.parametrize('num', [0, -1, 1.5, True, '2'])
def test_held_out_bad_number(num):
    with pytest.raises(ValueError, match='positive integer'):
        hold_out_identities(synthetic_records(), num)


def test_held_out_too_many_ids():
    recs = synthetic_records()
    eligible = 30 - 4  # without the single-camera ids
    hold_out_identities(recs, eligible)
    with pytest.raises(ValueError, match=r'27 validation identities from '
                       r'the train split: it has 30 identities, 26 of them'):
        hold_out_identities(recs, eligible + 1)
    two = [dict(pid=p, camid=c) for p in (1, 2) for c in (0, 1)]
    hold_out_identities(two, 1)
    with pytest.raises(ValueError, match='at least one identity must stay'):
        hold_out_identities(two, 2)


# ------------------------------------------------------------- datasets --
def market_tree(root):
    """12 train ids x 3 cameras x 2 images; a tiny real query/gallery."""
    train = [
        f'{pid:04d}_c{c}s1_{k:06d}_0{c}.jpg' for pid in range(1, 13)
        for c in (1, 2, 3) for k in range(2)
    ]
    write_images(osp.join(root, 'bounding_box_train'), train)
    write_images(osp.join(root, 'query'), ['0100_c1s1_000001_00.jpg'])
    write_images(
        osp.join(root, 'bounding_box_test'),
        ['0100_c2s1_000001_00.jpg', '0000_c1s1_000009_03.jpg'])
    return root


def test_market_validation_split(tmp_path):
    root = market_tree(str(tmp_path))
    train = Market1501(data_root=root, num_val_ids=4, val_seed=5)
    val = Market1501(data_root=root, num_val_ids=4, val_seed=5,
                     test_mode=True)
    test = Market1501(data_root=root, test_mode=True)
    held = train.metainfo['val_pids']
    assert len(held) == 4 and val.metainfo['val_pids'] == held
    train_infos = [train.get_data_info(i) for i in range(len(train))]
    val_infos = [val.get_data_info(i) for i in range(len(val))]
    train_pids = {d['pid'] for d in train_infos}
    assert train_pids.isdisjoint(held)
    assert {d['pid'] for d in val_infos} == set(held)
    # contiguous labels over the remaining identities, in pid order
    assert train.metainfo['num_classes'] == 8 == len(train_pids)
    by_pid = {d['pid']: d['label'] for d in train_infos}
    assert [by_pid[p] for p in sorted(by_pid)] == list(range(8))
    assert len(train) == 8 * 6
    # query: one per camera (each camera has 2 images), gallery: the rest
    assert val.metainfo['num_query'] == 4 * 3
    assert val.metainfo['num_gallery'] == 4 * 3
    splits = [d['split'] for d in val_infos]
    assert splits == ['query'] * 12 + ['gallery'] * 12
    assert all(d['label'] == -1 for d in val_infos)
    check_query_rule([d for d in val_infos if d['split'] == 'query'],
                     [d for d in val_infos if d['split'] == 'gallery'])
    # the real test split is untouched and unused by the validation split
    assert {test.get_data_info(i)['pid'] for i in range(len(test))} == {100, 0}
    assert not any(d['img_path'].startswith(osp.join(root, 'query'))
                   for d in val_infos)
    # another seed draws other identities
    other = Market1501(data_root=root, num_val_ids=4, val_seed=6)
    assert other.metainfo['val_pids'] != held


def test_validation_split_works_with_the_market_protocol(tmp_path):
    root = market_tree(str(tmp_path))
    val = Market1501(data_root=root, num_val_ids=5, test_mode=True)
    metric = ReIDMetric(topk=(1, ))
    pids = sorted(val.metainfo['val_pids'])
    samples = []
    for i in range(len(val)):
        d = val.get_data_info(i)
        feat = torch.zeros(len(pids))
        feat[pids.index(d['pid'])] = 1.  # a perfect identity feature
        samples.append(dict(pred_feature=feat, pid=d['pid'],
                            camid=d['camid'], split=d['split'],
                            sample_idx=i))
    metric.process(None, samples)
    res = metric.evaluate(len(samples))
    assert res['reid/num_skipped_queries'] == 0
    assert res['reid/mAP'] == pytest.approx(100.)
    assert res['reid/rank1'] == pytest.approx(100.)


def test_validation_split_errors_name_the_dataset(tmp_path):
    root = market_tree(str(tmp_path))
    with pytest.raises(ValueError, match=r'Market1501 under .*: it has 12 '
                       r'identities'):
        Market1501(data_root=root, num_val_ids=13)
    with pytest.raises(ValueError, match='at least one identity must stay'):
        Market1501(data_root=root, num_val_ids=12, test_mode=True)
    with pytest.raises(ValueError, match='positive integer'):
        Market1501(data_root=root, num_val_ids=0)


def test_validation_split_with_keypoints(tmp_path):
    """The keypoint cache (all splits) still matches a validation split."""
    small = dict(num_train_ids=6, num_test_ids=2, num_cameras=3,
                 images_per_id=4, img_size=(32, 16), num_distractors=1,
                 num_junk=1)
    root = str(tmp_path / 'demo')
    val = DemoReID(data_root=root, num_val_ids=2, test_mode=True,
                   keypoint_file='keypoints_coco17.json', **small)
    train = DemoReID(data_root=root, num_val_ids=2,
                     keypoint_file='keypoints_coco17.json', **small)
    assert len(val) + len(train) == 6 * 4
    assert val.get_data_info(0)['keypoints'].shape == (17, 3)
    assert train.metainfo['num_classes'] == 4


def test_file_list_validation_split(tmp_path):
    root = make_file_list_tree(str(tmp_path))
    # test_mode without query/gallery lists is fine for a validation split
    val = FileListReID(data_root=root, train_list='train.txt',
                       num_val_ids=1, test_mode=True)
    train = FileListReID(data_root=root, train_list='train.txt',
                         num_val_ids=1)
    assert val.metainfo['has_cameras'] and train.metainfo['has_cameras']
    held = set(val.metainfo['val_pids'])
    assert len(held) == 1
    assert held.isdisjoint(
        {train.get_data_info(i)['pid'] for i in range(len(train))})
    assert train.metainfo['num_classes'] == 2
    with pytest.raises(ValueError, match='train_list must be given'):
        FileListReID(data_root=root, query_list='query.txt',
                     gallery_list='gallery.txt', test_mode=True,
                     num_val_ids=1)
