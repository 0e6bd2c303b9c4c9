# Copyright (c) mmreid contributors. All rights reserved.
"""Two-camera datasets with random identity splits (CUHK01, VIPeR).

:class:`TwoCameraSplitDataset` is the base class of the classic
single-shot datasets whose test identities are drawn at random
(:func:`split_test_ids`): the training set holds the other identities, the
query set the camera-A images and the gallery the camera-B images of the
test identities.
"""
from typing import Dict, List, Sequence

import numpy as np

from .base_reid_dataset import BaseReIDDataset, DatasetFormatError


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

    Examples:
        >>> from mmreid.datasets import VIPeR  # a TwoCameraSplitDataset
        >>> from mmreid.testing.classic_trees import make_viper_tree
        >>> import tempfile
        >>> root = make_viper_tree(tempfile.mkdtemp())
        >>> ds = VIPeR(data_root=root, num_test_ids=3, test_mode=True)
        >>> cams = [ds.get_data_info(i)['camid'] for i in range(len(ds))]
        >>> ds.metainfo['split_id'], cams  # query: camera A, gallery: B
        (0, [0, 0, 0, 1, 1, 1])
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


def check_two_cameras(records: List[dict], name: str, folder: str) -> None:
    """Check that every identity is seen by both cameras.

    Args:
        records (list[dict]): Images as ``dict(img_path, pid, camid)``.
        name (str): The dataset's name, for the error message.
        folder (str): Where the images are, for the error message.

    Raises:
        DatasetFormatError: If an identity has images of one camera only
            (naming up to five such identities).

    Examples:
        >>> check_two_cameras([dict(pid=1, camid=0), dict(pid=1, camid=1)],
        ...                   'VIPeR', 'data/viper')
    """
    cams: Dict[int, set] = {}
    for r in records:
        cams.setdefault(r['pid'], set()).add(r['camid'])
    one = sorted(pid for pid, c in cams.items() if len(c) < 2)
    if one:
        raise DatasetFormatError(
            f'{name}: {len(one)} identities in {folder} are seen by one '
            f'camera only (e.g. {one[:5]}); every identity needs images in '
            'both cameras')
