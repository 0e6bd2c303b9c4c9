# Copyright (c) mmreid contributors. All rights reserved.
"""CUHK03 (Li et al., "DeepReID", CVPR 2014) under the classic protocol:
20 random splits of 100 test identities."""
import json
import os.path as osp
from typing import List

from mmreid.registry import DATASETS
from .base_reid_dataset import BaseReIDDataset, DatasetFormatError
from .market_style import parse_market_style_folder

SUBSETS = ('labeled', 'detected')


@DATASETS.register_module()
class CUHK03Classic(BaseReIDDataset):
    """CUHK03, classic protocol: 1,467 identities, 20 released splits.

    The release is one MATLAB v7.3 file, ``cuhk-03.mat``; convert it first
    with ``tools/dataset_converters/cuhk03_classic.py``, which writes::

        labeled/0001_c1_1.png      <pid>_c<camera>_<index>.png; 14,096 images
        detected/0001_c1_1.png     14,097 images
        splits.json                the 20 released test sets (100 pids each)

    Identities are numbered 1..1,467 in the order of the file (camera pair
    by camera pair); cameras are 1 and 2 (the two views of the identity's
    camera pair). Split ``split_id`` (0-19) tests on its 100 identities and
    trains on the other 1,367 (the open-reid convention; DeepReID kept 100
    of them for validation). Query: camera-1 images of the test ids;
    gallery: their camera-2 images; evaluate with
    ``ReIDMetric(protocol='cuhk03_single_shot')``.

    Args:
        data_root (str): The converted folder.
        subset (str): ``'labeled'`` or ``'detected'``. Defaults to
            ``'labeled'``.
        split_id (int): Which of the 20 splits. Defaults to 0.
        **kwargs: See :class:`BaseReIDDataset`.

    Examples:
        >>> from mmreid.testing.classic_trees import make_cuhk03_classic_tree
        >>> import tempfile
        >>> root = make_cuhk03_classic_tree(tempfile.mkdtemp())
        >>> ds = CUHK03Classic(data_root=root, split_id=1)
        >>> ds.metainfo['num_classes'], len(ds)
        (3, 10)
        >>> ds = CUHK03Classic(data_root=root, subset='detected',
        ...                    test_mode=True)
        >>> ds.metainfo['num_query'], ds.metainfo['num_gallery']
        (2, 3)
    """

    METAINFO = dict(dataset_name='cuhk03_classic')

    def __init__(self,
                 data_root: str,
                 subset: str = 'labeled',
                 split_id: int = 0,
                 **kwargs) -> None:
        if subset not in SUBSETS:
            raise ValueError(f'CUHK03Classic: subset must be one of '
                             f'{SUBSETS}, got {subset!r}')
        self.subset = subset
        self.split_id = int(split_id)
        self._all = None
        super().__init__(data_root=data_root, **kwargs)
        self._metainfo.update(subset=subset, split_id=self.split_id)

    def _test_ids(self) -> set:
        """The test identities of ``split_id`` from ``splits.json``."""
        path = osp.join(self.data_root, 'splits.json')
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'CUHK03Classic: {path} does not exist; convert cuhk-03.mat '
                'with tools/dataset_converters/cuhk03_classic.py')
        with open(path) as f:
            splits = json.load(f).get('splits')
        if not isinstance(splits, list) or not splits:
            raise DatasetFormatError(f'{path}: expected {{"splits": [[pid, '
                                     '...], ...]}}')
        if not 0 <= self.split_id < len(splits):
            raise ValueError(f'CUHK03Classic: split_id must be in [0, '
                             f'{len(splits) - 1}], got {self.split_id}')
        return {int(p) for p in splits[self.split_id]}

    def parse_split(self, split: str) -> List[dict]:
        """Parse one split (see :class:`BaseReIDDataset`)."""
        if self._all is None:
            folder = self.check_dir(
                osp.join(self.data_root, self.subset), f'{self.subset} image')
            self._all, _ = parse_market_style_folder(
                folder, keep_distractors=False)
            self._test = self._test_ids()
            missing = self._test - {r['pid'] for r in self._all}
            if missing:
                raise DatasetFormatError(
                    f'CUHK03Classic: test identities {sorted(missing)[:5]} '
                    f'of split {self.split_id} have no image in {folder}')
        if split == 'train':
            return [r for r in self._all if r['pid'] not in self._test]
        cam = 0 if split == 'query' else 1
        return [
            r for r in self._all
            if r['pid'] in self._test and r['camid'] == cam
        ]
