# Copyright (c) mmreid contributors. All rights reserved.
"""Convert CUHK03's ``cuhk-03.mat`` to the layout of ``CUHK03Classic``.

The CUHK03 release (``cuhk03_release/cuhk-03.mat``) is a MATLAB v7.3
(HDF5) file holding

- ``labeled`` and ``detected``: one cell per camera pair (5), each a
  ``num_persons x 10`` cell array of images (columns 1-5: the first
  camera of the pair, 6-10: the second; empty cells for missing images);
- ``testsets``: 20 cells, each a ``100 x 2`` array of (camera pair,
  person) 1-based indices: the test identities of each split.

Output under ``OUT``::

    labeled/<pid>_c<camera>_<index>.png    pid 0001-1467 in file order
    detected/<pid>_c<camera>_<index>.png   camera 1 or 2, index from 1
    splits.json                            {"splits": [[pid, ...] x 20]}

Usage::

    python tools/dataset_converters/cuhk03_classic.py \\
        data/cuhk03_release/cuhk-03.mat data/cuhk03_classic

Reading v7.3 files needs ``h5py`` (in ``requirements/runtime.txt``).
Malformed input (not HDF5, a variable missing or not a cell, ``labeled``
and ``detected`` disagreeing on the persons of a camera pair, a test set
naming a person the file does not have) stops with a message saying so.
"""
import argparse
import json
import os
import os.path as osp

import cv2
import numpy as np


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('mat', help='path of cuhk-03.mat')
    parser.add_argument('out', help='output folder')
    return parser.parse_args()


class _MatReader:
    """Read MATLAB v7.3 cells and arrays of ``cuhk-03.mat`` with h5py.

    On disk an array's axes are reversed (MATLAB is column-major), a cell
    is a dataset of object references into ``#refs#`` and an empty cell
    element is a dataset of its dimensions marked ``MATLAB_empty``.
    """

    EXPECTED = ('expected cuhk-03.mat of cuhk03_release.zip, with the '
                "variables 'labeled', 'detected' and 'testsets'")

    def __init__(self, h5py, mat, path: str) -> None:
        self.h5py, self.mat, self.path = h5py, mat, path

    def fail(self, msg: str):
        raise SystemExit(f'{self.path}: {msg}; {self.EXPECTED}')

    def is_cell(self, node) -> bool:
        return (isinstance(node, self.h5py.Dataset)
                and self.h5py.check_dtype(ref=node.dtype) is not None)

    def variable(self, name: str):
        if name not in self.mat:
            found = sorted(k for k in self.mat if not k.startswith('#'))
            self.fail(f'no variable {name!r} (found {found})')
        return self.mat[name]

    def cell(self, node, what: str) -> np.ndarray:
        """The references of a cell as a MATLAB-shaped array."""
        if not self.is_cell(node):
            cls = node.attrs.get('MATLAB_class', b'?')
            if isinstance(cls, bytes):
                cls = cls.decode(errors='replace')
            self.fail(f'{what} is not a cell array (MATLAB class {cls})')
        return node[()].T

    def array(self, ref) -> np.ndarray:
        """A referenced array, MATLAB-shaped; empty for ``[]``."""
        node = self.mat[ref]
        if node.attrs.get('MATLAB_empty', 0) or node.size == 0:
            return np.zeros((0, 0))
        return node[()].T


