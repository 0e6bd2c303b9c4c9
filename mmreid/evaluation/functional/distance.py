# Copyright (c) mmreid contributors. All rights reserved.
"""Feature distances, computed in blocks of rows to bound memory.

Three metrics are built in:

- ``'euclidean'``: :math:`\\|x - y\\|_2`, computed as
  :math:`\\sqrt{\\max(0, \\|x\\|^2 + \\|y\\|^2 - 2 x^\\top y)}`;
- ``'sqeuclidean'``: the same without the square root;
- ``'cosine'``: :math:`1 - \\cos(x, y)`.

Everything is computed in float32, whatever the storage dtype of the
features (fp16 features are converted one block at a time).

Note:
    A BLAS library may round the last bit of a dot product differently for
    blocks of different heights. Two computations that must agree bit for
    bit (for example a dense reference and a chunked implementation) should
    therefore use the same ``chunk_size``; :func:`compute_distance` with a
    given ``chunk_size`` reproduces the blocks of
    :func:`iter_distance_chunks` exactly.
"""
from typing import Callable, Iterator, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

#: The names accepted by ``metric``.
DISTANCE_METRICS = ('euclidean', 'sqeuclidean', 'cosine')

#: A function ``(rows: Tensor[m, D], cols: Tensor[n, D]) -> Tensor[m, n]``
#: returning distances (smaller is more similar).
DistanceFn = Callable[[Tensor, Tensor], Tensor]


def check_metric(metric: str) -> None:
    """Raise a clear error if ``metric`` is not a built-in metric.

    Args:
        metric (str): The metric name.
    """
    if metric not in DISTANCE_METRICS:
        raise ValueError(f'Unknown distance metric {metric!r}; expected one '
                         f'of {DISTANCE_METRICS}')


class _PreparedFeatures:
    """Features with the per-row quantities a metric needs, computed once.

    Args:
        feats (Tensor): N x D features (any float dtype).
        metric (str): One of :data:`DISTANCE_METRICS`.
    """

    def __init__(self, feats: Tensor, metric: str) -> None:
        check_metric(metric)
        if feats.ndim != 2:
            raise ValueError('features must be a 2-D (N x D) tensor, got '
                             f'shape {tuple(feats.shape)}')
        self.metric = metric
        feats = feats.float()
        if metric == 'cosine':
            feats = F.normalize(feats, dim=1)
            self.sq_norms = None
        else:
            self.sq_norms = feats.pow(2).sum(1)
        self.feats = feats

    def __len__(self) -> int:
        return self.feats.shape[0]

    def block(self, rows: '_PreparedFeatures', start: int, end: int) -> Tensor:
        """Distances from ``rows[start:end]`` to every row of ``self``.

        Args:
            rows (_PreparedFeatures): The query side.
            start (int): First row.
            end (int): One past the last row.

        Returns:
            Tensor: (end - start) x len(self) float32 distances.
        """
        x = rows.feats[start:end]
        if self.metric == 'cosine':
            dist = x @ self.feats.t()
            return dist.neg_().add_(1)
        dist = rows.sq_norms[start:end, None] + self.sq_norms[None]
        dist.addmm_(x, self.feats.t(), beta=1, alpha=-2)
        dist.clamp_(min=0)
        if self.metric == 'euclidean':
            dist.sqrt_()
        return dist

    def pairs(self,
              rows: '_PreparedFeatures',
              row_idx: Tensor,
              col_idx: Tensor,
              block: int = 4096) -> Tensor:
        """Distances of the pairs ``(rows[row_idx[k]], self[col_idx[k]])``.

        Args:
            rows (_PreparedFeatures): The query side.
            row_idx (Tensor): P row indices into ``rows``.
            col_idx (Tensor): P row indices into ``self``.
            block (int): Pairs per step (bounds memory). Defaults to 4096.

        Returns:
            Tensor: P float32 distances (the same formula as
            :meth:`block`, up to float rounding).
        """
        out = torch.empty(row_idx.numel(), dtype=torch.float32)
        for s in range(0, row_idx.numel(), block):
            r = row_idx[s:s + block]
            c = col_idx[s:s + block]
            dots = (rows.feats[r] * self.feats[c]).sum(1)
            if self.metric == 'cosine':
                out[s:s + block] = 1 - dots
                continue
            d = rows.sq_norms[r] + self.sq_norms[c] - 2 * dots
            d.clamp_(min=0)
            if self.metric == 'euclidean':
                d.sqrt_()
            out[s:s + block] = d
        return out


