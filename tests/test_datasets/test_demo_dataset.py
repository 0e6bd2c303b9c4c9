# Copyright (c) mmreid contributors. All rights reserved.
"""Tests of the procedurally generated demo dataset."""
import filecmp
import importlib.util
import json
import multiprocessing as mp
import os
import os.path as osp
import re
import threading
from collections import defaultdict

import cv2
import numpy as np
import pytest

from mmreid.datasets.demo import (KEYPOINT_FILE, META_FILE, PART_IDS, VERSION,
                                  DemoDatasetExistsError, Pose,
                                  draw_contact_sheet, generate_demo_dataset,
                                  identity_rng, read_demo_meta, render_person,
                                  sample_identity)
from mmreid.datasets.demo import contact_sheet, render
from mmreid.datasets.demo.render import KEYPOINT_OWNERS
from mmreid.datasets.demo.skeleton import VIEW_YAW
from mmreid.datasets.demo_dataset import DemoReID
from mmreid.datasets.keypoint_cache import load_keypoint_cache
from mmreid.datasets.market_style import parse_market_style_folder
from mmreid.registry import DATASETS
from mmreid.structures.pose_formats import COCO17_KEYPOINTS, get_pose_format

SMALL = dict(
    num_train_ids=8,
    num_test_ids=8,
    num_cameras=3,
    images_per_id=4,
    img_size=(64, 32),
    seed=0,
    num_distractors=3,
    num_junk=2)
SPLITS = dict(
    train='bounding_box_train', query='query', gallery='bounding_box_test')
NAME = re.compile(r'^(\d{4}|-1)_c(\d+)s1_(\d{6})_00\.jpg$')


def make(root, **overrides):
    """Generate a small demo dataset at ``root``."""
    return generate_demo_dataset(str(root), **{**SMALL, **overrides})


def files(root):
    """Relative paths of every file under ``root``."""
    out = []
    for d, _, names in os.walk(root):
        out += [osp.relpath(osp.join(d, n), root) for n in names]
    return sorted(out)


def records(root, split):
    """Market-parsed records of a split (junk dropped) and the junk count."""
    return parse_market_style_folder(
        osp.join(root, SPLITS[split]), keep_distractors=(split == 'gallery'))


@pytest.fixture(scope='module')
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp('demo') / 'small'
    summary = make(root)
    return str(root), summary


# ----------------------------------------------------------- generation --


def test_determinism(small, tmp_path):
    root, _ = small
    again = tmp_path / 'again'
    make(again, num_workers=2)  # forked workers give the same bytes
    names = files(root)
    assert names == files(again)
    _, mismatch, errors = filecmp.cmpfiles(root, again, names, shallow=False)
    assert mismatch == [] and errors == []

    other = tmp_path / 'other_seed'
    make(other, seed=1)
    images = [n for n in names if n.endswith('.jpg')]
    common = [n for n in images if osp.isfile(other / n)]
    same = filecmp.cmpfiles(root, other, common, shallow=False)[0]
    assert len(same) == 0
    assert not filecmp.cmp(
        osp.join(root, KEYPOINT_FILE), other / KEYPOINT_FILE, shallow=False)


def test_more_ids_keep_existing_ones(small, tmp_path):
    root, _ = small
    bigger = tmp_path / 'bigger'
    make(bigger, num_train_ids=10, num_test_ids=9, num_distractors=4)
    names = [n for n in files(root) if n.endswith('.jpg')]
    assert set(names) <= set(files(bigger))
    _, mismatch, errors = filecmp.cmpfiles(root, bigger, names, shallow=False)
    assert mismatch == [] and errors == []


