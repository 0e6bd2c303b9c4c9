# Copyright (c) mmreid contributors. All rights reserved.
"""Small dataset trees laid out like the real datasets, for tests and docs."""
import os
import os.path as osp
from typing import Dict, List

import cv2
import numpy as np


def write_images(folder: str, names: List[str], size=(16, 8)) -> None:
    """Write tiny valid JPEG/PNG images with the given file names.

    Args:
        folder (str): Target folder (created).
        names (list[str]): File names.
        size (tuple): (h, w) of each image.
    """
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(0)
    for name in names:
        img = rng.integers(0, 255, (*size, 3), dtype=np.uint8)
        assert cv2.imwrite(osp.join(folder, name), img), name


MARKET_TREE: Dict[str, List[str]] = {
    'bounding_box_train': [
        '0002_c1s1_000451_03.jpg', '0002_c2s1_000301_01.jpg',
        '0007_c3s3_077419_03.jpg', '0007_c6s1_001251_02.jpg'
    ],
    'query': ['0001_c1s1_001051_00.jpg', '0003_c2s1_000976_00.jpg'],
    'bounding_box_test': [
        '0001_c1s1_001051_03.jpg',  # same pid & camera as a query
        '0001_c5s1_000126_01.jpg',
        '0003_c3s1_000551_02.jpg',
        '0000_c1s1_000009_03.jpg',  # distractor
        '-1_c1s1_000401_03.jpg',  # junk
        '-1_c4s1_000401_03.jpg',  # junk
    ],
}


def make_market_tree(root: str, tree: Dict[str, List[str]] = None) -> str:
    """Create a tiny Market-1501-style tree.

    The default tree has 2 train ids (4 images, 4 cameras), 2 queries and a
    gallery of 6 files: 3 true matches (one in the query's own camera), one
    distractor (pid 0) and 2 junk images (pid -1).

    Args:
        root (str): Where to create it.
        tree (dict, optional): Folder name -> file names. Defaults to
            :data:`MARKET_TREE`.

    Returns:
        str: ``root``.
    """
    for folder, names in (tree or MARKET_TREE).items():
        write_images(osp.join(root, folder), names)
    return root


def _write_rel_images(root: str, rel_paths: List[str]) -> None:
    """Write tiny images at paths relative to ``root`` (folders created)."""
    by_dir: Dict[str, List[str]] = {}
    for rel in rel_paths:
        by_dir.setdefault(osp.dirname(rel), []).append(osp.basename(rel))
    for folder, names in by_dir.items():
        write_images(osp.join(root, folder), names)


