# Copyright (c) mmreid contributors. All rights reserved.
"""A re-ID dataset read from plain-text list files, for custom data."""
import os.path as osp
from typing import Dict, List, Optional

from mmreid.registry import DATASETS
from .base_reid_dataset import BaseReIDDataset, DatasetFormatError
from .list_file_parser import parse_list_file


@DATASETS.register_module()
class FileListReID(BaseReIDDataset):
    """Custom re-ID data described by one list file per split.

    Layout: any, as long as each split has a text file listing its images,
    one per line, relative to ``data_root``::

        # <image> <pid> [<camid>]
        images/alice/0001.jpg  1  0
        images/bob/0003.jpg    2  1   # trailing comments are fine

    - fields are separated by whitespace (paths cannot hold spaces or
      ``#``); ``#`` starts a comment; blank lines are skipped;
    - ``<pid>`` is any integer >= 0 (0 is an ordinary identity here, not a
      distractor); ``-1`` marks junk, dropped and counted in
      ``metainfo['num_junk']``;
    - ``<camid>`` is optional, a 0-based integer. A file has the camera
      column on every line or on none (a mix is an error naming the line).
      Without it every image gets ``camid`` 0 and
      ``metainfo['has_cameras']`` is False, so the metric can use its
      no-camera protocol instead of removing same-camera matches;
    - the query and gallery lists must agree on having cameras;
    - every listed image must exist (a missing one is an error naming the
      line), and no image may be listed twice in one file.

    Only the lists of the splits being loaded are required: ``train_list``
    for a training set, ``query_list`` and ``gallery_list`` with
    ``test_mode=True``, ``train_list`` alone for a validation split held out
    of it (``num_val_ids``, see :class:`BaseReIDDataset`).

    Args:
        data_root (str): The folder list files and image paths are relative
            to (absolute paths are used as they are).
        train_list (str, optional): The training list. Defaults to None.
        query_list (str, optional): The query list. Defaults to None.
        gallery_list (str, optional): The gallery list. Defaults to None.
        **kwargs: See :class:`BaseReIDDataset`.

    Examples:
        >>> from mmreid.testing import make_file_list_tree
        >>> import tempfile
        >>> root = make_file_list_tree(tempfile.mkdtemp())
        >>> ds = FileListReID(data_root=root, train_list='train.txt')
        >>> ds.metainfo['num_classes'], len(ds), ds.metainfo['has_cameras']
        (3, 5, True)
        >>> ds = FileListReID(
        ...     data_root=root, query_list='query_nocam.txt',
        ...     gallery_list='gallery_nocam.txt', test_mode=True)
        >>> ds.metainfo['num_query'], ds.metainfo['num_gallery']
        (2, 3)
        >>> ds.metainfo['has_cameras'], ds.metainfo['num_cameras']
        (False, 1)
    """

    METAINFO = dict(dataset_name='file_list')

    def __init__(self,
                 data_root: str,
                 train_list: Optional[str] = None,
                 query_list: Optional[str] = None,
                 gallery_list: Optional[str] = None,
                 test_mode: bool = False,
                 **kwargs) -> None:
        self.split_lists = dict(
            train=train_list, query=query_list, gallery=gallery_list)
        # a validation split (num_val_ids) is drawn from the train list
        val_split = kwargs.get('num_val_ids') is not None
        needed = ('query', 'gallery') if test_mode and not val_split else (
            'train', )
        missing = [f'{s}_list' for s in needed if not self.split_lists[s]]
        if missing:
            raise ValueError(
                f'{type(self).__name__}: {" and ".join(missing)} must be '
                f'given when test_mode={test_mode}' +
                (' and num_val_ids is set' if val_split else ''))
        self._has_cameras: Dict[str, bool] = {}
        super().__init__(data_root=data_root, test_mode=test_mode, **kwargs)

    def _list_path(self, split: str) -> str:
        """The list file of a split, joined to data_root."""
        return osp.join(self.data_root, self.split_lists[split])

    def load_data_list(self) -> List[dict]:
        """Build ``data_list`` and set ``metainfo['has_cameras']``."""
        data_list = super().load_data_list()
        splits = self.parsed_splits
        has = {s: self._has_cameras[s] for s in splits}
        if len(set(has.values())) > 1:
            with_cam = [self._list_path(s) for s in splits if has[s]]
            without = [self._list_path(s) for s in splits if not has[s]]
            raise DatasetFormatError(
                f'{type(self).__name__}: {with_cam[0]} has a camera column '
                f'but {without[0]} does not; give cameras in both lists or '
                'in neither')
        self._metainfo['has_cameras'] = all(has.values())
        return data_list

    def parse_split(self, split: str) -> List[dict]:
        """Parse one split (see :class:`BaseReIDDataset`).

        A split without a list file has no images.
        """
        if not self.split_lists[split]:
            return []
        records, junk, has_cameras = parse_list_file(
            self._list_path(split), self.data_root)
        self._has_cameras[split] = has_cameras
        self.num_junk += junk
        return records
