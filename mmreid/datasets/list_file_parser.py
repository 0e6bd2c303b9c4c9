# Copyright (c) mmreid contributors. All rights reserved.
"""Parsing of re-ID list files: one ``<image> <pid> [<camid>]`` per line.

Used by :class:`~mmreid.datasets.MSMT17` (whose ``list_*.txt`` files hold
``<relpath> <pid>``) and :class:`~mmreid.datasets.FileListReID` (custom data,
camera column optional).

Format:

- fields are separated by whitespace, so image paths cannot hold spaces;
- ``#`` starts a comment that runs to the end of the line (so paths cannot
  hold ``#`` either); blank and comment-only lines are skipped;
- ``<pid>`` is an integer; ``-1`` marks a junk image (dropped and counted,
  as in Market-1501); other negative pids are an error;
- ``<camid>``, when present, is a 0-based non-negative integer. A file has
  the camera column on every line or on none: a mix is an error;
- an image listed twice in one file is an error.
"""
import os.path as osp
from typing import Dict, List, Optional, Tuple

from .base_reid_dataset import DatasetFormatError


def _parse_fields(fields: List[str],
                  allow_camera: bool) -> Tuple[str, int, Optional[int]]:
    """Parse the fields of one line; raise ``ValueError(reason)``."""
    if len(fields) not in ((2, 3) if allow_camera else (2, )):
        raise ValueError(f'{len(fields)} fields')
    try:
        pid = int(fields[1])
    except ValueError:
        raise ValueError(f'pid {fields[1]!r} is not an integer') from None
    if pid < -1:
        raise ValueError(f'pid {pid} is negative (only -1, junk, is allowed)')
    if len(fields) == 2:
        return fields[0], pid, None
    try:
        camid = int(fields[2])
    except ValueError:
        raise ValueError(f'camid {fields[2]!r} is not an integer') from None
    if camid < 0:
        raise ValueError(f'camid {camid} is negative (cameras are 0-based)')
    return fields[0], pid, camid


def parse_list_file(list_file: str,
                    img_root: str,
                    allow_camera: bool = True,
                    check_exists: bool = True
                    ) -> Tuple[List[dict], int, bool]:
    """Parse a list file of ``<image> <pid> [<camid>]`` lines.

    Args:
        list_file (str): The list file.
        img_root (str): The folder the image paths are relative to
            (absolute image paths are used as they are).
        allow_camera (bool): Whether the optional ``<camid>`` column is
            allowed. If False, every line must have exactly two fields.
            Defaults to True.
        check_exists (bool): Whether to check that every listed image file
            exists. Defaults to True.

    Returns:
        tuple[list[dict], int, bool]: Records ``dict(img_path, pid, camid,
        line)`` in file order (``camid`` is 0 when the file has no camera
        column; ``line`` is the 1-based line number), the number of junk
        lines (pid -1) dropped, and whether the file has a camera column.
        A file with no entries has no camera column.

    Raises:
        FileNotFoundError: If ``list_file`` or a listed image is missing
            (naming the list file and the line number).
        DatasetFormatError: If a line is malformed (naming the list file,
            the line number and the line).

    Examples:
        >>> import tempfile, os
        >>> d = tempfile.mkdtemp()
        >>> for n in ['a.jpg', 'b.jpg', 'c.jpg']:
        ...     open(os.path.join(d, n), 'w').close()
        >>> with open(os.path.join(d, 'list.txt'), 'w') as f:
        ...     _ = f.write('# img pid cam\\na.jpg 7 1\\nb.jpg -1 0\\n'
        ...                 'c.jpg 9 2  # a comment\\n')
        >>> recs, junk, has_cam = parse_list_file(
        ...     os.path.join(d, 'list.txt'), d)
        >>> [(r['pid'], r['camid'], r['line']) for r in recs], junk, has_cam
        ([(7, 1, 2), (9, 2, 4)], 1, True)
    """
    if not osp.isfile(list_file):
        raise FileNotFoundError(f'list file {list_file} does not exist')
    expected = ('"<image> <pid> [<camid>]"'
                if allow_camera else '"<image> <pid>"')
    records: List[dict] = []
    junk = 0
    first_line = 0  # the first entry's, to catch a mixed camera column
    has_camera = False
    seen: Dict[str, int] = {}
    with open(list_file) as f:
        lines = f.read().splitlines()
    for lineno, raw in enumerate(lines, 1):
        fields = raw.split('#', 1)[0].split()
        if not fields:
            continue
        try:
            rel, pid, camid = _parse_fields(fields, allow_camera)
            if not first_line:
                first_line, has_camera = lineno, camid is not None
            elif (camid is not None) != has_camera:
                raise ValueError(
                    f'{"no" if has_camera else "a"} camera column, unlike '
                    f'line {first_line} (the camera column must be on every '
                    'line or on none)')
            if rel in seen:
                raise ValueError(
                    f'{rel!r} is already listed on line {seen[rel]}')
        except ValueError as e:
            raise DatasetFormatError(
                f'{list_file}, line {lineno}: {e}; expected {expected}, got '
                f'{raw!r}') from None
        seen[rel] = lineno
        img_path = osp.join(img_root, rel)
        if check_exists and not osp.isfile(img_path):
            raise FileNotFoundError(
                f'{list_file}, line {lineno}: image {img_path} does not '
                'exist')
        if pid == -1:
            junk += 1
            continue
        records.append(
            dict(img_path=img_path, pid=pid, camid=camid or 0, line=lineno))
    return records, junk, has_camera
