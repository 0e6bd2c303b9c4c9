# Copyright (c) mmreid contributors. All rights reserved.
"""k-reciprocal re-ranking (Zhong et al., CVPR 2017) in O((Q + G) x k) memory.

Variant implemented: the published ``re_ranking(q_g_dist, q_q_dist,
g_g_dist, k1, k2, lambda_value)`` code, with a fixed tie rule. Over the
N = Q + G items (queries first), with the distance blocks ``d_qq``,
``d_qg``, ``d_gg`` and ``d_gq = d_qg^T`` (as the published code builds its
N x N matrix):

1. ``D[i, j] = d(i, j)^2 / max_j' d(i, j')^2``: squared distances, each row
   divided by its maximum. (The published code divides each *column* by its
   maximum and transposes, which is the same for a symmetric ``d``.)
2. ``N(i, k)``: the first ``k`` items of row ``i`` of ``D`` in stable
   ascending order (ties by index), the item itself included.
3. k-reciprocal set ``R(i) = {j in N(i, k1 + 1): i in N(j, k1 + 1)}``.
4. Expansion: for each ``c`` in ``R(i)``, with ``h = round(k1 / 2)`` and
   ``R'(c) = {j in N(c, h + 1): c in N(j, h + 1)}``, add ``R'(c)`` to the
   set if ``|R'(c) & R(i)| > 2/3 |R'(c)|``.
5. ``V[i, j] = exp(-D[i, j]) / sum_j' exp(-D[i, j'])`` over the expanded set.
6. Local query expansion (if ``k2 > 1``): ``V[i] <- mean of V[j]`` over
   ``j in N(i, k2)``.
7. Jaccard distance ``J[i, j] = 1 - m / (2 - m)`` with
   ``m = sum_l min(V[i, l], V[j, l])``.
8. ``final = (1 - lambda) * J + lambda * D``, restricted to query rows and
   gallery columns.

Nothing of size N x N is built. Pass 1 computes the distance blocks
``d_qq, d_qg`` (query blocks of rows) and ``d_gg`` (gallery blocks) once,
keeping each row's maximum and its ``num_candidates`` smallest values (a
gallery row collects its query columns from the transposed ``d_qg``
blocks); the candidates are then ordered by ``D`` and the first ``k1 + 1``
are the neighbours (a row whose order is not decided by its candidates is
recomputed in full). Pass 2 builds ``V`` as a sparse matrix from these
lists (a value of ``D`` missing from them is recomputed for its pair
only); the Jaccard term is a sparse join through an inverted index of
``V``'s columns, one block of queries at a time, and the result is
produced block by block (with ``d_qg^2`` kept from pass 1 when it is small
enough, see ``keep_qg_bytes``, else computed again in the same blocks).
"""
from typing import Callable, Iterator, Optional, Tuple

import torch
from torch import Tensor

from .distance import (DistanceFn, _PreparedFeatures, call_distance_fn,
                       check_metric)
from .threads import single_threaded