def pairwise_distance(x: Tensor,
                      y: Tensor,
                      metric: str = 'euclidean') -> Tensor:
    """Compute the dense distance matrix between two sets of features.

    Args:
        x (Tensor): M x D features.
        y (Tensor): N x D features.
        metric (str): ``'euclidean'``, ``'sqeuclidean'`` or ``'cosine'``.
            Defaults to ``'euclidean'``.

    Returns:
        Tensor: M x N float32 distances.

    Examples:
        >>> x = torch.tensor([[0., 0.], [3., 4.]])
        >>> pairwise_distance(x, x)
        tensor([[0., 5.],
                [5., 0.]])
        >>> pairwise_distance(x[1:], torch.tensor([[6., 8.]]), 'cosine')
        tensor([[0.]])
    """
    rows = _PreparedFeatures(x, metric)
    cols = rows if y is x else _PreparedFeatures(y, metric)
    return cols.block(rows, 0, len(rows))


def iter_distance_chunks(
        query: Tensor,
        gallery: Tensor,
        metric: str = 'euclidean',
        chunk_size: int = 256,
        distance_fn: Optional[DistanceFn] = None
) -> Iterator[Tuple[int, Tensor]]:
    """Yield the query x gallery distance matrix one block of rows at a time.

    Only one ``chunk_size x num_gallery`` float32 block exists at a time.

    Args:
        query (Tensor): Q x D query features.
        gallery (Tensor): G x D gallery features.
        metric (str): A built-in metric, used when ``distance_fn`` is None.
            Defaults to ``'euclidean'``.
        chunk_size (int): Query rows per block. Defaults to 256.
        distance_fn (callable, optional): ``fn(query_rows, gallery) -> Tensor``
            returning distances (e.g. a pairwise model's scorer). Overrides
            ``metric``. Defaults to None.

    Yields:
        tuple[int, Tensor]: The first query row of the block and the
        block, ``(rows, G)`` float32.

    Examples:
        >>> q, g = torch.rand(5, 8), torch.rand(7, 8)
        >>> [(s, tuple(d.shape)) for s, d in iter_distance_chunks(q, g,
        ...                                                  chunk_size=2)]
        [(0, (2, 7)), (2, (2, 7)), (4, (1, 7))]
    """
    if chunk_size < 1:
        raise ValueError(f'chunk_size must be >= 1, got {chunk_size}')
    num_query = query.shape[0]
    if distance_fn is not None:
        for start in range(0, num_query, chunk_size):
            end = min(start + chunk_size, num_query)
            block = call_distance_fn(distance_fn, query[start:end], gallery)
            yield start, block
        return
    rows = _PreparedFeatures(query, metric)
    cols = _PreparedFeatures(gallery, metric)
    for start in range(0, num_query, chunk_size):
        end = min(start + chunk_size, num_query)
        yield start, cols.block(rows, start, end)


def compute_distance(query: Tensor,
                     gallery: Tensor,
                     metric: str = 'euclidean',
                     chunk_size: int = 256,
                     distance_fn: Optional[DistanceFn] = None) -> Tensor:
    """Compute the full query x gallery distance matrix, block by block.

    This materialises the Q x G float32 matrix; the evaluation functions do
    not need it (they consume :func:`iter_distance_chunks`).

    Args:
        query (Tensor): Q x D query features.
        gallery (Tensor): G x D gallery features.
        metric (str): See :func:`iter_distance_chunks`.
        chunk_size (int): Query rows per block. Defaults to 256.
        distance_fn (callable, optional): See :func:`iter_distance_chunks`.

    Returns:
        Tensor: Q x G float32 distances.

    Examples:
        >>> q, g = torch.rand(5, 8), torch.rand(7, 8)
        >>> d = compute_distance(q, g, 'cosine', chunk_size=2)
        >>> torch.allclose(d, pairwise_distance(q, g, 'cosine'), atol=1e-6)
        True
    """
    out = torch.empty(query.shape[0], gallery.shape[0], dtype=torch.float32)
    for start, block in iter_distance_chunks(query, gallery, metric,
                                             chunk_size, distance_fn):
        out[start:start + block.shape[0]] = block
    return out


def call_distance_fn(distance_fn: DistanceFn, rows: Tensor,
                     cols: Tensor) -> Tensor:
    """Call a user distance function and check what it returns.

    Args:
        distance_fn (callable): ``fn(rows, cols) -> Tensor[len(rows),
            len(cols)]``.
        rows (Tensor): The first operand.
        cols (Tensor): The second operand.

    Returns:
        Tensor: The float32 CPU distances.
    """
    with torch.no_grad():
        dist = distance_fn(rows, cols)
    if not isinstance(dist, Tensor):
        dist = torch.as_tensor(dist)
    expected = (rows.shape[0], cols.shape[0])
    if tuple(dist.shape) != expected:
        raise ValueError(f'the distance function returned shape '
                         f'{tuple(dist.shape)}, expected {expected} '
                         '(len(rows) x len(cols))')
    return dist.detach().to('cpu', torch.float32)
