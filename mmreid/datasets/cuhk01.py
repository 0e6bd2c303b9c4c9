# Copyright (c) mmreid contributors. All rights reserved.
"""CUHK01 (Li, Zhao, Wang, ACCV 2012) with the classic random splits."""
import os.path as osp
import re
from typing import Dict, List, Sequence

import numpy as np

from mmreid.registry import DATASETS
from .base_reid_dataset import BaseReIDDataset, DatasetFormatError
from .market_style import list_images


def split_test_ids(ids: Sequence[int], num_test_ids: int, split_id: int,
                   seed: int) -> List[int]:
    """Draw the test identities of one random split.

    Split ``split_id`` takes the first ``num_test_ids`` identities of a
    permutation of the sorted ``ids`` drawn with
    ``np.random.default_rng([seed, split_id])``: reproducible, and
    independent of the other splits.

    Args:
        ids (Sequence[int]): All identities.
        num_test_ids (int): Test identities; the rest are for training.
        split_id (int): The split (>= 0).
        seed (int): The seed of every split.

    Returns:
        list[int]: The sorted test identities.

    Examples:
        >>> split_test_ids(range(10), 3, split_id=0, seed=0)
        [2, 4, 6]
    """
    ids = sorted(set(int(i) for i in ids))
    if not 0 < num_test_ids < len(ids):
        raise ValueError(f'num_test_ids must be in [1, {len(ids) - 1}] for '
                         f'{len(ids)} identities, got {num_test_ids}')
    if split_id < 0:
        raise ValueError(f'split_id must be >= 0, got {split_id}')
    perm = np.random.default_rng([seed, split_id]).permutation(len(ids))
    return sorted(ids[k] for k in perm[:num_test_ids])


class TwoCameraSplitDataset(BaseReIDDataset):
    """A two-camera dataset with random identity splits (CUHK01, VIPeR).

    Subclasses implement :meth:`parse_all`, returning every image as
    ``dict(img_path, pid, camid)`` with ``camid`` 0 (camera A) or 1 (B).
    ``train`` holds the images of the training identities; ``query`` the
    camera-A images and ``gallery`` the camera-B images of the test
    identities (evaluate with ``ReIDMetric(protocol='cuhk03_single_shot')``
    for the single-shot CMC of the papers).

    Args:
        data_root (str): The dataset folder.
        num_test_ids (int): Test identities.
        split_id (int): Which random split. Defaults to 0.
        split_seed (int): The seed of the splits. Defaults to 0.
        **kwargs: See :class:`BaseReIDDataset`.
    """

    def __init__(self,
                 data_root: str,
                 num_test_ids: int,
                 split_id: int = 0,
                 split_seed: int = 0,
                 **kwargs) -> None:
        self.num_test_ids = int(num_test_ids)
        self.split_id = int(split_id)
        self.split_seed = int(split_seed)
        self._all = None
        super().__init__(data_root=data_root, **kwargs)
        self._metainfo.update(
            split_id=self.split_id, num_test_ids=self.num_test_ids)

    def parse_all(self) -> List[dict]:
        """Every image of the dataset (see the class doc)."""
        raise NotImplementedError(
            f'{type(self).__name__} must implement parse_all() (every image '
            'as dict(img_path, pid, camid)); see CUHK01 and VIPeR')

    def parse_split(self, split: str) -> List[dict]:
        """Parse one split (see :class:`BaseReIDDataset`)."""
        if self._all is None:
            self._all = self.parse_all()
            test = set(
                split_test_ids({r['pid']
                                for r in self._all}, self.num_test_ids,
                               self.split_id, self.split_seed))
            self._test_ids = test
        test = self._test_ids
        if split == 'train':
            return [r for r in self._all if r['pid'] not in test]
        cam = 0 if split == 'query' else 1
        return [
            r for r in self._all if r['pid'] in test and r['camid'] == cam
        ]


CUHK01_PATTERN = re.compile(r'^(\d{4})(\d{3})\.(png|jpg|bmp)$', re.I)


@DATASETS.register_module()
class CUHK01(TwoCameraSplitDataset):
    """CUHK01: 971 identities, 2 cameras, 2 images per camera (3,884).

    Layout under ``data_root``::

        campus/00010001.png ...

    An image is named ``NNNNCCC.png``: a 4-digit identity and a 3-digit
    index; indices 001-002 are camera A, 003-004 camera B. The test
    identities of split ``split_id`` (``num_test_ids`` = 100 or 486, as
    in IDLA) are drawn at random (see :func:`split_test_ids`); the other
    871 or 485 identities are the training set. Query: the camera-A images
    of the test ids; gallery: their camera-B images.

    Args:
        data_root (str): The CUHK01 folder (holding ``campus/``).
        num_test_ids (int): 100 or 486 in the literature. Defaults to 100.
        split_id (int): Defaults to 0.
        split_seed (int): Defaults to 0.
        **kwargs: See :class:`BaseReIDDataset`.

    Examples:
        >>> from mmreid.testing.classic_trees import make_cuhk01_tree
        >>> import tempfile
        >>> root = make_cuhk01_tree(tempfile.mkdtemp())
        >>> ds = CUHK01(data_root=root, num_test_ids=2)
        >>> ds.metainfo['num_classes'], len(ds)
        (3, 12)
        >>> ds = CUHK01(data_root=root, num_test_ids=2, test_mode=True)
        >>> ds.metainfo['num_query'], ds.metainfo['num_gallery']
        (4, 4)
    """

    METAINFO = dict(dataset_name='cuhk01')

    def __init__(self, data_root: str, num_test_ids: int = 100,
                 **kwargs) -> None:
        super().__init__(
            data_root=data_root, num_test_ids=num_test_ids, **kwargs)

    def parse_all(self) -> List[dict]:
        """Every image under ``campus/``."""
        folder = self.check_dir(
            osp.join(self.data_root, 'campus'), 'campus image')
        records: List[dict] = []
        for name in list_images(folder):
            m = CUHK01_PATTERN.match(name)
            if m is None:
                raise DatasetFormatError(
                    f'CUHK01: malformed file name {name!r} in {folder}: '
                    'expected NNNNCCC.png (4-digit identity, 3-digit index '
                    '001-004), e.g. 0001001.png')
            pid, index = int(m.group(1)), int(m.group(2))
            if not 1 <= index <= 4:
                raise DatasetFormatError(
                    f'CUHK01: {name!r} in {folder} has index {index}; '
                    'indices are 001-002 (camera A) and 003-004 (camera B)')
            records.append(
                dict(
                    img_path=osp.join(folder, name),
                    pid=pid,
                    camid=0 if index <= 2 else 1))
        _check_two_cameras(records, 'CUHK01', folder)
        return records


def _check_two_cameras(records: List[dict], name: str, folder: str) -> None:
    """Every identity must be seen by both cameras."""
    cams: Dict[int, set] = {}
    for r in records:
        cams.setdefault(r['pid'], set()).add(r['camid'])
    one = sorted(pid for pid, c in cams.items() if len(c) < 2)
    if one:
        raise DatasetFormatError(
            f'{name}: {len(one)} identities in {folder} are seen by one '
            f'camera only (e.g. {one[:5]}); every identity needs images in '
            'both cameras')