def convert(mat_path: str, out: str) -> dict:
    """Convert ``cuhk-03.mat`` (see the module doc).

    Args:
        mat_path (str): The .mat file.
        out (str): The output folder.

    Returns:
        dict: Counts: ``num_ids``, ``labeled`` and ``detected`` images,
        ``num_splits``.

    Raises:
        SystemExit: If h5py is missing, or the file is missing, not a
            MATLAB v7.3 file or not structured like ``cuhk-03.mat``; the
            message says which.
    """
    try:
        import h5py
    except ImportError:
        raise SystemExit('cuhk03_classic.py needs h5py to read the MATLAB '
                         'v7.3 file cuhk-03.mat: pip install h5py') from None
    if not osp.isfile(mat_path):
        raise SystemExit(f'{mat_path} does not exist')
    try:
        h5 = h5py.File(mat_path, 'r')
    except OSError as e:
        raise SystemExit(
            f'{mat_path} is not a MATLAB v7.3 (HDF5) file ({e}); expected '
            'cuhk-03.mat of cuhk03_release.zip') from None
    counts = dict(labeled=0, detected=0)
    with h5:
        mat = _MatReader(h5py, h5, mat_path)
        # One cell of num_persons x 10 image references per camera pair.
        pairs = {
            subset: [
                mat.cell(h5[ref], f"'{subset}' camera pair {p + 1}")
                for p, ref in enumerate(
                    mat.cell(mat.variable(subset), repr(subset)).ravel(
                        order='F'))
            ]
            for subset in ('labeled', 'detected')
        }
        # Persons per camera pair -> global pid offsets.
        pair_sizes = [cells.shape[0] for cells in pairs['labeled']]
        if len(pairs['detected']) != len(pair_sizes):
            mat.fail(f"'labeled' has {len(pair_sizes)} camera pairs, "
                     f"'detected' {len(pairs['detected'])}")
        for p, (lab, det) in enumerate(zip(pairs['labeled'],
                                           pairs['detected'])):
            if lab.ndim != 2 or lab.shape[1] != 10 or det.shape != lab.shape:
                mat.fail(f'camera pair {p + 1}: expected num_persons x 10 '
                         f"cells in both subsets, got {lab.shape} in "
                         f"'labeled' and {det.shape} in 'detected'")
        offsets = np.r_[0, np.cumsum(pair_sizes)].astype(int)
        for subset, subset_pairs in pairs.items():
            folder = osp.join(out, subset)
            os.makedirs(folder, exist_ok=True)
            for p, cells in enumerate(subset_pairs):
                for person in range(cells.shape[0]):
                    pid = int(offsets[p]) + person + 1
                    for cam in (1, 2):
                        index = 0
                        for col in range(5 * (cam - 1), 5 * cam):
                            img = mat.array(cells[person, col])
                            if img.size == 0:  # [] = no image
                                continue
                            if img.dtype != np.uint8 or not (
                                    img.ndim == 2 or img.ndim == 3
                                    and img.shape[2] == 3):
                                mat.fail(
                                    f"'{subset}' camera pair {p + 1}, person "
                                    f'{person + 1}, column {col + 1}: not an '
                                    'H x W x 3 uint8 image (got '
                                    f'{img.dtype} {img.shape})')
                            index += 1
                            name = f'{pid:04d}_c{cam}_{index}.png'
                            if img.ndim == 3:  # MATLAB RGB -> OpenCV BGR
                                img = img[..., ::-1]
                            ok = cv2.imwrite(
                                osp.join(folder, name),
                                np.ascontiguousarray(img))
                            if not ok:
                                raise SystemExit(f'could not write {name}')
                            counts[subset] += 1
        splits = []
        for k, ref in enumerate(
                mat.cell(mat.variable('testsets'),
                         "'testsets'").ravel(order='F')):
            test = mat.array(ref)  # num_test x 2 (pair, person), 1-based
            if test.ndim != 2 or test.shape[1] != 2 or np.any(
                    test != np.round(test)):
                mat.fail(f'test set {k + 1} is not a num_test x 2 array of '
                         f'(camera pair, person) indices: {test.shape}')
            split = []
            for i, j in test.astype(np.int64):
                if not (1 <= i <= len(pair_sizes)
                        and 1 <= j <= pair_sizes[i - 1]):
                    mat.fail(f'test set {k + 1} names person {j} of camera '
                             f'pair {i}, which is not in the file '
                             f'(persons per pair: {pair_sizes})')
                split.append(int(offsets[i - 1]) + int(j))
            splits.append(sorted(split))
    with open(osp.join(out, 'splits.json'), 'w') as f:
        json.dump(
            dict(source=osp.basename(mat_path), num_ids=int(offsets[-1]),
                 splits=splits), f)
    return dict(num_ids=int(offsets[-1]), num_splits=len(splits), **counts)


def main():
    args = parse_args()
    counts = convert(args.mat, args.out)
    print(f'{counts["num_ids"]} identities, {counts["labeled"]} labeled and '
          f'{counts["detected"]} detected images, {counts["num_splits"]} '
          f'splits -> {args.out}')


if __name__ == '__main__':
    main()
