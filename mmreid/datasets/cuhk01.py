# Copyright (c) mmreid contributors. All rights reserved.
"""CUHK01 (Li, Zhao, Wang, ACCV 2012) with the classic random splits."""
import os.path as osp
import re
from typing import List

from mmreid.registry import DATASETS
from .base_reid_dataset import DatasetFormatError
from .market_style import list_images
from .two_camera import TwoCameraSplitDataset, check_two_cameras

CUHK01_PATTERN = re.compile(r'^(\d{4})(\d{3})\.(png|jpg|bmp)$', re.I)


@DATASETS.register_module()
class CUHK01(TwoCameraSplitDataset):
    """CUHK01: 971 identities, 2 cameras, 2 images per camera (3,884).

    Layout under ``data_root``::

        campus/00010001.png ...

    An image is named ``NNNNCCC.png``: a 4-digit identity and a 3-digit
    index; indices 001-002 are camera A, 003-004 camera B. The test
    identities of split ``split_id`` (``num_test_ids`` = 100 or 486, as
    in IDLA) are drawn at random (see
    :func:`~mmreid.datasets.two_camera.split_test_ids`); the other
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
        check_two_cameras(records, 'CUHK01', folder)
        return records
