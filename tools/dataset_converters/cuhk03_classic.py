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

Reading v7.3 files needs ``h5py`` (``pip install h5py``).
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


def convert(mat_path: str, out: str) -> dict:
    """Convert ``cuhk-03.mat`` (see the module doc).

    Args:
        mat_path (str): The .mat file.
        out (str): The output folder.

    Returns:
        dict: Counts: ``num_ids``, ``labeled`` and ``detected`` images,
        ``num_splits``.
    """
    try:
        import h5py
    except ImportError:
        raise SystemExit('cuhk03_classic.py needs h5py to read the MATLAB '
                         'v7.3 file cuhk-03.mat: pip install h5py') from None
    if not osp.isfile(mat_path):
        raise SystemExit(f'{mat_path} does not exist')
    counts = dict(labeled=0, detected=0)
    with h5py.File(mat_path, 'r') as mat:

        def deref(ref):
            return mat[ref][:].T

        # Persons per camera pair -> global pid offsets.
        pair_sizes = [deref(ref).shape[0] for ref in mat['labeled'][0]]
        offsets = np.r_[0, np.cumsum(pair_sizes)]
        for subset in ('labeled', 'detected'):
            folder = osp.join(out, subset)
            os.makedirs(folder, exist_ok=True)
            for p, ref in enumerate(mat[subset][0]):
                cells = deref(ref)  # num_persons x 10 references
                for person in range(cells.shape[0]):
                    pid = int(offsets[p]) + person + 1
                    for cam in (1, 2):
                        index = 0
                        for col in range(5 * (cam - 1), 5 * cam):
                            img = deref(cells[person, col])
                            if img.ndim != 3 or img.size == 0:
                                continue
                            index += 1
                            name = f'{pid:04d}_c{cam}_{index}.png'
                            # MATLAB stores RGB; OpenCV writes BGR.
                            ok = cv2.imwrite(
                                osp.join(folder, name),
                                np.ascontiguousarray(img[..., ::-1]))
                            if not ok:
                                raise SystemExit(f'could not write {name}')
                            counts[subset] += 1
        splits = []
        for ref in mat['testsets'][0]:
            test = deref(ref).astype(np.int64)  # 100 x 2, 1-based
            splits.append(
                sorted(int(offsets[i - 1]) + int(j) for i, j in test))
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
