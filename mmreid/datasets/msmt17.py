# Copyright (c) mmreid contributors. All rights reserved.
"""MSMT17 (Wei et al., "Person Transfer GAN", CVPR 2018)."""
import os.path as osp
from typing import List, Optional

from mmreid.registry import DATASETS
from .base_reid_dataset import BaseReIDDataset, DatasetFormatError
from .list_file_parser import parse_list_file

# version -> (train image folder, test image folder)
VERSION_DIRS = {1: ('train', 'test'), 2: ('mask_train_v2', 'mask_test_v2')}


@DATASETS.register_module()
class MSMT17(BaseReIDDataset):
    """MSMT17: 4,101 identities from 15 cameras (12 outdoor, 3 indoor).

    Layout under ``data_root`` (the ``MSMT17_V1`` or ``MSMT17_V2`` folder)::

        list_train.txt  list_val.txt  list_query.txt  list_gallery.txt
        train/0000/0000_000_01_0303morning_0015_0.jpg      (V1)
        test/0000/0000_000_01_0303morning_0035_1.jpg       (V1)
        mask_train_v2/0000/...  mask_test_v2/0000/...      (V2: faces blurred)

    Each list line is ``<relpath> <pid>``, the path relative to the train
    folder (``list_train``/``list_val``) or the test folder
    (``list_query``/``list_gallery``); pids are 0-based in each part. Only
    listed images are loaded. The camera is the third ``_``-separated field
    of the file name, 1-based (``01``..``15``), stored 0-based.

    ====================  =======  =======
    list                  ids      images
    ====================  =======  =======
    list_train            1,041    30,248
    list_val              (same)   2,373
    list_query            3,060    11,659
    list_gallery          3,060    82,161
    ====================  =======  =======

    The paper's training set (1,041 ids, 32,621 images) is list_train plus
    list_val, which ``combine_train_val=True`` (the default) loads. Note that
    torchreid and fast-reid load list_train only (30,248 images) unless
    asked to combine; pass ``combine_train_val=False`` to match them.

    Args:
        data_root (str): The ``MSMT17_V1`` or ``MSMT17_V2`` folder.
        version (int, optional): 1 (``train/``, ``test/``) or 2
            (``mask_train_v2/``, ``mask_test_v2/``). None detects it from
            the folders present. Defaults to None.
        combine_train_val (bool): Add ``list_val.txt`` to the training
            split. Defaults to True.
        **kwargs: See :class:`BaseReIDDataset`.

    Examples:
        >>> from mmreid.testing import make_msmt17_tree
        >>> import tempfile
        >>> root = make_msmt17_tree(tempfile.mkdtemp(), version=2)
        >>> ds = MSMT17(data_root=root)
        >>> ds.metainfo['version'], ds.metainfo['num_classes'], len(ds)
        (2, 3, 6)
        >>> len(MSMT17(data_root=root, combine_train_val=False))
        4
        >>> ds = MSMT17(data_root=root, test_mode=True)
        >>> ds.metainfo['num_query'], ds.metainfo['num_gallery']
        (2, 4)
    """

    METAINFO = dict(dataset_name='msmt17')
    list_files = dict(
        train='list_train.txt',
        val='list_val.txt',
        query='list_query.txt',
        gallery='list_gallery.txt')

    def __init__(self,
                 data_root: str,
                 version: Optional[int] = None,
                 combine_train_val: bool = True,
                 **kwargs) -> None:
        if version is not None and version not in VERSION_DIRS:
            raise ValueError(
                f'{type(self).__name__}: version must be 1, 2 or None '
                f'(detect), got {version!r}')
        self.version = version
        self.combine_train_val = combine_train_val
        super().__init__(data_root=data_root, **kwargs)

    def _detect_version(self) -> int:
        """Return the version whose image folders exist under data_root."""
        for version, dirs in VERSION_DIRS.items():
            if all(osp.isdir(osp.join(self.data_root, d)) for d in dirs):
                return version
        raise FileNotFoundError(
            f'{type(self).__name__}: found neither the V1 image folders '
            f'(train/, test/) nor the V2 ones (mask_train_v2/, '
            f'mask_test_v2/) under {self.data_root}')

    def load_data_list(self) -> List[dict]:
        """Detect the version, then build ``data_list`` (see base class)."""
        if self.version is None:
            self.version = self._detect_version()
        self._metainfo['version'] = self.version
        return super().load_data_list()

    def parse_split(self, split: str) -> List[dict]:
        """Parse one split (see :class:`BaseReIDDataset`)."""
        train_dir, test_dir = VERSION_DIRS[self.version]
        img_dir = self.check_dir(
            osp.join(self.data_root,
                     train_dir if split == 'train' else test_dir),
            f'V{self.version} {"train" if split == "train" else "test"} '
            'image')
        lists = [split]
        if split == 'train' and self.combine_train_val:
            lists.append('val')
        records = []
        for name in lists:
            list_file = osp.join(self.data_root, self.list_files[name])
            recs, junk, _ = parse_list_file(
                list_file, img_dir, allow_camera=False)
            self.num_junk += junk
            for rec in recs:
                rec['camid'] = self._camera_of(rec, list_file)
            records += recs
        return records

    @staticmethod
    def _camera_of(record: dict, list_file: str) -> int:
        """Read the 0-based camera from an image's file name."""
        name = osp.basename(record['img_path'])
        fields = name.split('_')
        if len(fields) < 3 or not fields[2].isdigit() or int(fields[2]) < 1:
            raise DatasetFormatError(
                f'{list_file}, line {record["line"]}: malformed file name '
                f'{name!r}: expected "<pid>_<index>_<camera 01..15>_...", '
                'e.g. 0000_000_01_0303morning_0015_0.jpg')
        return int(fields[2]) - 1
