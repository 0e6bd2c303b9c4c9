# Copyright (c) mmreid contributors. All rights reserved.
"""``tools/dataset_converters/cuhk03_classic.py`` on a synthetic
``cuhk-03.mat`` written in MATLAB's own v7.3 (HDF5) layout.

What MATLAB writes for ``save -v7.3`` (and what the real
``cuhk03_release/cuhk-03.mat`` holds, cf. the readers of torchreid and
open-reid, which both do ``mat[ref][:].T``):

- a 512-byte userblock starting with ``MATLAB 7.3 MAT-file``;
- every array has its axes reversed on disk (MATLAB is column-major): an
  ``H x W x 3`` uint8 image is a ``3 x W x H`` dataset, a ``N x 10`` cell a
  ``10 x N`` dataset, the ``5 x 1`` cell ``labeled`` a ``1 x 5`` dataset;
- a cell array is a dataset of HDF5 object references (``MATLAB_class``
  ``'cell'``) to its elements, which live in the group ``#refs#``;
- an empty element ``[]`` is a ``uint64`` dataset holding its dimensions
  (``[0, 0]``) with the attribute ``MATLAB_empty = 1``;
- ``#refs#/a`` is MATLAB's canonical empty.
"""
import importlib.util
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import h5py  # requirements/runtime.txt: fail, do not skip, without it
import numpy as np
import pytest

from mmreid.datasets.cuhk03_classic import CUHK03Classic

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO, 'tools', 'dataset_converters', 'cuhk03_classic.py')

#: Persons per camera pair (the real file: 843, 440, 77, 58, 49).
PAIR_SIZES = [3, 2, 1, 2, 2]
NUM_SPLITS = 20
TEST_PER_SPLIT = 3