def test_counts(small):
    root, summary = small
    train, junk = records(root, 'train')
    query, _ = records(root, 'query')
    gallery, num_junk = records(root, 'gallery')
    assert junk == 0 and num_junk == SMALL['num_junk']
    num_cams = SMALL['num_cameras']
    ipi = SMALL['images_per_id']

    def by_pid(recs):
        out = defaultdict(list)
        for r in recs:
            out[r['pid']].append(r)
        return out

    train_ids = by_pid(train)
    assert len(train_ids) == SMALL['num_train_ids']
    assert all(len(v) == ipi for v in train_ids.values())
    assert all(p % 2 == 1 for p in train_ids)
    test = by_pid(query + [r for r in gallery if r['pid'] != 0])
    assert len(test) == SMALL['num_test_ids']
    assert all(len(v) == ipi for v in test.values())
    assert all(p % 2 == 0 and p > 0 for p in test)
    assert not set(train_ids) & set(test)
    assert sum(r['pid'] == 0 for r in gallery) == SMALL['num_distractors']
    # One query per (test id, camera it appears in); every query has a
    # match in another camera and some gallery images share its camera.
    q_ids = by_pid(query)
    assert set(q_ids) == set(test)
    same_cam = 0
    for pid, qs in q_ids.items():
        cams = [q['camid'] for q in qs]
        assert len(cams) == len(set(cams))
        assert set(cams) == {r['camid'] for r in test[pid]}
        gal = [r for r in gallery if r['pid'] == pid]
        for q in qs:
            assert any(g['camid'] != q['camid'] for g in gal)
            same_cam += any(g['camid'] == q['camid'] for g in gal)
    assert same_cam > 0
    # Every camera appears in every split.
    for recs in (train, query, gallery):
        assert {r['camid'] for r in recs} == set(range(num_cams))
    assert summary['num_train_images'] == len(train)
    assert summary['num_query'] == len(query)
    assert summary['num_gallery'] == len(gallery) + num_junk
    assert summary['generated'] is True


def test_names_and_images(small):
    root, _ = small
    for split, folder in SPLITS.items():
        for name in os.listdir(osp.join(root, folder)):
            assert NAME.match(name), name
        name = sorted(os.listdir(osp.join(root, folder)))[-1]
        img = cv2.imread(osp.join(root, folder, name))
        assert img.shape == (*SMALL['img_size'], 3)
    meta = read_demo_meta(root)
    assert meta['version'] >= 1
    assert meta['params']['img_size'] == list(SMALL['img_size'])


def test_registered_dataset(small):
    root, _ = small
    ds = DATASETS.build(dict(type='DemoReID', data_root=root, generate=False))
    assert isinstance(ds, DemoReID)
    assert ds.metainfo['dataset_name'] == 'demo'
    assert ds.metainfo['num_classes'] == SMALL['num_train_ids']
    assert ds.metainfo['num_cameras'] == SMALL['num_cameras']
    assert len(ds) == SMALL['num_train_ids'] * SMALL['images_per_id']
    test = DemoReID(data_root=root, test_mode=True, **SMALL)
    assert test.metainfo['num_junk'] == SMALL['num_junk']
    assert test.generation_summary['generated'] is False
    pids = {test.get_data_info(i)['pid'] for i in range(len(test))}
    assert 0 in pids and -1 not in pids


def test_keypoint_cache(small):
    root, _ = small
    cache = load_keypoint_cache(osp.join(root, KEYPOINT_FILE))
    assert cache['format'] == 'coco17'
    assert cache['estimator']['type'] == 'ground_truth'
    assert cache['estimator']['seed'] == SMALL['seed']
    images = set()
    for split in SPLITS:
        images |= {
            osp.relpath(r['img_path'], root).replace(os.sep, '/')
            for r in records(root, split)[0]
        }
    # Every image a dataset loads (junk is dropped at load, so it has none).
    assert set(cache['keypoints']) == images
    h, w = SMALL['img_size']
    for kpts in cache['keypoints'].values():
        assert set(np.unique(kpts[:, 2])) <= {0.0, 1.0}
        vis = kpts[kpts[:, 2] > 0]
        assert ((vis[:, 0] >= -0.5) & (vis[:, 0] <= w - 0.5)).all()
        assert ((vis[:, 1] >= -0.5) & (vis[:, 1] <= h - 0.5)).all()
    visible = np.mean([k[:, 2].mean() for k in cache['keypoints'].values()])
    assert 0.5 < visible < 1.0

    for test_mode in (False, True):
        ds = DemoReID(
            data_root=root,
            test_mode=test_mode,
            keypoint_file=KEYPOINT_FILE,
            **SMALL)
        info = ds.get_data_info(len(ds) - 1)
        rel = osp.relpath(info['img_path'], root).replace(os.sep, '/')
        np.testing.assert_array_equal(info['keypoints'],
                                      cache['keypoints'][rel])
        assert info['keypoint_format'] == 'coco17'


def test_one_coco17_convention():
    # The renderer and the contact sheet use the project's COCO-17 format
    # (mmreid.structures.pose_formats), not a copy of it.
    fmt = get_pose_format('coco17')
    assert render.COCO17_KEYPOINTS is fmt.keypoint_names
    assert contact_sheet.COCO17_KEYPOINTS is fmt.keypoint_names
    assert contact_sheet.COCO17_SKELETON is fmt.skeleton
    # The renderer fills every keypoint of the format, in its order.
    identity = sample_identity(identity_rng(0, 1))
    img = np.zeros((128, 64, 3), np.uint8)
    _, kpts, _ = render_person(img, identity, Pose(), 112, (32, 8))
    assert kpts.shape == (fmt.num_keypoints, 3)
    nose, ankle = fmt.index('nose'), fmt.index('left_ankle')
    assert kpts[nose, 1] < kpts[ankle, 1]  # the head is above the feet


