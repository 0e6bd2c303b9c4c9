# Copyright (c) mmreid contributors. All rights reserved.
"""CMC, mAP and mINP of a query x gallery distance matrix, block by block.

Ranking rule
    For each query, the valid gallery items are sorted by distance, ties by
    gallery index (a stable ascending sort of the row). The rank of an item
    (0-based) is the number of valid items before it in that order.

    No Q x G sort or index matrix is built. AP, INP and CMC only need the
    ranks of the true matches; for a block of queries, every gallery item
    is assigned the number of matches that precede it, and a histogram of
    these numbers gives, for each match, the number of valid non-matches
    before it: exactly the rank a full stable sort would give. Only items
    not farther than the query's last match can precede one; for float32
    distances these few are located among the matches by a binary search
    on exact integer keys ordered by (distance, index), other dtypes search
    every item and break ties by index. Memory: O(chunk_size x G).

Protocols (which gallery items are valid for a query)
    - ``'market'``: remove the gallery items with the query's pid *and*
      camera; pid ``-1`` (junk) never counts. Distractors (pid ``0`` in
      Market-1501) need no rule: they are negatives for every query.
    - ``'no_camera'``: for data without cameras (e.g. a custom file list):
      every gallery item except junk (pid ``-1``) is valid.
    - ``'cuhk03_single_shot'``: the ``'market'`` rule, then, for CMC, one
      gallery item per identity is drawn at random among the valid ones, and
      the first-match rank is averaged over ``repeat`` draws (as in the
      CUHK03 protocol of Li et al. and the CUHK03 evaluation of torchreid /
      fast-reid). mAP and mINP use the full ``'market'`` list. The draw of
      repeat ``r`` for query ``i`` (its row in the distance matrix) uses the
      keys ``np.random.default_rng([seed, r, i]).random(num_gallery)``: an
      identity's valid item with the largest key is kept (ties: the lowest
      gallery index). Results do not depend on ``chunk_size``.

    Queries without any valid true match are skipped and counted.

Average precision (``ap_mode``)
    With ``m`` valid true matches at 0-based ranks ``r_1 < ... < r_m`` and
    the precision at the i-th match ``P_i = i / (r_i + 1)``:

    - ``'finite_sum'`` (torchreid, fast-reid, open-reid, scikit-learn):
      :math:`AP = \\frac{1}{m} \\sum_i P_i`.
    - ``'market_interpolated'`` (the official Market-1501 devkit,
      ``compute_AP.m``): trapezoids between the precision before and at each
      match, :math:`AP = \\frac{1}{m} \\sum_i \\frac{P'_i + P_i}{2}` with
      :math:`P'_i = (i - 1) / r_i` (``1`` if ``r_i = 0``).

    INP (Ye et al., TPAMI 2021) is :math:`m / (r_m + 1)`. CMC is first-match
    (a query counts at rank ``k`` if its first valid match is in the top k).
"""
import math
from typing import Dict, Iterable, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from torch import Tensor

from .threads import single_threaded

#: The names accepted by ``protocol``.
PROTOCOLS = ('market', 'cuhk03_single_shot', 'no_camera')
#: The names accepted by ``ap_mode``.
AP_MODES = ('finite_sum', 'market_interpolated')
#: The pid of junk images: never a match, never a negative.
JUNK_PID = -1

ArrayLike = Union[Tensor, np.ndarray, Sequence[int]]


def _as_long(values: Optional[ArrayLike], name: str) -> Optional[Tensor]:
    """Convert pids / camera ids to a 1-D CPU long tensor."""
    if values is None:
        return None
    values = torch.as_tensor(
        np.asarray(values) if not isinstance(values, Tensor) else values)
    if values.ndim != 1:
        raise ValueError(f'{name} must be 1-D, got shape '
                         f'{tuple(values.shape)}')
    return values.to('cpu', torch.long)