class _Blocks:
    """The distance blocks ``d_qq``, ``d_qg`` and ``d_gg`` by rows.

    Args:
        query (Tensor): Q query items.
        gallery (Tensor): G gallery items.
        metric (str): Built-in metric (when ``distance_fn`` is None).
        distance_fn (callable, optional): ``fn(rows, cols) -> distances``.
        chunk_size (int): Rows per block.
    """

    def __init__(self, query: Tensor, gallery: Tensor, metric: str,
                 distance_fn: Optional[DistanceFn], chunk_size: int) -> None:
        self.query, self.gallery = query, gallery
        self.num_query = query.shape[0]
        self.num = self.num_query + gallery.shape[0]
        self.distance_fn = distance_fn
        self.chunk_size = chunk_size
        if distance_fn is None:
            self.prep_q = _PreparedFeatures(query, metric)
            self.prep_g = _PreparedFeatures(gallery, metric)
            for prep in (self.prep_q, self.prep_g):
                if not torch.isfinite(prep.feats).all():
                    raise ValueError('re-ranking: the features contain '
                                     'NaN or inf')
        self.rowmax: Optional[Tensor] = None

    def _call(self, rows: Tensor, cols: Tensor) -> Tensor:
        dist = call_distance_fn(self.distance_fn, rows, cols)
        if torch.isnan(dist).any():
            raise ValueError('re-ranking: the distances contain NaN')
        return dist

    def qq(self, start: int, end: int) -> Tensor:
        """``d(query[start:end], query)``."""
        if self.distance_fn is None:
            return self.prep_q.block(self.prep_q, start, end)
        return self._call(self.query[start:end], self.query)

    def qg(self, start: int, end: int) -> Tensor:
        """``d(query[start:end], gallery)``."""
        if self.distance_fn is None:
            return self.prep_g.block(self.prep_q, start, end)
        return self._call(self.query[start:end], self.gallery)

    def gg(self, start: int, end: int) -> Tensor:
        """``d(gallery[start:end], gallery)``."""
        if self.distance_fn is None:
            return self.prep_g.block(self.prep_g, start, end)
        return self._call(self.gallery[start:end], self.gallery)

    def pairs(self, rows: Tensor, cols: Tensor) -> Tensor:
        """``D[rows[k], cols[k]]`` (normalised) for a list of pairs."""
        nq = self.num_query
        if self.distance_fn is None:
            d = torch.empty(rows.numel(), dtype=torch.float32)
            for r_q in (True, False):
                for c_q in (True, False):
                    sel = ((rows < nq) == r_q) & ((cols < nq) == c_q)
                    if not sel.any():
                        continue
                    r = rows[sel] - (0 if r_q else nq)
                    c = cols[sel] - (0 if c_q else nq)
                    prep_r = self.prep_q if r_q else self.prep_g
                    prep_c = self.prep_q if c_q else self.prep_g
                    d[sel] = prep_c.pairs(prep_r, r, c)
            return d.mul_(d).div_(self.rowmax[rows])
        out = torch.empty(rows.numel(), dtype=torch.float32)
        uniq, inv = torch.unique(rows, return_inverse=True)
        for s in range(0, uniq.numel(), 256):
            ids = uniq[s:s + 256]
            full = self.full_rows(ids)
            full = full.mul_(full).div_(self.rowmax[ids, None])
            sel = (inv >= s) & (inv < s + 256)
            out[sel] = full[inv[sel] - s, cols[sel]]
        return out

    def full_rows(self, ids: Tensor) -> Tensor:
        """Whole rows ``d(i, :)`` of the N x N matrix (for rare cases).

        A query row is ``[d_qq[i], d_qg[i]]`` and a gallery row
        ``[d_qg[:, j]^T, d_gg[j]]``. Built-in metrics recompute them in the
        blocks of pass 1 so that the values are bitwise the same.
        """
        nq = self.num_query
        out = torch.empty(ids.numel(), self.num, dtype=torch.float32)
        is_q = ids < nq
        if self.distance_fn is not None:
            q_ids, g_ids = ids[is_q], ids[~is_q] - nq
            if q_ids.numel():
                out[is_q] = torch.cat([
                    self._call(self.query[q_ids], self.query),
                    self._call(self.query[q_ids], self.gallery)
                ], 1)
            if g_ids.numel():
                out[~is_q] = torch.cat([
                    self._call(self.query, self.gallery[g_ids]).t(),
                    self._call(self.gallery[g_ids], self.gallery)
                ], 1)
            return out
        size, ng = self.chunk_size, self.num - nq
        q_pos = is_q.nonzero().flatten()
        g_pos = (~is_q).nonzero().flatten()
        for start in (ids[q_pos] // size * size).unique().tolist():
            end = min(start + size, nq)
            sel = q_pos[(ids[q_pos] >= start) & (ids[q_pos] < end)]
            out[sel, :nq] = self.qq(start, end)[ids[sel] - start]
            out[sel, nq:] = self.qg(start, end)[ids[sel] - start]
        if g_pos.numel():
            g_ids = ids[g_pos] - nq
            for start in range(0, nq, size):
                end = min(start + size, nq)
                out[g_pos, start:end] = self.qg(start, end)[:, g_ids].t()
            for start in (g_ids // size * size).unique().tolist():
                end = min(start + size, ng)
                inside = (g_ids >= start) & (g_ids < end)
                out[g_pos[inside], nq:] = self.gg(start,
                                                  end)[g_ids[inside] - start]
        return out


def _expand_csr(rowptr: Tensor, which: Tensor) -> Tuple[Tensor, Tensor]:
    """Entries of CSR rows ``which``: (owner position, entry position)."""
    lens = rowptr[which + 1] - rowptr[which]
    owner = torch.repeat_interleave(torch.arange(which.numel()), lens)
    offsets = lens.cumsum(0) - lens
    pos = rowptr[which][owner] + torch.arange(owner.numel()) - offsets[owner]
    return owner, pos


def _k_reciprocal_weights(rows: _Blocks, nbr: Tensor, cand_idx: Tensor,
                          cand_val: Tensor, k1: int,
                          block: int) -> Tuple[Tensor, Tensor, Tensor]:
    """Steps 3-5: the sparse matrix V as CSR (rowptr, cols, vals)."""
    num, kk = nbr.shape
    kh1 = min(int(round(k1 / 2)) + 1, num)
    half = nbr[:, :kh1]
    half_recip = torch.empty(num, kh1, dtype=torch.bool)
    for s in range(0, num, block):
        ids = torch.arange(s, min(s + block, num))
        half_recip[ids] = (nbr[half[ids], :kh1] == ids[:, None, None]).any(-1)
    half_size = half_recip.sum(1)

    all_cols, all_vals, counts = [], [], []
    num_cand = cand_idx.shape[1]
    for s in range(0, num, block):
        ids = torch.arange(s, min(s + block, num))
        n = ids.numel()
        local = torch.arange(n)[:, None]
        fwd = nbr[ids]  # (c, kk)
        recip = (nbr[fwd] == ids[:, None, None]).any(-1)  # R(i)
        # Membership in R(i) and candidate positions, as (c, N) tables.
        in_recip = torch.zeros(n, num, dtype=torch.bool)
        in_recip[local, fwd] = recip
        cand_half = half[fwd]  # (c, kk, kh1): N(c, h + 1)
        cand_mask = half_recip[fwd]  # R'(c)
        in_r = in_recip.gather(1, cand_half.view(n, -1)).view_as(cand_mask)
        in_r &= cand_mask
        accept = recip & (3 * in_r.sum(-1) > 2 * half_size[fwd])
        expand = torch.cat([
            fwd.masked_fill(~recip, num),
            cand_half.masked_fill(~(cand_mask & accept[..., None]),
                                  num).flatten(1)
        ], 1).sort(dim=1).values
        keep = expand != num
        keep[:, 1:] &= expand[:, 1:] != expand[:, :-1]
        # D values: from the candidate lists of pass 1, else recomputed.
        slot = torch.full((n, num + 1), -1, dtype=torch.long)
        slot[local, cand_idx[ids]] = torch.arange(num_cand)[None]
        where = slot.gather(1, expand)
        del slot, in_recip
        vals = cand_val[ids].gather(1, where.clamp(min=0))
        miss = keep & (where < 0)
        if miss.any():
            r, c = miss.nonzero(as_tuple=True)
            vals[r, c] = rows.pairs(ids[r], expand[r, c])
        weight = torch.exp(-vals).masked_fill_(~keep, 0)
        weight /= weight.sum(1, keepdim=True)
        all_cols.append(expand[keep])
        all_vals.append(weight[keep])
        counts.append(keep.sum(1))
    rowptr = torch.zeros(num + 1, dtype=torch.long)
    rowptr[1:] = torch.cat(counts).cumsum(0)
    return rowptr, torch.cat(all_cols), torch.cat(all_vals)


def _local_query_expansion(rowptr: Tensor, cols: Tensor, vals: Tensor,
                           nbr: Tensor,
                           k2: int) -> Tuple[Tensor, Tensor, Tensor]:
    """Step 6 on the CSR matrix V: the mean of the rows of N(i, k2)."""
    num = nbr.shape[0]
    src = nbr[:, :k2].reshape(-1)
    owner, pos = _expand_csr(rowptr, src)
    key = (owner // k2) * num + cols[pos]
    key, order = key.sort(stable=True)
    uniq, inv = torch.unique_consecutive(key, return_inverse=True)
    summed = torch.zeros(uniq.numel(), dtype=vals.dtype)
    summed.index_add_(0, inv, vals[pos][order])
    summed /= k2
    new_rows = uniq // num
    new_rowptr = torch.zeros(num + 1, dtype=torch.long)
    new_rowptr[1:] = torch.bincount(new_rows, minlength=num).cumsum(0)
    return new_rowptr, uniq % num, summed


def _jaccard_block(rowptr: Tensor, cols: Tensor, vals: Tensor, start: int,
                   end: int, colptr: Tensor, g_rows: Tensor, g_vals: Tensor,
                   num_gallery: int, budget: int) -> Tensor:
    """Step 7 for query rows [start, end) against every gallery item.

    ``m[i, j] = sum_l min(V[i, l], V[j, l])`` is accumulated over the
    non-zeros ``(i, l)`` of the query rows joined with the gallery entries
    of column ``l`` (the inverted index ``colptr, g_rows, g_vals``), at most
    ``budget`` joined entries at a time.

    Returns:
        Tensor: (end - start, G) float32 Jaccard distances.
    """
    q_owner, q_pos = _expand_csr(rowptr, torch.arange(start, end))
    q_cols, q_vals = cols[q_pos], vals[q_pos]
    acc = torch.zeros((end - start) * num_gallery, dtype=torch.float32)
    ends = (colptr[q_cols + 1] - colptr[q_cols]).cumsum(0)
    first = 0
    while first < q_cols.numel():
        limit = (ends[first - 1] if first else 0) + budget
        last = max(int(torch.searchsorted(ends, limit, right=True)), first + 1)
        sub = torch.arange(first, last)
        owner, pos = _expand_csr(colptr, q_cols[sub])
        entry = sub[owner]
        acc.index_add_(0, q_owner[entry] * num_gallery + g_rows[pos],
                       torch.minimum(q_vals[entry], g_vals[pos]))
        first = last
    acc = acc.view(end - start, num_gallery)
    return 1 - acc / (2 - acc)


def _smallest(values: Tensor,
              k: int,
              offset: int = 0) -> Tuple[Tensor, Tensor]:
    """The ``k`` smallest values of each row (any order) and their columns
    (plus ``offset``)."""
    vals, idx = values.topk(
        min(k, values.shape[1]), dim=1, largest=False, sorted=False)
    return vals, idx.add_(offset)


def _merge_smallest(a: Tuple[Tensor, Tensor], b: Tuple[Tensor, Tensor],
                    k: int) -> Tuple[Tensor, Tensor]:
    """The ``k`` smallest of two (values, indices) candidate lists."""
    vals = torch.cat([a[0], b[0]], 1)
    idx = torch.cat([a[1], b[1]], 1)
    vals, pos = _smallest(vals, k)
    return vals, idx.gather(1, pos)


def _candidates(
        rows: _Blocks, num_cand: int, chunk_size: int,
        keep_qg: bool) -> Tuple[Tensor, Tensor, Tensor, Optional[Tensor]]:
    """Pass 1: each row's max of ``d^2`` and ``num_cand`` smallest ``d^2``.

    Every distance block is computed once: a query block of rows gives
    ``[d_qq, d_qg]`` for its rows and, transposed, the query columns of all
    gallery rows (merged into running candidate lists); a gallery block
    gives ``d_gg``. Candidates are not ordered.

    Returns:
        tuple: ``rowmax`` (N, ), the candidate ``d^2`` values and their
        column indices (N, num_cand), and ``d_qg^2`` (Q, G) if ``keep_qg``
        (else None).
    """
    nq, num = rows.num_query, rows.num
    ng = num - nq
    rowmax = torch.empty(num, dtype=torch.float32)
    cand_sq = torch.empty(num, num_cand, dtype=torch.float32)
    cand_idx = torch.empty(num, num_cand, dtype=torch.long)
    # Running candidates of the gallery rows among the query columns.
    g_sq = torch.empty(ng, 0, dtype=torch.float32)
    g_idx = torch.empty(ng, 0, dtype=torch.long)
    g_max = torch.full((ng, ), -float('inf'))
    qg_sq = torch.empty(nq, ng) if keep_qg else None
    for s in range(0, nq, chunk_size):
        e = min(s + chunk_size, nq)
        sq_q, sq_g = rows.qq(s, e), rows.qg(s, e)
        with single_threaded(sq_g.numel()):
            sq_q.mul_(sq_q)
            sq_g.mul_(sq_g)
            rowmax[s:e] = torch.maximum(sq_q.amax(1), sq_g.amax(1))
            if keep_qg:
                qg_sq[s:e] = sq_g
            tile = sq_g.t()
            g_max = torch.maximum(g_max, tile.amax(1))
        # (partial sorts: multi-threaded over rows)
        best_q, best_g = _smallest(sq_q,
                                   num_cand), _smallest(sq_g, num_cand, nq)
        best_t = _smallest(tile, num_cand, s)
        with single_threaded(sq_g.numel()):
            cand_sq[s:e], cand_idx[s:e] = _merge_smallest(
                best_q, best_g, num_cand)
            g_sq, g_idx = _merge_smallest((g_sq, g_idx), best_t, num_cand)
        del sq_q, sq_g, tile
    for s in range(0, ng, chunk_size):
        e = min(s + chunk_size, ng)
        sq = rows.gg(s, e)
        with single_threaded(sq.numel()):
            sq.mul_(sq)
            rowmax[nq + s:nq + e] = torch.maximum(g_max[s:e], sq.amax(1))
        best = _smallest(sq, num_cand, nq)
        with single_threaded(sq.numel()):
            cand_sq[nq + s:nq + e], cand_idx[nq + s:nq + e] = _merge_smallest(
                (g_sq[s:e], g_idx[s:e]), best, num_cand)
        del sq
    if not (rowmax > 0).all():
        raise ValueError('re-ranking: an item is at distance 0 from every '
                         'item')
    return rowmax, cand_sq, cand_idx, qg_sq


def _order_candidates(rows: _Blocks, cand_sq: Tensor, cand_idx: Tensor,
                      kk: int) -> Tuple[Tensor, Tensor]:
    """Order the candidates by ``D = d^2 / rowmax``, ties by index.

    The first ``kk`` are the true first ``kk`` of the row unless the
    ``kk``-th value of ``D`` equals that of the largest candidate (an item
    outside the list could then tie with it): such rows are recomputed in
    full and sorted.

    Returns:
        tuple[Tensor, Tensor]: ``D`` values and indices, (N, num_cand).
    """
    num, num_cand = cand_sq.shape
    rowmax = rows.rowmax[:, None]
    vals = cand_sq / rowmax
    limit = cand_sq.amax(1, keepdim=True) / rowmax
    idx, order = cand_idx.sort(dim=1)
    vals = vals.gather(1, order)
    vals, order = vals.sort(dim=1, stable=True)
    idx = idx.gather(1, order)
    if num_cand < num:
        redo = (vals[:, kk - 1:kk] >= limit).flatten().nonzero().flatten()
        for s in range(0, redo.numel(), 256):
            ids = redo[s:s + 256]
            full = rows.full_rows(ids)
            full = full.mul_(full).div_(rows.rowmax[ids, None])
            v, i = full.sort(dim=1, stable=True)
            vals[ids], idx[ids] = v[:, :num_cand], i[:, :num_cand]
    return vals, idx


def iter_k_reciprocal_rerank(
    query: Tensor,
    gallery: Tensor,
    k1: int = 20,
    k2: int = 6,
    lambda_value: float = 0.3,
    metric: str = 'euclidean',
    distance_fn: Optional[DistanceFn] = None,
    chunk_size: int = 256,
    num_candidates: Optional[int] = None,
    join_budget: int = 1 << 22,
    keep_qg_bytes: int = 1 << 29,
    stage_hook: Optional[Callable[[str], None]] = None
) -> Iterator[Tuple[int, Tensor]]:
    """Yield the re-ranked query x gallery distances, a block at a time.

    See the module docstring for the algorithm. Memory: the features, a
    ``chunk_size x N`` block, the candidate lists (N x ``num_candidates``,
    plus G x (``num_candidates`` + ``chunk_size``) during pass 1) and the
    sparse V (about N x 10 k1 entries); never N x N.

    Args:
        query (Tensor): Q x D query features (or any per-item tensors
            understood by ``distance_fn``).
        gallery (Tensor): G x D gallery features.
        k1 (int): Size of the k-reciprocal neighbourhood. Defaults to 20.
        k2 (int): Neighbours averaged by the local query expansion (1 turns
            it off). Defaults to 6.
        lambda_value (float): Weight of the original distance. Defaults to
            0.3.
        metric (str): Built-in distance, used when ``distance_fn`` is None.
            Defaults to ``'euclidean'``.
        distance_fn (callable, optional): ``fn(rows, cols) -> Tensor``
            distances, called on blocks of the query-query, query-gallery
            and gallery-gallery matrices (gallery-query distances are the
            transposed query-gallery ones, as in the published code).
            Defaults to None.
        chunk_size (int): Rows per distance block. Defaults to 256.
        num_candidates (int, optional): Distances kept per row in pass 1 to
            look up V's weights (more = fewer recomputed pairs). Defaults to
            ``2 * k1 + 1``.
        join_budget (int): Max. entries of one step of the sparse Jaccard
            join (bounds its memory: about 40 bytes each). Defaults to 2**22.
        keep_qg_bytes (int): Keep the squared query-gallery distances of
            pass 1 for the final step if they take at most this many bytes
            (4 Q G); otherwise compute them again, block by block.
            Defaults to 2**29 (512 MiB; Market-1501 needs 214 MB).
        stage_hook (callable, optional): Called with a stage name when the
            stage ends (``'neighbours'``, ``'k_reciprocal'``,
            ``'query_expansion'``, ``'inverted_index'``), for profiling.
            Defaults to None.

    Yields:
        tuple[int, Tensor]: The first query row and a (rows, G) float32
        block of final distances.
    """
    if distance_fn is None:
        check_metric(metric)
    if k1 < 1 or k2 < 1:
        raise ValueError(f'k1 and k2 must be >= 1, got k1={k1}, k2={k2}')
    if k2 > k1 + 1:
        raise ValueError(f'k2 must be <= k1 + 1, got k1={k1}, k2={k2}')
    if not 0 <= lambda_value <= 1:
        raise ValueError(f'lambda_value must be in [0, 1], got '
                         f'{lambda_value}')
    num_query, num_gallery = query.shape[0], gallery.shape[0]
    rows = _Blocks(query, gallery, metric, distance_fn, chunk_size)
    num = rows.num
    kk = min(k1 + 1, num)
    k2 = min(k2, num)
    num_cand = min(max(num_candidates or 2 * k1 + 1, kk), num)

    # Pass 1: row maxima and the first k1 + 1 neighbours of every item.
    keep_qg = 4 * num_query * num_gallery <= keep_qg_bytes
    rowmax, cand_val, cand_idx, qg_sq = _candidates(rows, num_cand, chunk_size,
                                                    keep_qg)
    rows.rowmax = rowmax
    cand_val, cand_idx = _order_candidates(rows, cand_val, cand_idx, kk)
    nbr = cand_idx[:, :kk]
    hook = stage_hook or (lambda name: None)
    hook('neighbours')

    # Pass 2: the sparse V, then the local query expansion.
    block = max(1, min(chunk_size, (1 << 24) // (9 * num)))
    with single_threaded():
        rowptr, cols, vals = _k_reciprocal_weights(rows, nbr, cand_idx,
                                                   cand_val, k1, block)
    del cand_val, cand_idx
    hook('k_reciprocal')
    if k2 > 1:
        with single_threaded():
            rowptr, cols, vals = _local_query_expansion(
                rowptr, cols, vals, nbr, k2)
    hook('query_expansion')

    # Inverted index over V's columns, gallery rows only.
    with single_threaded():
        owner = torch.repeat_interleave(torch.arange(num), rowptr.diff())
        in_gallery = owner >= num_query
        g_rows = owner[in_gallery] - num_query
        g_cols = cols[in_gallery]
        g_vals = vals[in_gallery]
        del owner, in_gallery
        order = torch.sort(g_cols, stable=True).indices
        g_rows, g_vals = g_rows[order], g_vals[order]
        colptr = torch.zeros(num + 1, dtype=torch.long)
        colptr[1:] = torch.bincount(g_cols, minlength=num).cumsum(0)
        del g_cols, order
    hook('inverted_index')

    # Query blocks: Jaccard by a sparse join, plus the original distance
    # (d_qg kept from pass 1 or computed in the same blocks, so D is
    # bitwise the same).
    for s in range(0, num_query, chunk_size):
        e = min(s + chunk_size, num_query)
        with single_threaded():
            jaccard = _jaccard_block(rowptr, cols, vals, s, e, colptr, g_rows,
                                     g_vals, num_gallery, join_budget)
        if qg_sq is None:
            original = rows.qg(s, e)
            original.mul_(original)
        else:
            original = qg_sq[s:e]
        original = original.div_(rowmax[s:e, None])
        yield s, jaccard.mul_(1 - lambda_value).add_(
            original.mul_(lambda_value))


def k_reciprocal_rerank(query: Tensor,
                        gallery: Tensor,
                        k1: int = 20,
                        k2: int = 6,
                        lambda_value: float = 0.3,
                        metric: str = 'euclidean',
                        distance_fn: Optional[DistanceFn] = None,
                        chunk_size: int = 256,
                        **kwargs) -> Tensor:
    """Re-rank with k-reciprocal encoding; return the Q x G distances.

    See :func:`iter_k_reciprocal_rerank` for the arguments (the evaluation
    consumes that generator and never holds the Q x G result).

    Returns:
        Tensor: Q x G float32 re-ranked distances.

    Examples:
        >>> torch.manual_seed(0) and None
        >>> q, g = torch.randn(3, 4), torch.randn(10, 4)
        >>> k_reciprocal_rerank(q, g, k1=4, k2=2).shape
        torch.Size([3, 10])
        >>> # precomputed distances: pass item indices as the "features"
        >>> full = torch.cdist(torch.cat([q, g]), torch.cat([q, g]))
        >>> fn = lambda a, b: full[a.long()][:, b.long()]
        >>> d = k_reciprocal_rerank(torch.arange(3), torch.arange(3, 13),
        ...                         k1=4, k2=2, distance_fn=fn)
        >>> d.shape
        torch.Size([3, 10])
    """
    out = torch.empty(query.shape[0], gallery.shape[0], dtype=torch.float32)
    for start, block in iter_k_reciprocal_rerank(query, gallery, k1, k2,
                                                 lambda_value, metric,
                                                 distance_fn, chunk_size,
                                                 **kwargs):
        out[start:start + block.shape[0]] = block
    return out