@pytest.mark.parametrize('view', sorted(VIEW_YAW))
def test_keypoints_on_drawn_pixels(view):
    bg = (255, 0, 255)  # magenta: in no palette
    rng = np.random.default_rng(0)
    for pid in range(1, 9):
        identity = sample_identity(identity_rng(3, pid))
        pose = Pose(yaw=VIEW_YAW[view], phase=rng.uniform(0, 2 * np.pi))
        img = np.empty((128, 64, 3), np.uint8)
        img[:] = bg
        img, kpts, parts = render_person(img, identity, pose, 112, (32, 8))
        assert kpts[:, 2].sum() >= 8
        for i, (x, y, score) in enumerate(kpts):
            if score == 0:
                continue
            xi, yi = int(round(x)), int(round(y))
            assert parts[yi, xi] in KEYPOINT_OWNERS[i]
            assert tuple(img[yi, xi]) != bg, COCO17_KEYPOINTS[i]
    # Views matter: the face is hidden from behind, the far side from aside.
    names = list(COCO17_KEYPOINTS)
    if view == 'back':
        assert kpts[names.index('nose'), 2] == 0
    if view == 'front':
        assert kpts[names.index('nose'), 2] == 1
    if view == 'side-left':  # the person's right side is the far one
        assert kpts[names.index('right_shoulder'), 2] == 0
        assert kpts[names.index('left_shoulder'), 2] == 1
    if view == 'side-right':
        assert kpts[names.index('left_shoulder'), 2] == 0
    assert set(np.unique(parts)) - {0} <= set(PART_IDS.values())


def test_left_right_on_image_sides():
    identity = sample_identity(identity_rng(0, 1))
    left = COCO17_KEYPOINTS.index('left_shoulder')
    right = COCO17_KEYPOINTS.index('right_shoulder')
    img = np.zeros((128, 64, 3), np.uint8)
    _, front, _ = render_person(img, identity, Pose(yaw=0.0), 112, (32, 8))
    # Facing the camera, the person's left is on the image's right.
    assert front[left, 0] > front[right, 0]
    img = np.zeros((128, 64, 3), np.uint8)
    _, back, _ = render_person(img, identity, Pose(yaw=np.pi), 112, (32, 8))
    assert back[left, 0] < back[right, 0]


# ---------------------------------------------------------- difficulty --


def test_factors_shared_between_ids():
    ids = [sample_identity(identity_rng(0, pid)) for pid in range(1, 61)]
    for attr in ('upper_index', 'lower_index', 'pattern', 'hair', 'bag',
                 'lower_type', 'shoes'):
        values = [getattr(i, attr) for i in ids]
        counts = defaultdict(int)
        for v in values:
            counts[v] += 1
        # Each single factor repeats: it cannot identify a person alone.
        assert len(counts) < len(ids) / 4, attr
        assert max(counts.values()) >= 4, attr
    combos = {(i.upper_index, i.lower_index, i.pattern, i.pattern_color,
               i.hair, i.hair_style, i.bag, i.bag_color, i.lower_type, i.shoes,
               i.long_sleeves)
              for i in ids}
    assert len(combos) == len(ids)


def test_mean_colour_is_not_enough(small):
    """Ranking by an image's mean colour (a trivial cue) ranks poorly."""
    root, _ = small
    query, _ = records(root, 'query')
    gallery, _ = records(root, 'gallery')

    def mean_colour(recs):
        return np.stack(
            [cv2.imread(r['img_path']).reshape(-1, 3).mean(0) for r in recs])

    fq, fg = mean_colour(query), mean_colour(gallery)
    dist = ((fq[:, None] - fg[None])**2).sum(-1)
    gp = np.array([r['pid'] for r in gallery])
    gc = np.array([r['camid'] for r in gallery])
    hits = []
    for i, q in enumerate(query):
        keep = ~((gp == q['pid']) & (gc == q['camid']))
        best = np.argmin(np.where(keep, dist[i], np.inf))
        hits.append(gp[best] == q['pid'])
    assert np.mean(hits) < 0.5


# ------------------------------------------------- reuse, races, tools --


