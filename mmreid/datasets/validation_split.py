# Copyright (c) mmreid contributors. All rights reserved.
"""A validation split held out of the training identities.

Selecting a checkpoint (``CheckpointHook(save_best=...)``) on the test
query / gallery reports a number tuned on the test set. This module turns a
few *training* identities into a query / gallery set instead, so that model
selection never sees a test image; the training split then excludes them.
"""
from collections import defaultdict
from typing import Dict, List, Sequence, Tuple

import numpy as np


def hold_out_identities(records: Sequence[dict],
                        num_ids: int,
                        seed: int = 0,
                        where: str = 'the train split'
                        ) -> Tuple[List[dict], List[dict], List[dict]]:
    """Split training records into train / held-out query / gallery.

    ``num_ids`` identities are drawn (a permutation of the sorted eligible
    pids by ``np.random.default_rng(seed)``, so the same records and seed
    always hold out the same identities) and become a query / gallery set:

    - With several cameras in ``records``, only identities seen by at least
      two cameras are eligible. Each held-out identity gives one query
      image (drawn at random) per camera that has at least two of its
      images, the rest go to the gallery; if none of its cameras has two
      images, one image of a random camera is the query. Either way every
      camera of the identity (but that single query's) keeps a gallery
      image, so every query has a true match in another camera, as the
      Market-1501 protocol requires (it ignores same-camera matches).
    - With a single camera (e.g. a list file without a camera column),
      identities with at least two images are eligible and each gives one
      random query image.

    Identities that are not held out stay in the training split.

    Args:
        records (Sequence[dict]): Records with ``pid`` and ``camid``, e.g.
            :meth:`BaseReIDDataset.parse_split` of ``'train'``.
        num_ids (int): How many identities to hold out (>= 1).
        seed (int): The seed of the draw. Defaults to 0.
        where (str): What ``records`` are, for error messages.

    Returns:
        tuple[list[dict], list[dict], list[dict]]: The training records of
        the other identities, the query records and the gallery records of
        the held-out ones, each in the order of ``records``.

    Raises:
        ValueError: If ``num_ids`` is not a positive integer, exceeds the
            number of eligible identities, or would leave no identity for
            training.

    Examples:
        >>> recs = [dict(pid=p, camid=c) for p in (1, 2, 3) for c in (0, 0, 1)]
        >>> train, query, gallery = hold_out_identities(recs, 1, seed=0)
        >>> sorted({r['pid'] for r in train})
        [1, 2]
        >>> [(r['pid'], r['camid']) for r in query]
        [(3, 0)]
        >>> [(r['pid'], r['camid']) for r in gallery]
        [(3, 0), (3, 1)]
    """
    if isinstance(num_ids, bool) or not isinstance(
            num_ids, (int, np.integer)) or num_ids < 1:
        raise ValueError(f'the number of held-out validation identities must '
                         f'be a positive integer, got {num_ids!r}')
    num_ids = int(num_ids)
    by_pid: Dict[int, List[int]] = defaultdict(list)
    for i, rec in enumerate(records):
        by_pid[int(rec['pid'])].append(i)
    multi_camera = len({int(r['camid']) for r in records}) > 1
    if multi_camera:
        eligible = sorted(
            pid for pid, idx in by_pid.items()
            if len({int(records[i]['camid']) for i in idx}) >= 2)
        rule = 'seen by at least two cameras'
    else:
        eligible = sorted(pid for pid, idx in by_pid.items() if len(idx) >= 2)
        rule = 'with at least two images'
    if num_ids > len(eligible) or num_ids >= len(by_pid):
        raise ValueError(
            f'cannot hold out {num_ids} validation identities from {where}: '
            f'it has {len(by_pid)} identities, {len(eligible)} of them '
            f'{rule} (only those can be held out), and at least one identity '
            'must stay for training')
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(eligible))
    held = sorted(eligible[k] for k in perm[:num_ids])
    query_idx = set()
    for pid in held:
        idx = by_pid[pid]
        if not multi_camera:
            query_idx.add(idx[rng.integers(len(idx))])
            continue
        by_cam: Dict[int, List[int]] = defaultdict(list)
        for i in idx:
            by_cam[int(records[i]['camid'])].append(i)
        cams = sorted(by_cam)
        chosen = [
            by_cam[c][rng.integers(len(by_cam[c]))] for c in cams
            if len(by_cam[c]) >= 2
        ]
        if not chosen:  # every camera has one image: one query
            chosen = [by_cam[cams[rng.integers(len(cams))]][0]]
        query_idx.update(chosen)
    held_set = set(held)
    train, query, gallery = [], [], []
    for i, rec in enumerate(records):
        if int(rec['pid']) not in held_set:
            train.append(rec)
        elif i in query_idx:
            query.append(rec)
        else:
            gallery.append(rec)
    return train, query, gallery
