# Copyright (c) mmreid contributors. All rights reserved.
"""The base class of every re-ID dataset."""
import inspect
import os.path as osp
from typing import Dict, List, Optional, Sequence

from mmengine.dataset import BaseDataset
from mmengine.logging import MMLogger

from .keypoint_cache import (check_no_extra_entries, load_keypoint_cache,
                             match_keypoint_cache)
from .sample_rng import sample_rng
from .validation_split import hold_out_identities

SPLITS = ('train', 'query', 'gallery')
#: the keyword arguments MMEngine's BaseDataset takes
_BASE_DATASET_ARGS = frozenset(
    inspect.signature(BaseDataset.__init__).parameters) - {'self'}


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

    **Validation split.** With ``num_val_ids=N`` the test split is not used
    at all: N identities of the *train* split are held out (seeded by
    ``val_seed``; :func:`hold_out_identities` says which identities qualify
    and how query images are picked: one per camera, so the Market-1501
    protocol works). With
    ``test_mode=False`` the dataset is the train split without them
    (labels re-numbered 0..C-1 over the remaining identities, so
    ``num_classes`` = identities - N); with ``test_mode=True`` it is their
    query + gallery set. Give the train and the validation dataset the same
    ``num_val_ids`` and ``val_seed`` and they are disjoint; select
    checkpoints on this set (``CheckpointHook(save_best=...)``) and report
    the test split. Both modes set ``metainfo['val_pids']`` (the held-out
    pids, sorted).

    Args:
        data_root (str): The dataset's root folder.
        test_mode (bool): Load query + gallery instead of train.
        keypoint_file (str, optional): A keypoint cache (relative to
            ``data_root`` unless absolute). Defaults to None.
        pipeline (Sequence[dict]): Transforms. Defaults to ().
        num_val_ids (int, optional): Hold out this many training identities
            as a validation query / gallery set (see above). Defaults to
            None (no validation split).
        val_seed (int): The seed of the held-out draw. Defaults to 0.
        **kwargs: Other :class:`mmengine.dataset.BaseDataset` arguments.

    Each ``data_list`` entry holds ``img_path``, ``pid``, ``label``,
    ``camid``, ``split`` and optionally ``keypoints`` (K x 3, x/y/score in
    original pixels) and ``keypoint_format``.

    Examples:
        >>> from mmreid.datasets import DemoReID
        >>> import tempfile, os.path as osp
        >>> root = osp.join(tempfile.mkdtemp(), 'demo')
        >>> small = dict(num_train_ids=5, num_test_ids=2, num_cameras=3,
        ...              images_per_id=4, img_size=(32, 16),
        ...              num_distractors=0, num_junk=0)
        >>> train = DemoReID(data_root=root, num_val_ids=2, **small)
        >>> val = DemoReID(data_root=root, num_val_ids=2, test_mode=True,
        ...                **small)
        >>> held = train.metainfo['val_pids']
        >>> train.metainfo['num_classes'], len(held)
        (3, 2)
        >>> sorted({val[i]['pid'] for i in range(len(val))}) == held
        True
        >>> set(held) & {train[i]['pid'] for i in range(len(train))}
        set()
    """

    METAINFO: dict = dict(dataset_name='reid')

    def __init__(self,
                 data_root: str,
                 test_mode: bool = False,
                 keypoint_file: Optional[str] = None,
                 pipeline: Sequence = (),
                 num_val_ids: Optional[int] = None,
                 val_seed: int = 0,
                 **kwargs) -> None:
        unknown = sorted(set(kwargs) - _BASE_DATASET_ARGS)
        if unknown:
            raise TypeError(
                f'{type(self).__name__}: unknown argument(s) {unknown} '
                '(mistyped?); it takes data_root, test_mode, keypoint_file, '
                'pipeline, num_val_ids, val_seed, its own options and '
                f'MMEngine BaseDataset\'s {sorted(_BASE_DATASET_ARGS)}')
        self.keypoint_file = keypoint_file
        self.num_val_ids = num_val_ids
        self.val_seed = int(val_seed)
        self.val_pids: List[int] = []
        self._parsed_paths: List[str] = []
        self.num_junk = 0
        #: the splits :meth:`load_data_list` parsed (``('train', )`` for a
        #: validation split in either mode)
        self.parsed_splits: Sequence[str] = ()
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
                'docs/en/dataset_preparation.md for the expected layout.')
        return path

    def __getitem__(self, idx: int) -> dict:
        """Load sample ``idx``, seeded by the sampler if it carries a seed.

        Training samplers yield :class:`~mmreid.datasets.sample_rng.
        SeededIndex` items; the pipeline then runs inside
        :func:`~mmreid.datasets.sample_rng.sample_rng`, so its random
        augmentation depends only on the sample's seed.
        """
        with sample_rng(idx):
            return super().__getitem__(idx)

    # ---------------------------------------------------------- internals --
    def load_data_list(self) -> List[dict]:
        """Build ``data_list`` from :meth:`parse_split` (see class doc)."""
        self.num_junk = 0
        splits = ('query', 'gallery') if self.test_mode else ('train', )
        records = self._parse_records(splits)
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
        if self.num_val_ids is not None:
            self._metainfo['val_pids'] = self.val_pids
        self._metainfo['num_ids'] = len({d['pid'] for d in data_list})
        self._metainfo['num_cameras'] = len({d['camid'] for d in data_list})
        self._metainfo['num_images'] = len(data_list)
        self._metainfo['num_junk'] = self.num_junk
        if self.keypoint_file:
            self._attach_keypoints(data_list)
        logger = MMLogger.get_current_instance()
        mode = 'test' if self.test_mode else 'train'
        if self.num_val_ids is not None:
            mode = ('validation split' if self.test_mode else
                    f'train minus {len(self.val_pids)} validation ids')
        logger.info(
            f'{type(self).__name__} ({mode}'
            f'): {len(data_list)} images, {self._metainfo["num_ids"]} ids, '
            f'{self._metainfo["num_cameras"]} cameras, {self.num_junk} junk '
            'images dropped')
        return data_list

    def _parse_records(self, splits: Sequence[str]) -> Dict[str, List[dict]]:
        """Records of each wanted split, from the validation split if set."""
        if self.num_val_ids is None:
            self.parsed_splits = tuple(splits)
            records = {s: self.parse_split(s) for s in splits}
            self._parsed_paths = [
                r['img_path'] for s in splits for r in records[s]
            ]
            return records
        self.parsed_splits = ('train', )
        train = self.parse_split('train')
        self._parsed_paths = [r['img_path'] for r in train]
        if not train:
            raise DatasetFormatError(
                f'{type(self).__name__}: the train split under '
                f'{self.data_root} has no images to hold validation '
                'identities out of')
        rest, query, gallery = hold_out_identities(
            train,
            self.num_val_ids,
            seed=self.val_seed,
            where=f'the train split of {type(self).__name__} under '
            f'{self.data_root} (num_val_ids)')
        self.val_pids = sorted({int(r['pid']) for r in query})
        if self.test_mode:
            return dict(query=query, gallery=gallery)
        return dict(train=rest)

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
        # another dataset (or version): check against every split (with a
        # validation split, the parsed train split includes the images of
        # the part not loaded).
        loaded = set(self.parsed_splits)
        every = [rel(p) for p in self._parsed_paths]
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