def check_eval_args(protocol: str, ap_mode: str, topk: Sequence[int],
                    repeat: int, seed: int) -> None:
    """Raise a clear error for an unknown option.

    Args:
        protocol (str): See :data:`PROTOCOLS`.
        ap_mode (str): See :data:`AP_MODES`.
        topk (Sequence[int]): CMC ranks to report.
        repeat (int): Draws of the single-shot protocol.
        seed (int): Its seed.
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f'Unknown protocol {protocol!r}; expected one of '
                         f'{PROTOCOLS}')
    if ap_mode not in AP_MODES:
        raise ValueError(f'Unknown ap_mode {ap_mode!r}; expected one of '
                         f'{AP_MODES}')
    if len(topk) == 0 or any(int(k) < 1 for k in topk):
        raise ValueError(f'topk must hold ranks >= 1, got {topk}')
    if protocol == 'cuhk03_single_shot':
        if int(repeat) < 1:
            raise ValueError(f'repeat must be >= 1, got {repeat}')
        if int(seed) < 0:
            raise ValueError(f'seed must be >= 0, got {seed}')


def protocol_masks(q_pids: Tensor, q_camids: Optional[Tensor],
                   g_pids: Tensor, g_camids: Optional[Tensor],
                   protocol: str) -> Tuple[Tensor, Tensor]:
    """The valid gallery items and the true matches of a block of queries.

    Shared by the ranking code and by tools that show what the metric sees
    (``tools/analysis_tools/visualize_ranks.py``).

    Args:
        q_pids (Tensor): (c, ) query pids.
        q_camids (Tensor, optional): (c, ) query cameras (None for
            ``'no_camera'``).
        g_pids (Tensor): (G, ) gallery pids.
        g_camids (Tensor, optional): (G, ) gallery cameras.
        protocol (str): One of :data:`PROTOCOLS`.

    Returns:
        tuple[Tensor, Tensor]: ``valid`` and ``pos``, both (c, G) bool.
    """
    same_pid = q_pids[:, None] == g_pids[None]
    not_junk = (g_pids != JUNK_PID)[None]
    if protocol == 'no_camera':
        valid = not_junk.expand_as(same_pid).clone()
    else:
        same_cam = q_camids[:, None] == g_camids[None]
        valid = (same_pid & same_cam).logical_not_().logical_and_(not_junk)
    pos = same_pid.logical_and_(valid)
    return valid, pos


def _same_identity(q_pids: Tensor, q_camids: Optional[Tensor], g_order: Tensor,
                   g_sorted_pids: Tensor, g_camids: Optional[Tensor],
                   protocol: str) -> Tuple[Tensor, Tensor, Tensor]:
    """The gallery images of each query's identity, split by the protocol.

    Returns:
        tuple[Tensor, Tensor, Tensor]: ``same`` (c, L) gallery indices in
        increasing order (padded with G), ``is_pos`` (c, L) the valid
        matches and ``removed`` (c, L) the same-camera images.
    """
    num_gallery = g_order.numel()
    lo = torch.searchsorted(g_sorted_pids, q_pids)
    hi = torch.searchsorted(g_sorted_pids, q_pids, right=True)
    hi = torch.where(q_pids == JUNK_PID, lo, hi)
    count = hi - lo
    width = int(count.max()) if count.numel() else 0
    slot = torch.arange(width)[None]
    inside = slot < count[:, None]
    same = g_order[(lo[:, None] + slot).clamp(max=max(num_gallery - 1, 0))]
    same = torch.where(inside, same, num_gallery)
    if protocol == 'no_camera':
        is_pos = inside
    else:
        cams = g_camids[same.clamp(max=max(num_gallery - 1, 0))]
        is_pos = inside & (cams != q_camids[:, None])
    return same, is_pos, inside & ~is_pos


def _count_preceding(pos_d: Tensor, pos_j: Tensor, vals: Tensor,
                     cols: Optional[Tensor]) -> Tensor:
    """Count the matches that precede each item in (distance, index) order.

    Args:
        pos_d (Tensor): (c, M) the rows' match distances in (distance,
            index) order, padded with +inf.
        pos_j (Tensor): (c, M) their gallery indices, padded with G.
        vals (Tensor): (c, n) distances of some items.
        cols (Tensor, optional): (c, n) gallery indices of these items;
            None means ``vals`` is the whole block (index = column).

    Returns:
        Tensor: (c, n) long, the number of matches before each item.
    """
    count = torch.searchsorted(pos_d, vals)
    width = pos_d.shape[1]
    padded = torch.cat(
        [pos_d, pos_d.new_full((pos_d.shape[0], 1), math.inf)], 1)
    # An item tied with a match precedes it iff its index is smaller.
    tied = padded.gather(1, count) == vals
    if not tied.any():
        return count
    r, c = tied.nonzero(as_tuple=True)
    idx = c if cols is None else cols[r, c]
    val = vals[r, c]
    lo = count[r, c]
    extra = torch.zeros_like(lo)
    live = torch.ones_like(lo, dtype=torch.bool)
    for t in range(width):
        at = (lo + t).clamp(max=width - 1)
        live &= (lo + t < width) & (pos_d[r, at] == val) & (pos_j[r, at] < idx)
        if not live.any():
            break
        extra += live
    count[r, c] = lo + extra
    return count


def _order_key(vals: Tensor) -> Tensor:
    """Map float32 values to int64 keys with the same order and ties.

    The IEEE bit pattern of a non-negative float increases with its value;
    negative floats are mapped below, in reverse (NaN must be excluded).

    Returns:
        Tensor: int64 keys in [0, 2**32).
    """
    bits = (vals + 0.0).view(torch.int32).long()  # + 0.0: -0.0 -> +0.0
    return torch.where(bits < 0, -1 - (bits + (1 << 31)), bits) + (1 << 31)


def _composite(rows: Tensor, vals: Tensor, cols: Tensor,
               col_bits: int) -> Tensor:
    """int64 keys ordered by (row, value, column)."""
    return ((rows << 32) + _order_key(vals)) << col_bits | cols


def _positive_ranks(dist: Tensor, same: Tensor, is_pos: Tensor,
                    removed: Tensor, junk: Tensor) -> Tuple[Tensor, Tensor]:
    """Ranks among the valid items of each true match, without a full sort.

    Every gallery item is assigned the number ``s`` of true matches that
    precede it in (distance, index) order; the valid non-matches with
    ``s <= i`` are those ranked before the i-th match, so the ranks follow
    from a histogram of ``s``. Only items not farther than a row's last
    match can precede a match: for float32 distances, these items alone
    are selected and located among the matches by one binary search on
    exact integer keys ordered by (row, distance, index); other dtypes
    binary-search the whole block and then resolve ties by index. The
    histogram is corrected by removing the items that are not valid
    non-matches (the matches, the same-camera images of the query's
    identity, junk).

    Args:
        dist (Tensor): (c, G) distances.
        same (Tensor): (c, L) gallery indices of the query's identity
            (padded with G).
        is_pos (Tensor): (c, L) bool, which of them are valid matches.
        removed (Tensor): (c, L) bool, which of them the protocol removes.
        junk (Tensor): (J, ) gallery indices of the junk images.

    Returns:
        tuple[Tensor, Tensor]: ``ranks`` (c, L) long, the 0-based ranks of
        each row's matches in increasing order (columns past the row's
        match count are padding), and ``num_pos`` (c,) long.
    """
    num_rows, num_gallery = dist.shape
    width = same.shape[1]
    num_pos = is_pos.sum(1)
    if width == 0 or not bool(num_pos.any()):
        return torch.zeros(num_rows, 0, dtype=torch.long), num_pos
    pos_j = torch.where(is_pos, same, num_gallery).sort(dim=1).values
    pos_d = dist.gather(1, pos_j.clamp(max=num_gallery - 1))
    pos_d.masked_fill_(pos_j == num_gallery, math.inf)
    pos_d, order = pos_d.sort(dim=1, stable=True)
    pos_j = pos_j.gather(1, order)

    # Items that are not valid non-matches, besides the matches.
    extra_rows, extra_cols = removed.nonzero(as_tuple=True)
    extra_cols = same[extra_rows, extra_cols]
    if junk.numel():
        extra_rows = torch.cat([
            extra_rows,
            torch.arange(num_rows).repeat_interleave(junk.numel())
        ])
        extra_cols = torch.cat([extra_cols, junk.repeat(num_rows)])

    bins = width + 1
    offsets = torch.arange(num_rows) * bins
    col_bits = max(int(num_gallery).bit_length(), 1)
    row_bits = max(int(num_rows).bit_length(), 1)
    if dist.dtype == torch.float32 and row_bits + 32 + col_bits <= 63:
        # The last match of each row; farther items never precede one.
        last = pos_d.gather(1, (num_pos - 1).clamp(min=0)[:, None])
        last.masked_fill_((num_pos == 0)[:, None], -math.inf)
        r, c = (dist <= last).nonzero(as_tuple=True)
        pr, pc = is_pos.nonzero(as_tuple=True)
        del pc
        slot = torch.arange(pr.numel()) - (num_pos.cumsum(0) - num_pos)[pr]
        pos_keys = _composite(pr, pos_d[pr, slot], pos_j[pr, slot], col_bits)
        row_start = num_pos.cumsum(0) - num_pos

        def count(rows: Tensor, cols: Tensor) -> Tensor:
            keys = _composite(rows, dist[rows, cols], cols, col_bits)
            return torch.searchsorted(pos_keys, keys) - row_start[rows]

        hist = torch.bincount(
            count(r, c) + offsets[r], minlength=num_rows * bins)
        del r, c
        extra = count(extra_rows, extra_cols) if extra_rows.numel() else None
    else:
        key = _count_preceding(pos_d, pos_j, dist, None)
        key += offsets[:, None]
        hist = torch.bincount(key.view(-1), minlength=num_rows * bins)
        del key
        extra = None
        if extra_rows.numel():
            extra = _count_preceding(pos_d[extra_rows], pos_j[extra_rows],
                                     dist[extra_rows, extra_cols][:, None],
                                     extra_cols[:, None])[:, 0]
    hist = hist.view(num_rows, bins)
    # Remove the matches themselves (bins 0..m-1) and the extra items.
    # (Bins >= m of a row are never read, so items farther than its last
    # match, counted in bin m or not at all, need no care.)
    hist[:, :width] -= (torch.arange(width)[None] < num_pos[:, None]).long()
    if extra is not None:
        hist -= torch.bincount(
            extra + offsets[extra_rows],
            minlength=num_rows * bins).view(num_rows, bins)
    before = hist[:, :width].cumsum(1)
    ranks = torch.arange(width)[None] + before
    return ranks, num_pos


def _ap_inp(ranks: Tensor, num_pos: Tensor,
            ap_mode: str) -> Tuple[Tensor, Tensor]:
    """AP and INP of each row from the ranks of its matches (float64).

    Rows without a match get NaN.
    """
    width = ranks.shape[1]
    if width == 0:
        nan = torch.full((ranks.shape[0], ), math.nan, dtype=torch.float64)
        return nan, nan.clone()
    idx = torch.arange(width, dtype=torch.float64)[None]
    mask = idx < num_pos[:, None]
    # Padding columns hold arbitrary values: make them harmless.
    r = torch.where(mask, ranks.double(), idx)
    prec = (idx + 1) / (r + 1)
    if ap_mode == 'finite_sum':
        terms = prec
    else:
        prev = torch.where(r > 0, idx / r.clamp(min=1), torch.ones_like(r))
        terms = (prev + prec) / 2
    npos = num_pos.double()
    ap = torch.where(mask, terms, 0).sum(1) / npos
    last = ranks.gather(1, (num_pos - 1).clamp(min=0)[:, None])[:, 0]
    inp = npos / (last.double() + 1)
    has = num_pos > 0
    nan = torch.tensor(math.nan, dtype=torch.float64)
    return torch.where(has, ap, nan), torch.where(has, inp, nan)


def _single_shot_ranks(dist: Tensor, pos: Tensor, valid: Tensor,
                       g_group: Tensor, num_groups: int, first_row: int,
                       repeat: int, seed: int) -> Tensor:
    """First-match ranks of ``repeat`` single-shot draws (see module doc).

    Returns:
        Tensor: (c, repeat) long ranks; -1 for rows without a match.
    """
    num_rows, num_gallery = dist.shape
    out = torch.full((num_rows, repeat), -1, dtype=torch.long)
    has = pos.any(1)
    rows = has.nonzero().flatten()
    if rows.numel() == 0:
        return out
    dist, pos, valid = dist[rows], pos[rows], valid[rows]
    n = rows.numel()
    group = g_group[None].expand(n, num_gallery)
    arange = torch.arange(num_gallery)[None]
    for r in range(repeat):
        keys = torch.from_numpy(
            np.stack([
                np.random.default_rng([seed, r,
                                       first_row + int(i)]).random(num_gallery)
                for i in rows
            ]))
        keys.masked_fill_(~valid, -1.0)
        best = keys.new_full((n, num_groups),
                             -2.0).scatter_reduce_(1, group, keys, 'amax')
        chosen = valid & (keys == best.gather(1, group))
        cand = torch.where(chosen, arange, num_gallery)
        lowest = cand.new_full(
            (n, num_groups),
            num_gallery).scatter_reduce_(1, group, cand, 'amin')
        chosen &= arange == lowest.gather(1, group)
        p = (chosen & pos).to(torch.uint8).argmax(1, keepdim=True)
        d_p = dist.gather(1, p)
        precede = (dist < d_p) | ((dist == d_p) & (arange < p))
        out[rows, r] = (chosen & ~pos & precede).sum(1)
    return out


def evaluate_distance_chunks(chunks: Iterable[Tuple[int, Tensor]],
                             q_pids: ArrayLike,
                             g_pids: ArrayLike,
                             q_camids: Optional[ArrayLike] = None,
                             g_camids: Optional[ArrayLike] = None,
                             protocol: str = 'market',
                             ap_mode: str = 'finite_sum',
                             topk: Sequence[int] = (1, 5, 10),
                             repeat: int = 10,
                             seed: int = 0,
                             return_per_query: bool = False,
                             check_nan: bool = True) -> Dict:
    """Evaluate a query x gallery distance matrix given as row blocks.

    This is the core that every evaluation path of mmreid shares (features,
    a pairwise model's distances, re-ranked distances). See the module
    docstring for the ranking rule, the protocols and the AP definitions.

    Args:
        chunks (Iterable[tuple[int, Tensor]]): ``(first_row, block)`` pairs
            covering each query row exactly once; a block is (rows, G)
            floating point distances (smaller is more similar).
        q_pids (Tensor | np.ndarray | list): Q query pids.
        g_pids (Tensor | np.ndarray | list): G gallery pids.
        q_camids (optional): Q query camera ids (not needed by
            ``'no_camera'``).
        g_camids (optional): G gallery camera ids.
        protocol (str): ``'market'``, ``'cuhk03_single_shot'`` or
            ``'no_camera'``. Defaults to ``'market'``.
        ap_mode (str): ``'finite_sum'`` or ``'market_interpolated'``.
            Defaults to ``'finite_sum'``.
        topk (Sequence[int]): CMC ranks reported as ``rank{k}``. Defaults
            to (1, 5, 10).
        repeat (int): Single-shot draws. Defaults to 10.
        seed (int): Single-shot seed (>= 0). Defaults to 0.
        return_per_query (bool): Also return per-query ``ap``, ``inp`` and
            ``first_rank`` (0-based, -1 when skipped) tensors under
            ``'per_query'``. Defaults to False.
        check_nan (bool): Raise an error if a block contains NaN (skip it
            only for distances known to be NaN-free). Defaults to True.

    Returns:
        dict: ``mAP``, ``mINP`` and ``rank{k}`` as fractions in [0, 1],
        ``cmc`` (float64 tensor, CMC at ranks 1..max(topk)),
        ``num_valid_queries`` and ``num_skipped_queries``.
    """
    check_eval_args(protocol, ap_mode, topk, repeat, seed)
    q_pids = _as_long(q_pids, 'q_pids')
    g_pids = _as_long(g_pids, 'g_pids')
    q_camids = _as_long(q_camids, 'q_camids')
    g_camids = _as_long(g_camids, 'g_camids')
    if protocol != 'no_camera' and (q_camids is None or g_camids is None):
        raise ValueError(f'protocol {protocol!r} needs q_camids and '
                         "g_camids; use protocol='no_camera' for data "
                         'without cameras')
    num_query, num_gallery = q_pids.numel(), g_pids.numel()
    if q_camids is not None and q_camids.numel() != num_query:
        raise ValueError(f'q_camids has {q_camids.numel()} entries, '
                         f'q_pids {num_query}')
    if g_camids is not None and g_camids.numel() != num_gallery:
        raise ValueError(f'g_camids has {g_camids.numel()} entries, '
                         f'g_pids {num_gallery}')
    max_rank = max(int(k) for k in topk)
    single_shot = protocol == 'cuhk03_single_shot'
    if single_shot:
        _, g_group = torch.unique(g_pids, return_inverse=True)
        num_groups = int(g_group.max()) + 1 if num_gallery else 0

    g_order = torch.argsort(g_pids, stable=True)
    g_sorted_pids = g_pids[g_order]
    junk = (g_pids == JUNK_PID).nonzero().flatten()
    seen = torch.zeros(num_query, dtype=torch.bool)
    ap = torch.full((num_query, ), math.nan, dtype=torch.float64)
    inp = ap.clone()
    first = torch.full((num_query, ), -1, dtype=torch.long)
    hist = torch.zeros(max_rank + 1, dtype=torch.float64)
    for start, dist in chunks:
        dist = torch.as_tensor(dist)
        if dist.ndim != 2 or dist.shape[1] != num_gallery:
            raise ValueError(f'a distance block has shape '
                             f'{tuple(dist.shape)}; expected (rows, '
                             f'{num_gallery}) for {num_gallery} gallery '
                             'items')
        if not dist.is_floating_point():
            dist = dist.float()
        dist = dist.cpu().contiguous()
        end = start + dist.shape[0]
        if start < 0 or end > num_query or seen[start:end].any():
            raise ValueError(f'distance block rows [{start}, {end}) are out '
                             f'of range or repeated (Q={num_query})')
        seen[start:end] = True
        if check_nan and torch.isnan(dist).any():
            raise ValueError(f'the distances of query rows [{start}, '
                             f'{end}) contain NaN')
        q_cams = None if q_camids is None else q_camids[start:end]
        with single_threaded(dist.numel()):
            same, is_pos, removed = _same_identity(q_pids[start:end], q_cams,
                                                   g_order, g_sorted_pids,
                                                   g_camids, protocol)
            ranks, num_pos = _positive_ranks(dist, same, is_pos, removed, junk)
            ap[start:end], inp[start:end] = _ap_inp(ranks, num_pos, ap_mode)
            if ranks.shape[1]:
                first[start:end] = torch.where(num_pos > 0, ranks[:, 0], -1)
            if single_shot:
                valid, pos = protocol_masks(q_pids[start:end], q_cams,
                                            g_pids, g_camids, protocol)
                draws = _single_shot_ranks(dist, pos, valid, g_group,
                                           num_groups, start, int(repeat),
                                           int(seed))
                draws = draws[num_pos > 0].clamp(max=max_rank).flatten()
                hist += torch.bincount(
                    draws, minlength=max_rank + 1).double() / int(repeat)
            else:
                f = first[start:end]
                hist += torch.bincount(
                    f[f >= 0].clamp(max=max_rank),
                    minlength=max_rank + 1).double()
    if not seen.all():
        raise ValueError(f'the distance blocks covered {int(seen.sum())} of '
                         f'{num_query} query rows')
    has = first >= 0
    num_valid = int(has.sum())
    if num_valid == 0:
        raise ValueError(
            f'no query has a valid true match in the gallery under protocol '
            f'{protocol!r} ({num_query} queries): check the pids, the '
            'camera ids and the protocol')
    cmc = hist.cumsum(0)[:max_rank] / num_valid
    results = dict(
        mAP=float(ap[has].mean()),
        mINP=float(inp[has].mean()),
        cmc=cmc,
        num_valid_queries=num_valid,
        num_skipped_queries=num_query - num_valid)
    for k in topk:
        results[f'rank{int(k)}'] = float(cmc[int(k) - 1])
    if return_per_query:
        results['per_query'] = dict(ap=ap, inp=inp, first_rank=first)
    return results


def evaluate_distmat(distmat: Union[Tensor, np.ndarray],
                     q_pids: ArrayLike,
                     g_pids: ArrayLike,
                     q_camids: Optional[ArrayLike] = None,
                     g_camids: Optional[ArrayLike] = None,
                     protocol: str = 'market',
                     ap_mode: str = 'finite_sum',
                     topk: Sequence[int] = (1, 5, 10),
                     repeat: int = 10,
                     seed: int = 0,
                     chunk_size: int = 256,
                     return_per_query: bool = False) -> Dict:
    """Evaluate a dense query x gallery distance matrix.

    Use it for distances from anywhere (a pairwise model, a cascade
    re-scoring, re-ranking). A similarity or score matrix must be turned
    into a distance first (e.g. ``1 - score`` or ``-score``). See
    :func:`evaluate_distance_chunks` for the arguments and the result.

    Args:
        distmat (Tensor | np.ndarray): Q x G distances.
        chunk_size (int): Query rows processed at a time. Defaults to 256.

    Returns:
        dict: See :func:`evaluate_distance_chunks`.

    Examples:
        >>> # one query (pid 1, camera 0); gallery: pid 2, pid 1 (camera 1),
        >>> # pid 1 (camera 0, removed by the market rule), pid 1 (camera 1)
        >>> dist = torch.tensor([[0.1, 0.2, 0.0, 0.4]])
        >>> res = evaluate_distmat(dist, [1], [2, 1, 1, 1], [0], [1, 1, 0, 1],
        ...                        topk=(1, 2))
        >>> res['rank1'], res['rank2'], round(res['mAP'], 4)
        (0.0, 1.0, 0.5833)
        >>> res = evaluate_distmat(dist, [1], [2, 1, 1, 1], [0], [1, 1, 0, 1],
        ...                        ap_mode='market_interpolated')
        >>> round(res['mAP'], 4)
        0.4167
    """
    distmat = torch.as_tensor(distmat)
    if distmat.ndim != 2:
        raise ValueError('distmat must be 2-D (Q x G), got shape '
                         f'{tuple(distmat.shape)}')
    num_query = distmat.shape[0]
    chunks = ((s, distmat[s:s + chunk_size])
              for s in range(0, num_query, chunk_size))
    return evaluate_distance_chunks(chunks, q_pids, g_pids, q_camids, g_camids,
                                    protocol, ap_mode, topk, repeat, seed,
                                    return_per_query)
