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
