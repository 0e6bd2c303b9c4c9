# Copyright (c) mmreid contributors. All rights reserved.
"""Parsing of folders laid out and named like Market-1501.

Market-1501, DukeMTMC-reID, CUHK03-NP and the demo dataset share the layout
``bounding_box_train/``, ``query/``, ``bounding_box_test/`` and file names
that start with ``<pid>_c<camera>``, e.g. ``0002_c1s1_000451_03.jpg`` or
``0005_c2_f0046985.jpg``.
"""
import os
import os.path as osp
import re
from typing import List, Tuple

from .base_reid_dataset import BaseReIDDataset

IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp')
MARKET_PATTERN = re.compile(r'^(-?\d+)_c(\d+)')


def list_images(folder: str) -> List[str]:
    """List the image files of a folder (sorted, by extension).

    Args:
        folder (str): The folder.

    Returns:
        list[str]: File names (not paths) whose extension is an image's.
    """
    return sorted(f for f in os.listdir(folder)
                  if f.lower().endswith(IMG_EXTENSIONS))


def parse_market_style_folder(folder: str,
                              pattern: re.Pattern = MARKET_PATTERN,
                              keep_distractors: bool = True
                              ) -> Tuple[List[dict], int]:
    """Parse a folder of Market-style named images.

    pid ``-1`` marks junk images: they are dropped and counted. pid ``0``
    marks distractors: kept (negatives for every query) unless
    ``keep_distractors`` is False, in which case they raise.

    Args:
        folder (str): The folder.
        pattern (re.Pattern): A regex whose groups 1 and 2 are the pid and the
            1-based camera number.
        keep_distractors (bool): Whether pid 0 is legal here (gallery).

    Returns:
        tuple[list[dict], int]: Records ``dict(img_path, pid, camid)`` with a
        0-based ``camid``, and the number of junk images dropped.

    Raises:
        ValueError: If a file name does not match ``pattern`` (naming the
            file and the expected form).

    Examples:
        >>> import tempfile, os
        >>> d = tempfile.mkdtemp()
        >>> for n in ['0002_c1s1_000451_03.jpg', '-1_c3s1_000101_00.jpg']:
        ...     open(os.path.join(d, n), 'w').close()
        >>> recs, junk = parse_market_style_folder(d)
        >>> [(r['pid'], r['camid']) for r in recs], junk
        ([(2, 0)], 1)
    """
    records, junk = [], 0
    for name in list_images(folder):
        m = pattern.match(name)
        if m is None:
            raise ValueError(
                f'malformed file name {name!r} in {folder}: expected '
                f'"<pid>_c<camera>..." matching {pattern.pattern!r}, e.g. '
                '0002_c1s1_000451_03.jpg')
        pid, cam = int(m.group(1)), int(m.group(2))
        if pid == -1:
            junk += 1
            continue
        if pid == 0 and not keep_distractors:
            raise ValueError(
                f'distractor image {name!r} (pid 0) in {folder}, where only '
                'labelled identities are expected')
        if cam < 1:
            raise ValueError(
                f'file name {name!r} in {folder}: camera numbers start at 1')
        records.append(
            dict(img_path=osp.join(folder, name), pid=pid, camid=cam - 1))
    return records, junk


class MarketStyleDataset(BaseReIDDataset):
    """A dataset laid out and named like Market-1501 (see the module doc).

    Subclasses set ``METAINFO`` and, if their folders differ,
    ``split_dirs`` or :meth:`split_folder`. pid -1 is junk (dropped and
    counted), pid 0 a distractor (legal in the gallery only).

    Args:
        data_root (str): The dataset folder.
        **kwargs: See :class:`BaseReIDDataset`.
    """

    split_dirs = dict(
        train='bounding_box_train', query='query', gallery='bounding_box_test')

    def split_folder(self, split: str) -> str:
        """The folder of one split.

        Args:
            split (str): ``'train'``, ``'query'`` or ``'gallery'``.

        Returns:
            str: Its path.
        """
        return osp.join(self.data_root, self.split_dirs[split])

    def parse_split(self, split: str) -> List[dict]:
        """Parse one split (see :class:`BaseReIDDataset`)."""
        folder = self.check_dir(self.split_folder(split), f'{split} split')
        records, junk = parse_market_style_folder(
            folder, keep_distractors=(split == 'gallery'))
        self.num_junk += junk
        return records
