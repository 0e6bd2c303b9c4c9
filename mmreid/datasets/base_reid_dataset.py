# Copyright (c) mmreid contributors. All rights reserved.
"""The base class of every re-ID dataset."""
import os.path as osp
from typing import Dict, List, Optional, Sequence

from mmengine.dataset import BaseDataset
from mmengine.logging import MMLogger

from .keypoint_cache import (check_no_extra_entries, load_keypoint_cache,
                             match_keypoint_cache)

SPLITS = ('train', 'query', 'gallery')


class DatasetFormatError(ValueError):
    """Raised when a dataset's files do not follow its documented layout."""


class BaseReIDDataset(BaseDataset):
    """Base class of re-ID datasets (the contract: docs/en/datasets.md).

    Subclasses implement :meth:`parse_split`, which returns one record per
    image of a split: ``dict(img_path, pid, camid)``. This class then

    - with ``test_mode=False`` keeps the ``train`` split and relabels its pids
      to contiguous ``label`` values 0..C-1 (sorted by pid), setting
      ``metainfo['num_classes']``;
    - with ``test_mode=True`` keeps the ``query`` images followed by the
      ``gallery`` images (``label`` = -1), setting ``metainfo['num_query']``
      and ``metainfo['num_gallery']``;
    - always sets ``metainfo['num_cameras']``, ``num_ids`` and ``num_images``;
    - attaches ``keypoints`` from a keypoint cache (``keypoint_file``),
      checking it covers exactly the dataset's images.

    Args:
        data_root (str): The dataset's root folder.
        test_mode (bool): Load query + gallery instead of train.
        keypoint_file (str, optional): A keypoint cache (relative to
            ``data_root`` unless absolute). Defaults to None.
        pipeline (Sequence[dict]): Transforms. Defaults to ().
        **kwargs: Other :class:`mmengine.dataset.BaseDataset` arguments.

    Each ``data_list`` entry holds ``img_path``, ``pid``, ``label``,
    ``camid``, ``split`` and optionally ``keypoints`` (K x 3, x/y/score in
    original pixels) and ``keypoint_format``.
    """

    METAINFO: dict = dict(dataset_name='reid')

    def __init__(self,
                 data_root: str,
                 test_mode: bool = False,
                 keypoint_file: Optional[str] = None,
                 pipeline: Sequence = (),
                 **kwargs) -> None:
        self.keypoint_file = keypoint_file
        self.num_junk = 0
        super().__init__(
            data_root=data_root,
            test_mode=test_mode,
            pipeline=list(pipeline),
            **kwargs)

    # ---------------------------------------------------------- interface --
    def parse_split(self, split: str) -> List[dict]:
        """Parse one split of the dataset.

        Args:
            split (str): ``'train'``, ``'query'`` or ``'gallery'``.

        Returns:
            list[dict]: Records with ``img_path`` (absolute), ``pid`` (int)
            and ``camid`` (int, 0-based). Junk images must already be
            dropped (count them in ``self.num_junk``).
        """
        raise NotImplementedError(
            f'{type(self).__name__} must implement parse_split()')

    # ------------------------------------------------------------ helpers --
    def check_dir(self, path: str, what: str) -> str:
        """Return ``path`` if it is a folder, else raise a clear error.

        Args:
            path (str): The folder.
            what (str): What the folder should hold, for the message.

        Returns:
            str: ``path``.
        """
        if not osp.isdir(path):
            raise FileNotFoundError(
                f'{type(self).__name__}: the {what} folder {path} does not '
                f'exist (data_root={self.data_root!r}). See '
                'docs/en/datasets.md for the expected layout.')
        return path

    # ---------------------------------------------------------- internals --
    def load_data_list(self) -> List[dict]:
        """Build ``data_list`` from :meth:`parse_split` (see class doc)."""
        self.num_junk = 0
        splits = ('query', 'gallery') if self.test_mode else ('train', )
        records: Dict[str, List[dict]] = {s: self.parse_split(s) for s in splits}
        data_list: List[dict] = []
        for split in splits:
            if not records[split]:
                raise DatasetFormatError(
                    f'{type(self).__name__}: the {split} split under '
                    f'{self.data_root} has no images')
            for rec in records[split]:
                data_list.append(
                    dict(
                        img_path=rec['img_path'],
                        pid=int(rec['pid']),
                        camid=int(rec['camid']),
                        split=split,
                        label=-1))
        if not self.test_mode:
            pids = sorted({d['pid'] for d in data_list})
            pid2label = {pid: i for i, pid in enumerate(pids)}
            for d in data_list:
                d['label'] = pid2label[d['pid']]
            self._metainfo['num_classes'] = len(pids)
        else:
            self._metainfo['num_query'] = len(records['query'])
            self._metainfo['num_gallery'] = len(records['gallery'])
        self._metainfo['num_ids'] = len({d['pid'] for d in data_list})
        self._metainfo['num_cameras'] = len({d['camid'] for d in data_list})
        self._metainfo['num_images'] = len(data_list)
        self._metainfo['num_junk'] = self.num_junk
        if self.keypoint_file:
            self._attach_keypoints(data_list)
        logger = MMLogger.get_current_instance()
        logger.info(
            f'{type(self).__name__} ({"test" if self.test_mode else "train"}'
            f'): {len(data_list)} images, {self._metainfo["num_ids"]} ids, '
            f'{self._metainfo["num_cameras"]} cameras, {self.num_junk} junk '
            'images dropped')
        return data_list

    def _attach_keypoints(self, data_list: List[dict]) -> None:
        """Load the keypoint cache and attach each image's keypoints."""
        path = self.keypoint_file
        if not osp.isabs(path):
            path = osp.join(self.data_root, path)
        cache = load_keypoint_cache(path)
        root = self.data_root

        def rel(p):
            return osp.relpath(p, root).replace(osp.sep, '/')

        wanted = [rel(d['img_path']) for d in data_list]
        kpts = match_keypoint_cache(cache, wanted, path)
        # An entry for an image of no split at all means a cache made for
        # another dataset (or version): check against every split.
        loaded = {d['split'] for d in data_list}
        every = list(wanted)
        num_junk = self.num_junk
        for split in SPLITS:
            if split in loaded:
                continue
            try:
                every += [rel(r['img_path']) for r in self.parse_split(split)]
            except FileNotFoundError:
                pass
        self.num_junk = num_junk
        check_no_extra_entries(cache, every, path)
        for d, r in zip(data_list, wanted):
            d['keypoints'] = kpts[r].copy()
            d['keypoint_format'] = cache['format']
        self._metainfo['keypoint_format'] = cache['format']