def test_idempotent_and_parameter_check(tmp_path):
    root = tmp_path / 'demo'
    first = make(root, num_train_ids=2, num_test_ids=2)
    assert first['generated']
    jpg = osp.join(root, SPLITS['train'],
                   sorted(os.listdir(osp.join(root, SPLITS['train'])))[0])
    mtime = os.stat(jpg).st_mtime_ns
    again = make(root, num_train_ids=2, num_test_ids=2)
    assert not again['generated']
    assert os.stat(jpg).st_mtime_ns == mtime
    assert again['num_query'] == first['num_query']
    with pytest.raises(DemoDatasetExistsError, match='other parameters'):
        make(root, num_train_ids=3, num_test_ids=2)
    with pytest.raises(DemoDatasetExistsError, match='other parameters'):
        DemoReID(data_root=str(root), **SMALL)
    redone = make(root, num_train_ids=3, num_test_ids=2, overwrite=True)
    assert redone['generated']
    assert read_demo_meta(root)['params']['num_train_ids'] == 3
    assert len(os.listdir(osp.join(root, SPLITS['train']))) == 12
    assert sorted(os.listdir(tmp_path)) == ['demo']  # no temporary left

    # Same parameters from another generator version: remade silently.
    meta_file = osp.join(root, META_FILE)
    with open(meta_file) as f:
        meta = json.load(f)
    meta['version'] = VERSION - 1
    with open(meta_file, 'w') as f:
        json.dump(meta, f)
    remade = make(root, num_train_ids=3, num_test_ids=2)
    assert remade['generated'] and remade['version'] == VERSION
    assert read_demo_meta(root)['version'] == VERSION
    assert sorted(os.listdir(tmp_path)) == ['demo']

    other = tmp_path / 'not_demo'
    other.mkdir()
    (other / 'keep.txt').write_text('user data')
    with pytest.raises(DemoDatasetExistsError, match='not a demo dataset'):
        make(other, overwrite=True)
    assert (other / 'keep.txt').read_text() == 'user data'
    with pytest.raises(ValueError, match='images_per_id'):
        make(tmp_path / 'bad', images_per_id=3)


@pytest.mark.parametrize('how', ['thread', 'process'])
def test_concurrent_generation(tmp_path, how):
    """Builders at once (as DDP ranks): all succeed, one copy wins."""
    root = tmp_path / 'demo'
    results, errors = [], []

    def build():
        try:
            results.append(make(root, num_train_ids=4, num_test_ids=4))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    if how == 'thread':
        workers = [threading.Thread(target=build) for _ in range(3)]
    else:
        ctx = mp.get_context('fork')
        workers = [ctx.Process(target=build) for _ in range(3)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    if how == 'thread':
        assert errors == [] and len(results) == 3
    else:
        assert [p.exitcode for p in workers] == [0, 0, 0]
    assert sorted(os.listdir(tmp_path)) == ['demo']
    meta = read_demo_meta(root)
    assert meta['summary']['num_images'] == len(
        [n for n in files(root) if n.endswith('.jpg')])
    with open(osp.join(root, META_FILE)) as f:
        assert json.load(f)['params']['num_train_ids'] == 4
    ds = DemoReID(
        data_root=str(root),
        keypoint_file=KEYPOINT_FILE,
        **{
            **SMALL, 'num_train_ids': 4,
            'num_test_ids': 4
        })
    assert ds.metainfo['num_classes'] == 4


def test_cli_and_contact_sheet(tmp_path, capsys):
    path = osp.join(
        osp.dirname(__file__), '..', '..', 'tools', 'misc',
        'make_demo_dataset.py')
    spec = importlib.util.spec_from_file_location('make_demo_dataset', path)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    sheet = tmp_path / 'sheet.png'
    summary = tool.main([
        str(tmp_path / 'demo'), '--num-train-ids', '4', '--num-test-ids', '2',
        '--num-cameras', '3', '--images-per-id', '4', '6', '--img-size', '32',
        '16', '--num-distractors', '1', '--num-junk', '1', '--contact-sheet',
        str(sheet)
    ])
    out = capsys.readouterr().out
    assert 'num_train_images' in out and 'contact sheet' in out
    assert summary['images_per_id'] == [4, 6]
    assert 16 <= summary['num_train_images'] <= 24
    img = cv2.imread(str(sheet))
    assert img is not None and img.shape[0] > 4 * 32

    arr = draw_contact_sheet(
        str(tmp_path / 'demo'), None, num_ids=2, per_id=3, zoom=1)
    assert arr.shape == (2 * 32 + 4, 3 * 16 + 2 * 4, 3)
