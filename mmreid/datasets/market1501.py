# Copyright (c) mmreid contributors. All rights reserved.
"""Market-1501 (Zheng et al., ICCV 2015)."""
import os.path as osp
from typing import List, Optional

from mmreid.registry import DATASETS
from .base_reid_dataset import DatasetFormatError
from .market_style import MARKET_PATTERN, MarketStyleDataset, list_images


@DATASETS.register_module()
class Market1501(MarketStyleDataset):
    """Market-1501: 1,501 identities from 6 cameras.

    Layout under ``data_root``::

        bounding_box_train/0002_c1s1_000451_03.jpg   751 ids, 12,936 images
        query/0001_c1s1_001051_00.jpg                 3,368 images
        bounding_box_test/0001_c1s1_001051_03.jpg     19,732 images
                                                     (incl. 2,798 junk, pid -1)

    pid -1 (junk) is dropped at load and counted in ``metainfo['num_junk']``;
    pid 0 (distractors) stays in the gallery as a negative.

    Market-1501+500k: with ``distractor_dir`` set (e.g. ``'images'``, the
    folder ``distractors_500k.zip`` extracts to, placed under ``data_root``),
    every image of that folder (not its subfolders) is appended to the
    gallery as a distractor: pid 0, whatever pid its name carries. Its camera
    is read from the name when the name follows Market-1501 naming
    (``<pid>_c<camera>...``), else it is -1 (unknown; such images are never
    removed as same-camera matches since no query has pid 0, and -1 is not
    counted in ``metainfo['num_cameras']``). ``metainfo['num_distractors']``
    gives the number of images added. The option only affects evaluation
    sets (``test_mode=True``).

    Args:
        data_root (str): The ``Market-1501-v15.09.15`` folder.
        distractor_dir (str, optional): A folder of extra gallery
            distractors, relative to ``data_root`` (absolute paths are used
            as they are). Defaults to None.
        **kwargs: See :class:`BaseReIDDataset`.

    Examples:
        >>> from mmreid.testing import make_market_tree
        >>> import tempfile
        >>> root = make_market_tree(tempfile.mkdtemp())
        >>> ds = Market1501(data_root=root)
        >>> ds.metainfo['num_classes'], len(ds)
        (2, 4)
        >>> from mmreid.testing import write_images
        >>> write_images(f'{root}/images', ['0000_c2s1_000001_00.jpg'])
        >>> ds = Market1501(data_root=root, test_mode=True,
        ...                 distractor_dir='images')
        >>> ds.metainfo['num_gallery'], ds.metainfo['num_distractors']
        (5, 1)
    """

    METAINFO = dict(dataset_name='market1501')

    def __init__(self,
                 data_root: str,
                 distractor_dir: Optional[str] = None,
                 **kwargs) -> None:
        self.distractor_dir = distractor_dir
        self.num_distractors = 0
        super().__init__(data_root=data_root, **kwargs)

    def load_data_list(self) -> List[dict]:
        """Build ``data_list`` (see :class:`BaseReIDDataset`)."""
        data_list = super().load_data_list()
        if self.test_mode and self.distractor_dir:
            self._metainfo['num_distractors'] = self.num_distractors
            self._metainfo['num_cameras'] = len(
                {d['camid'] for d in data_list if d['camid'] >= 0})
        return data_list

    def parse_split(self, split: str) -> List[dict]:
        """Parse one split (see :class:`BaseReIDDataset`)."""
        records = super().parse_split(split)
        if split == 'gallery' and self.distractor_dir:
            distractors = self._parse_distractors()
            self.num_distractors = len(distractors)
            records += distractors
        return records

    def _parse_distractors(self) -> List[dict]:
        """List the images of ``distractor_dir`` as pid-0 records."""
        folder = self.check_dir(
            osp.join(self.data_root, self.distractor_dir), 'distractor')
        records = []
        for name in list_images(folder):
            m = MARKET_PATTERN.match(name)
            camid = int(m.group(2)) - 1 if m and int(m.group(2)) > 0 else -1
            records.append(
                dict(img_path=osp.join(folder, name), pid=0, camid=camid))
        if not records:
            raise DatasetFormatError(
                f'{type(self).__name__}: the distractor folder {folder} has '
                'no images')
        return records
