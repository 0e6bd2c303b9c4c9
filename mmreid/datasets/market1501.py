# Copyright (c) mmreid contributors. All rights reserved.
"""Market-1501 (Zheng et al., ICCV 2015)."""
import os.path as osp
from typing import List

from mmreid.registry import DATASETS
from .base_reid_dataset import BaseReIDDataset
from .market_style import parse_market_style_folder


@DATASETS.register_module()
class Market1501(BaseReIDDataset):
    """Market-1501: 1,501 identities from 6 cameras.

    Layout under ``data_root``::

        bounding_box_train/0002_c1s1_000451_03.jpg   751 ids, 12,936 images
        query/0001_c1s1_001051_00.jpg                 3,368 images
        bounding_box_test/0001_c1s1_001051_03.jpg     19,732 images
                                                     (incl. 2,798 junk, pid -1)

    pid -1 (junk) is dropped at load and counted in ``metainfo['num_junk']``;
    pid 0 (distractors) stays in the gallery as a negative.

    Args:
        data_root (str): The ``Market-1501-v15.09.15`` folder.
        **kwargs: See :class:`BaseReIDDataset`.

    Examples:
        >>> from mmreid.testing import make_market_tree
        >>> import tempfile
        >>> root = make_market_tree(tempfile.mkdtemp())
        >>> ds = Market1501(data_root=root)
        >>> ds.metainfo['num_classes'], len(ds)
        (2, 4)
    """

    METAINFO = dict(dataset_name='market1501')
    split_dirs = dict(
        train='bounding_box_train', query='query', gallery='bounding_box_test')

    def parse_split(self, split: str) -> List[dict]:
        """Parse one split (see :class:`BaseReIDDataset`)."""
        folder = self.check_dir(
            osp.join(self.data_root, self.split_dirs[split]), f'{split} split')
        records, junk = parse_market_style_folder(
            folder, keep_distractors=(split == 'gallery'))
        self.num_junk += junk
        return records
