# Copyright (c) mmreid contributors. All rights reserved.
"""VIPeR (Gray, Brennan, Tao, PETS 2007) with the 10 random 316/316
splits."""
import os.path as osp
import re
from typing import Dict, List

from mmreid.registry import DATASETS
from .base_reid_dataset import DatasetFormatError
from .market_style import list_images
from .two_camera import TwoCameraSplitDataset, check_two_cameras

VIPER_PATTERN = re.compile(r'^(\d+)_')


@DATASETS.register_module()
class VIPeR(TwoCameraSplitDataset):
    """VIPeR: 632 identities, one image in each of two cameras.

    Layout under ``data_root`` (the released ``VIPeR`` folder)::

        cam_a/000_45.bmp   632 images
        cam_b/000_90.bmp   632 images

    The identity is the number before the first ``_``; the rest of the name
    (the viewpoint angle) is ignored. Split ``split_id`` (0-9 in the
    literature) draws ``num_test_ids`` test identities at random (see
    :func:`~mmreid.datasets.two_camera.split_test_ids`); the others train.
    Query: ``cam_a`` images of the test ids; gallery: their ``cam_b``
    images.

    Args:
        data_root (str): The VIPeR folder.
        num_test_ids (int): Defaults to 316 (half of the identities).
        split_id (int): Defaults to 0.
        split_seed (int): Defaults to 0.
        **kwargs: See :class:`BaseReIDDataset`.

    Examples:
        >>> from mmreid.testing.classic_trees import make_viper_tree
        >>> import tempfile
        >>> root = make_viper_tree(tempfile.mkdtemp())
        >>> ds = VIPeR(data_root=root, num_test_ids=3)
        >>> ds.metainfo['num_classes'], len(ds)
        (3, 6)
        >>> ds = VIPeR(data_root=root, num_test_ids=3, test_mode=True)
        >>> ds.metainfo['num_query'], ds.metainfo['num_gallery']
        (3, 3)
    """

    METAINFO = dict(dataset_name='viper')

    def __init__(self, data_root: str, num_test_ids: int = 316,
                 **kwargs) -> None:
        super().__init__(
            data_root=data_root, num_test_ids=num_test_ids, **kwargs)

    def parse_all(self) -> List[dict]:
        """Every image of ``cam_a/`` and ``cam_b/``."""
        records: List[dict] = []
        for camid, sub in enumerate(('cam_a', 'cam_b')):
            folder = self.check_dir(
                osp.join(self.data_root, sub), f'{sub} image')
            seen: Dict[int, str] = {}
            for name in list_images(folder):
                m = VIPER_PATTERN.match(name)
                if m is None:
                    raise DatasetFormatError(
                        f'VIPeR: malformed file name {name!r} in {folder}: '
                        'expected <id>_<angle>.bmp, e.g. 000_45.bmp')
                pid = int(m.group(1))
                if pid in seen:
                    raise DatasetFormatError(
                        f'VIPeR: identity {pid} has two images in {folder} '
                        f'({seen[pid]!r}, {name!r}); VIPeR has one per '
                        'camera')
                seen[pid] = name
                records.append(
                    dict(
                        img_path=osp.join(folder, name),
                        pid=pid,
                        camid=camid))
        check_two_cameras(records, 'VIPeR', self.data_root)
        return records
