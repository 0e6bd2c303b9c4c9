# Copyright (c) mmreid contributors. All rights reserved.
"""Drawing of ranked gallery lists for a few queries."""
from typing import List, Optional, Sequence

import cv2
import numpy as np

GREEN = (0, 170, 0)
RED = (0, 0, 220)
GREY = (160, 160, 160)


def _load(path: str, size: Sequence[int]) -> np.ndarray:
    """Read an image (BGR) resized to ``size`` = (h, w)."""
    img = cv2.imread(path, cv2.IMREAD_COLOR)
    if img is None:
        raise FileNotFoundError(f'cannot read image {path}')
    return cv2.resize(img, (size[1], size[0]))


def draw_ranked_list(
        query_paths: Sequence[str],
        gallery_paths: Sequence[Sequence[str]],
        matches: Optional[Sequence[Sequence[bool]]],
        out_file: Optional[str] = None,
        img_size: Sequence[int] = (128, 64),
        border: int = 4,
        gap: int = 12,
        titles: Optional[List[str]] = None,
        item_labels: Optional[Sequence[Sequence[str]]] = None) -> np.ndarray:
    """Draw one row per query: the query, then its top-k gallery images
    framed green (same identity) or red (another identity), or grey when
    identities are unknown.

    Args:
        query_paths (Sequence[str]): One image path per row.
        gallery_paths (Sequence[Sequence[str]]): The ranked gallery paths of
            each query (same length per row).
        matches (Sequence[Sequence[bool]], optional): Whether each ranked
            item has the query's identity; None (unknown) frames them grey.
        out_file (str, optional): Write the picture there (PNG/JPG).
        img_size (Sequence[int]): (h, w) of each thumbnail.
        border (int): Frame width in pixels.
        gap (int): Space between the query and its list.
        titles (list[str], optional): A caption per row (e.g. its AP).
        item_labels (Sequence[Sequence[str]], optional): A short text under
            each ranked item (e.g. its distance).

    Returns:
        np.ndarray: The picture (BGR, uint8).

    Examples:
        >>> import tempfile, os
        >>> d = tempfile.mkdtemp()
        >>> p = os.path.join(d, 'a.png')
        >>> _ = cv2.imwrite(p, np.zeros((8, 4, 3), np.uint8))
        >>> draw_ranked_list([p], [[p, p]], [[True, False]]).shape
        (156, 228, 3)
        >>> draw_ranked_list([p], [[p, p]], None,
        ...                  item_labels=[['0.12', '0.50']]).shape
        (170, 228, 3)
    """
    h, w = img_size
    cell_h, cell_w = h + 2 * border, w + 2 * border
    caption = 20
    label_h = 14 if item_labels is not None else 0
    if matches is None:
        matches = [[None] * len(gal) for gal in gallery_paths]
    rows = []
    for i, (q, gal, match) in enumerate(
            zip(query_paths, gallery_paths, matches)):
        k = len(gal)
        row = np.full((cell_h + caption + label_h, cell_w * (k + 1) + gap, 3),
                      255, np.uint8)
        row[caption + border:caption + border + h,
            border:border + w] = _load(q, img_size)
        for j, (g, m) in enumerate(zip(gal, match)):
            x0 = cell_w * (j + 1) + gap
            row[caption:caption + cell_h, x0:x0 + cell_w] = \
                GREY if m is None else GREEN if m else RED
            row[caption + border:caption + border + h,
                x0 + border:x0 + border + w] = _load(g, img_size)
            if item_labels is not None:
                cv2.putText(row, str(item_labels[i][j]),
                            (x0 + 1, caption + cell_h + label_h - 3),
                            cv2.FONT_HERSHEY_SIMPLEX, 0.35, (0, 0, 0), 1,
                            cv2.LINE_AA)
        text = titles[i] if titles else f'query {i}'
        cv2.putText(row, text, (2, 14), cv2.FONT_HERSHEY_SIMPLEX, 0.4,
                    (0, 0, 0), 1, cv2.LINE_AA)
        rows.append(row)
    width = max(r.shape[1] for r in rows)
    rows = [
        np.pad(r, ((0, 0), (0, width - r.shape[1]), (0, 0)),
               constant_values=255) for r in rows
    ]
    canvas = np.concatenate(rows, axis=0)
    if out_file is not None:
        if not cv2.imwrite(out_file, canvas):
            raise OSError(f'cannot write {out_file}')
    return canvas
