# Copyright (c) mmreid contributors. All rights reserved.
"""Small trees of the classic small datasets (CUHK03 classic, CUHK01,
VIPeR), laid out like the real ones, for tests and docs."""
import json
import os
import os.path as osp
from typing import Dict, List

from .dataset_trees import write_images

#: subset -> file names of the converted CUHK03 layout (5 identities).
CUHK03_CLASSIC_TREE: Dict[str, List[str]] = {
    'labeled': [
        '0001_c1_1.png', '0001_c1_2.png', '0001_c2_1.png', '0001_c2_2.png',
        '0002_c1_1.png', '0002_c2_1.png', '0002_c2_2.png', '0003_c1_1.png',
        '0003_c1_2.png', '0003_c2_1.png', '0004_c1_1.png', '0004_c2_1.png',
        '0005_c1_1.png', '0005_c2_1.png'
    ],
    'detected': [
        '0001_c1_1.png', '0001_c2_1.png', '0001_c2_2.png', '0002_c1_1.png',
        '0002_c2_1.png', '0003_c1_1.png', '0003_c2_1.png', '0004_c1_1.png',
        '0004_c2_1.png', '0005_c1_1.png', '0005_c2_1.png'
    ],
}
#: The test identities of the two splits of the tiny CUHK03 tree.
CUHK03_CLASSIC_SPLITS: List[List[int]] = [[1, 2], [4, 5]]


def make_cuhk03_classic_tree(root: str) -> str:
    """Create a tiny tree in the layout of ``cuhk03_classic.py``'s output.

    5 identities; ``labeled/`` has 14 images, ``detected/`` 11; 2 splits
    (test ids 1, 2 and 4, 5) in ``splits.json``.

    Args:
        root (str): Where to create it.

    Returns:
        str: ``root``.
    """
    for subset, names in CUHK03_CLASSIC_TREE.items():
        write_images(osp.join(root, subset), names)
    with open(osp.join(root, 'splits.json'), 'w') as f:
        json.dump(dict(splits=CUHK03_CLASSIC_SPLITS, num_ids=5), f)
    return root


def make_cuhk01_tree(root: str, num_ids: int = 5) -> str:
    """Create a tiny CUHK01 tree: ``campus/NNNNCCC.png``, 4 per identity.

    Args:
        root (str): Where to create it.
        num_ids (int): Identities (1..num_ids). Defaults to 5.

    Returns:
        str: ``root``.
    """
    names = [
        f'{pid:04d}{k:03d}.png' for pid in range(1, num_ids + 1)
        for k in range(1, 5)
    ]
    write_images(osp.join(root, 'campus'), names)
    return root


def make_viper_tree(root: str, num_ids: int = 6) -> str:
    """Create a tiny VIPeR tree: one image per identity in ``cam_a/`` and
    ``cam_b/`` (identities 0..num_ids-1, three-digit names).

    Args:
        root (str): Where to create it.
        num_ids (int): Identities. Defaults to 6.

    Returns:
        str: ``root``.
    """
    os.makedirs(root, exist_ok=True)
    write_images(
        osp.join(root, 'cam_a'), [f'{p:03d}_45.bmp' for p in range(num_ids)])
    write_images(
        osp.join(root, 'cam_b'), [f'{p:03d}_90.bmp' for p in range(num_ids)])
    return root