def _tool():
    spec = importlib.util.spec_from_file_location('cuhk03_classic_tool',
                                                  TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class MatV73Writer:
    """Write variables the way MATLAB's ``save -v7.3`` lays them out."""

    def __init__(self, path):
        self.path = path
        self.f = h5py.File(path, 'w', userblock_size=512)
        self.refs = self.f.create_group('#refs#')
        self.count = 0
        self._empty(self.refs, self._name(), 'canonical empty')

    def _name(self):
        # MATLAB names #refs# entries a, b, ..., z, A, ..., then two letters.
        letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
        n, name = self.count, ''
        while True:
            name = letters[n % 52] + name
            n = n // 52 - 1
            if n < 0:
                break
        self.count += 1
        return name

    @staticmethod
    def _class(dset, cls):
        dset.attrs['MATLAB_class'] = np.bytes_(cls)

    def _empty(self, group, name, cls='double'):
        dset = group.create_dataset(
            name, data=np.zeros(2, dtype=np.uint64))  # the dims, 0 x 0
        self._class(dset, cls)
        dset.attrs['MATLAB_empty'] = np.uint8(1)
        return dset

    def _write(self, group, name, value):
        """``value``: ndarray (numeric), None (``[]``) or a cell (an
        object ndarray of such values)."""
        if value is None:
            return self._empty(group, name)
        if value.dtype == object:  # a cell: references to #refs#
            refs = np.empty(value.shape[::-1], dtype=h5py.ref_dtype)
            for idx in np.ndindex(value.shape):
                refs[idx[::-1]] = self._write(self.refs, self._name(),
                                              value[idx]).ref
            dset = group.create_dataset(name, data=refs)
            self._class(dset, 'cell')
            return dset
        dset = group.create_dataset(name, data=np.asarray(value).T)
        self._class(dset, {
            np.dtype(np.uint8): 'uint8',
            np.dtype(np.float64): 'double'
        }[value.dtype])
        return dset

    def save(self, **variables):
        for name, value in variables.items():
            self._write(self.f, name, value)
        self.f.close()
        header = (b'MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: '
                  b'Mon Jan  1 00:00:00 2024 HDF5 schema 1.00 .').ljust(116)
        with open(self.path, 'r+b') as f:
            f.write(header + b' ' * 8 + b'\x00\x02' + b'IM')


def cell(shape, items):
    out = np.empty(shape, dtype=object)
    for idx, item in zip(np.ndindex(shape), items):
        out[idx] = item
    return out


def make_dataset(seed=0):
    """Images (MATLAB's ``H x W x 3`` RGB) per subset, pair, person and
    column, some of them empty (None), and the 20 test sets."""
    rng = np.random.default_rng(seed)
    data = {}
    for s, subset in enumerate(('labeled', 'detected')):
        pairs = []
        for p, n in enumerate(PAIR_SIZES):
            grid = np.empty((n, 10), dtype=object)
            for person in range(n):
                for col in range(10):
                    h, w = rng.integers(12, 20), rng.integers(5, 9)  # H > W
                    grid[person, col] = rng.integers(
                        0, 256, (h, w, 3), dtype=np.uint8)
                # Missing images: trailing ones (fewer than 5 shots of a
                # view) and, in 'detected', one in the middle of a view.
                for col in range(10 - (person + p + s) % 3, 10):
                    grid[person, col] = None
                if subset == 'detected' and person == 0:
                    grid[person, 1] = None
            pairs.append(grid)
        data[subset] = pairs
    testsets = []
    all_ids = [(p + 1, j + 1) for p, n in enumerate(PAIR_SIZES)
               for j in range(n)]
    for _ in range(NUM_SPLITS):
        pick = rng.choice(len(all_ids), TEST_PER_SPLIT, replace=False)
        testsets.append(
            np.array([all_ids[k] for k in pick], dtype=np.float64))
    return data, testsets


def write_mat(path, data, testsets, rows=False):
    """Write ``cuhk-03.mat``: ``5 x 1`` and ``20 x 1`` cells as in the
    release, or ``1 x 5`` and ``1 x 20`` ones if ``rows``."""

    def col(items):
        return cell((1, len(items)) if rows else (len(items), 1), items)

    MatV73Writer(path).save(
        labeled=col([cell(g.shape, g.ravel()) for g in data['labeled']]),
        detected=col([cell(g.shape, g.ravel()) for g in data['detected']]),
        testsets=col(testsets))


def expected_files(grid_list):
    """``{file name: RGB image}`` the converter must write."""
    out, pid = {}, 0
    for grid in grid_list:
        for person in range(grid.shape[0]):
            pid += 1
            for cam in (1, 2):
                index = 0
                for col in range(5 * (cam - 1), 5 * cam):
                    if grid[person, col] is not None:
                        index += 1
                        out[f'{pid:04d}_c{cam}_{index}.png'] = grid[person,
                                                                    col]
    return out


@pytest.fixture(scope='module')
def converted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('cuhk03')
    data, testsets = make_dataset()
    mat = str(tmp / 'cuhk-03.mat')
    write_mat(mat, data, testsets)
    out = str(tmp / 'cuhk03_classic')
    proc = subprocess.run([sys.executable, TOOL, mat, out],
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    return data, testsets, mat, out, proc.stdout


def test_fixture_is_matlab_v73(converted):
    _, _, mat, _, _ = converted
    with open(mat, 'rb') as f:
        assert f.read(19) == b'MATLAB 7.3 MAT-file'
    with h5py.File(mat, 'r') as f:
        assert f['labeled'].shape == (1, 5)  # 5 x 1 cell, reversed
        assert f['labeled'].attrs['MATLAB_class'] == b'cell'
        pair = f[f['labeled'][0, 0]]
        assert pair.shape == (10, PAIR_SIZES[0])
        img = f[pair[0, 0]]
        assert img.shape[0] == 3 and img.shape[2] > img.shape[1]  # 3 x W x H
        assert f['testsets'].shape == (1, NUM_SPLITS)
        assert f[f['testsets'][0, 0]].shape == (2, TEST_PER_SPLIT)
        empty = f[f[f['detected'][0, 0]][1, 0]]
        assert empty.attrs['MATLAB_empty'] == 1
        assert empty.dtype == np.uint64 and list(empty[()]) == [0, 0]


def test_convert_counts_and_pixels(converted):
    data, testsets, _, out, stdout = converted
    num_ids = sum(PAIR_SIZES)
    for subset in ('labeled', 'detected'):
        want = expected_files(data[subset])
        names = sorted(os.listdir(osp.join(out, subset)))
        assert names == sorted(want)
        for name, rgb in want.items():
            bgr = cv2.imread(osp.join(out, subset, name), cv2.IMREAD_COLOR)
            assert bgr.shape == rgb.shape  # H x W x 3, not transposed
            np.testing.assert_array_equal(bgr[..., ::-1], rgb)
    n_lab = len(expected_files(data['labeled']))
    n_det = len(expected_files(data['detected']))
    assert stdout.startswith(f'{num_ids} identities, {n_lab} labeled and '
                             f'{n_det} detected images, {NUM_SPLITS} splits')

    with open(osp.join(out, 'splits.json')) as f:
        splits = json.load(f)
    offsets = np.r_[0, np.cumsum(PAIR_SIZES)]
    assert splits['num_ids'] == num_ids
    assert splits['splits'] == [
        sorted(int(offsets[int(p) - 1] + q) for p, q in t) for t in testsets
    ]


@pytest.mark.parametrize('subset', ['labeled', 'detected'])
@pytest.mark.parametrize('split_id', [0, 19])
def test_load_with_cuhk03_classic(converted, subset, split_id):
    data, testsets, _, out, _ = converted
    offsets = np.r_[0, np.cumsum(PAIR_SIZES)]
    test_ids = {int(offsets[int(p) - 1] + q) for p, q in testsets[split_id]}
    files = expected_files(data[subset])

    def pid_cam(name):
        return int(name[:4]), int(name[6])

    train = CUHK03Classic(data_root=out, subset=subset, split_id=split_id)
    want_train = [n for n in files if pid_cam(n)[0] not in test_ids]
    assert len(train) == len(want_train)
    assert train.metainfo['num_classes'] == sum(PAIR_SIZES) - len(test_ids)
    assert {train.get_data_info(i)['pid']
            for i in range(len(train))} == {pid_cam(n)[0]
                                            for n in want_train}

    test = CUHK03Classic(
        data_root=out, subset=subset, split_id=split_id, test_mode=True)
    query = [n for n in files if pid_cam(n) in {(p, 1) for p in test_ids}]
    gallery = [n for n in files if pid_cam(n) in {(p, 2) for p in test_ids}]
    assert test.metainfo['num_query'] == len(query)
    assert test.metainfo['num_gallery'] == len(gallery)
    infos = [test.get_data_info(i) for i in range(len(test))]
    assert sorted(osp.basename(i['img_path']) for i in infos
                  if i['split'] == 'query') == sorted(query)
    assert {i['camid'] for i in infos if i['split'] == 'query'} == {0}
    assert {i['camid'] for i in infos if i['split'] == 'gallery'} == {1}
    # The first query image decodes to the MATLAB image it came from.
    first = next(i for i in infos if i['split'] == 'query')
    rgb = files[osp.basename(first['img_path'])]
    np.testing.assert_array_equal(
        cv2.imread(first['img_path'])[..., ::-1], rgb)


@pytest.mark.parametrize('rows', [False, True])
def test_convert_function_returns_counts(tmp_path, rows):
    data, testsets = make_dataset(seed=1)
    mat = str(tmp_path / 'cuhk-03.mat')
    write_mat(mat, data, testsets, rows=rows)
    out = str(tmp_path / 'out')
    counts = _tool().convert(mat, out)
    assert counts == dict(
        num_ids=sum(PAIR_SIZES),
        num_splits=NUM_SPLITS,
        labeled=len(expected_files(data['labeled'])),
        detected=len(expected_files(data['detected'])))
    assert sorted(os.listdir(osp.join(out, 'detected'))) == sorted(
        expected_files(data['detected']))


def test_errors(tmp_path):
    tool = _tool()
    out = str(tmp_path / 'out')
    missing = str(tmp_path / 'nope.mat')
    with pytest.raises(SystemExit, match='nope.mat does not exist'):
        tool.convert(missing, out)

    # A MATLAB v5 file (what scipy.io.savemat writes), i.e. not HDF5.
    v5 = tmp_path / 'v5.mat'
    v5.write_bytes(b'MATLAB 5.0 MAT-file'.ljust(116) + b'\x00' * 12)
    with pytest.raises(SystemExit, match='not a MATLAB v7.3'):
        tool.convert(str(v5), out)

    # An HDF5 file without the CUHK03 variables.
    other = str(tmp_path / 'other.mat')
    MatV73Writer(other).save(images=cell((1, 1), [None]))
    with pytest.raises(SystemExit, match="no variable 'labeled'"):
        tool.convert(other, out)

    # 'labeled' is not a cell of 5 camera pairs.
    bad = str(tmp_path / 'bad.mat')
    MatV73Writer(bad).save(
        labeled=np.zeros((5, 1)), detected=np.zeros((5, 1)),
        testsets=np.zeros((20, 1)))
    with pytest.raises(SystemExit, match="'labeled'.*cell"):
        tool.convert(bad, out)

    # 'detected' disagreeing with 'labeled' on the number of persons.
    data, testsets = make_dataset()
    data['detected'][1] = data['detected'][1][:1]
    mismatch = str(tmp_path / 'mismatch.mat')
    write_mat(mismatch, data, testsets)
    with pytest.raises(SystemExit, match='camera pair 2'):
        tool.convert(mismatch, out)

    # A test set naming a person its camera pair does not have.
    data, testsets = make_dataset()
    testsets[3][0] = (2, PAIR_SIZES[1] + 1)
    outside = str(tmp_path / 'outside.mat')
    write_mat(outside, data, testsets)
    with pytest.raises(SystemExit, match='test set 4'):
        tool.convert(outside, out)