def _write_text(path: str, lines: List[str]) -> None:
    """Write a text file, one line per entry."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')


DUKE_TREE: Dict[str, List[str]] = {
    'bounding_box_train': [
        '0005_c2_f0046985.jpg', '0005_c5_f0051341.jpg',
        '0008_c1_f0015741.jpg', '0008_c3_f0091213.jpg',
        '0011_c2_f0115721.jpg'
    ],
    'query': ['0001_c1_f0048001.jpg', '0003_c6_f0031002.jpg'],
    'bounding_box_test': [
        '0001_c1_f0047987.jpg',  # same pid & camera as a query
        '0001_c4_f0052126.jpg',
        '0003_c8_f0031337.jpg',
        '0009_c5_f0093822.jpg',  # a gallery-only (distractor) identity
    ],
}


def make_duke_tree(root: str, tree: Dict[str, List[str]] = None) -> str:
    """Create a tiny DukeMTMC-reID-style tree.

    The default tree has 3 train ids (pids 5, 8, 11; 5 images, 4 cameras),
    2 queries and a gallery of 4 images: 3 true matches (one in the query's
    own camera) and one gallery-only identity, as Duke's 408 distractor
    ids.

    Args:
        root (str): Where to create it.
        tree (dict, optional): Folder name -> file names. Defaults to
            :data:`DUKE_TREE`.

    Returns:
        str: ``root``.
    """
    for folder, names in (tree or DUKE_TREE).items():
        write_images(osp.join(root, folder), names)
    return root


# list file -> lines "<relpath> <pid>"; val images live in the train folder
MSMT17_LISTS: Dict[str, List[str]] = {
    'list_train.txt': [
        '0000/0000_000_01_0303morning_0015_0.jpg 0',
        '0000/0000_001_03_0303morning_0041_0.jpg 0',
        '0001/0001_000_15_0303noon_0102_1.jpg 1',
        '0002/0002_000_07_0304afternoon_0210_0.jpg 2',
    ],
    'list_val.txt': [
        '0001/0001_001_02_0303noon_0127_0.jpg 1',
        '0002/0002_001_11_0304afternoon_0331_1.jpg 2',
    ],
    'list_query.txt': [
        '0000/0000_000_01_0303morning_0035_1.jpg 0',
        '0001/0001_000_05_0303noon_0035_0.jpg 1',
    ],
    'list_gallery.txt': [
        '0000/0000_001_01_0303morning_0050_0.jpg 0',  # query's camera
        '0000/0000_002_09_0303morning_0100_0.jpg 0',
        '0001/0001_001_12_0304morning_0011_0.jpg 1',
        '0002/0002_000_04_0304noon_0201_1.jpg 2',  # gallery-only id
    ],
}
# an image of the train folder that no list names (ignored at load)
MSMT17_UNLISTED = '0002/0002_002_11_0304afternoon_0400_0.jpg'


def make_msmt17_tree(root: str, version: int = 1) -> str:
    """Create a tiny MSMT17-style tree (V1 or V2 folder names).

    Train: 3 ids (pids 0, 1, 2) with 4 images in ``list_train.txt`` (4
    cameras) and 2 more in ``list_val.txt`` (6 cameras together), plus one
    unlisted image. Test: 2 queries and a gallery of 4 images (one in a
    query's own camera, one of a gallery-only id). Test pids restart at 0.

    Args:
        root (str): Where to create it.
        version (int): 1 (``train/``, ``test/``) or 2 (``mask_train_v2/``,
            ``mask_test_v2/``). Defaults to 1.

    Returns:
        str: ``root``.
    """
    train_dir, test_dir = {
        1: ('train', 'test'),
        2: ('mask_train_v2', 'mask_test_v2')
    }[version]
    for list_name, lines in MSMT17_LISTS.items():
        _write_text(osp.join(root, list_name), lines)
        img_dir = train_dir if list_name in ('list_train.txt',
                                             'list_val.txt') else test_dir
        _write_rel_images(
            osp.join(root, img_dir), [line.split()[0] for line in lines])
    _write_rel_images(osp.join(root, train_dir), [MSMT17_UNLISTED])
    return root


# subset -> folder -> file names
CUHK03NP_TREE: Dict[str, Dict[str, List[str]]] = {
    'labeled': {
        'bounding_box_train':
        ['0001_c1_1.png', '0001_c2_1.png', '0002_c1_1.png', '0002_c2_2.png'],
        'query': ['0003_c1_1.png', '0004_c2_1.png'],
        'bounding_box_test':
        ['0003_c2_1.png', '0004_c1_1.png', '0004_c1_2.png'],
    },
    'detected': {
        'bounding_box_train':
        ['0001_c1_1.png', '0002_c1_1.png', '0002_c2_1.png'],
        'query': ['0003_c1_1.png', '0004_c2_1.png'],
        'bounding_box_test': ['0003_c2_1.png', '0004_c1_1.png'],
    },
}


def make_cuhk03np_tree(root: str) -> str:
    """Create a tiny ``cuhk03-np`` tree (``labeled/`` and ``detected/``).

    Both subsets have 2 train ids over 2 cameras (labeled: 4 images,
    detected: 3) and 2 queries; the gallery has 3 (labeled) or 2
    (detected) images.

    Args:
        root (str): Where to create it; it plays the ``cuhk03-np`` folder.

    Returns:
        str: ``root``.
    """
    for subset, tree in CUHK03NP_TREE.items():
        for folder, names in tree.items():
            write_images(osp.join(root, subset, folder), names)
    return root


# list file -> lines "<image> <pid> <camid>" (None: no camera column)
FILE_LIST_LISTS: Dict[str, List[str]] = {
    'train.txt': [
        '# custom re-ID data: <image> <pid> <camid>',
        'images/train/p10_a.jpg 10 0',
        'images/train/p10_b.jpg 10 1',
        '',
        'images/train/p3_a.jpg  3  0   # pids need not be sorted',
        'images/train/p7_a.jpg 7 2',
        'images/train/p7_b.jpg 7 1',
        'images/train/junk.jpg -1 0  # junk, dropped',
    ],
    'query.txt': [
        'images/test/q0.jpg 0 0',  # pid 0 is an ordinary id here
        'images/test/q1.jpg 1 1',
    ],
    'gallery.txt': [
        'images/test/g0.jpg 0 1',
        'images/test/g1.jpg 1 0',
        'images/test/g2.jpg 2 1',
    ],
}


def make_file_list_tree(root: str) -> str:
    """Create a tiny tree for :class:`~mmreid.datasets.FileListReID`.

    Writes ``images/`` and the list files of :data:`FILE_LIST_LISTS`
    (train: 3 ids, pids 3, 7, 10, 5 images, 3 cameras, 1 junk line;
    2 queries; 3 gallery images), plus ``train_nocam.txt``,
    ``query_nocam.txt`` and ``gallery_nocam.txt``: the same lists without
    the camera column.

    Args:
        root (str): Where to create it.

    Returns:
        str: ``root``.
    """
    for list_name, lines in FILE_LIST_LISTS.items():
        _write_text(osp.join(root, list_name), lines)
        nocam = []
        for line in lines:
            body, sep, comment = line.partition('#')
            fields = body.split()
            if fields:
                body = ' '.join(fields[:2]) + (' ' if sep else '')
            nocam.append(body + sep + comment)
        stem = osp.splitext(list_name)[0]
        _write_text(osp.join(root, f'{stem}_nocam.txt'), nocam)
        _write_rel_images(root, [
            line.split()[0] for line in lines
            if line.split('#')[0].strip()
        ])
    return root
