# Copyright (c) mmreid contributors. All rights reserved.
"""Run memory-bound tensor steps on one thread."""
import ctypes
import functools
from contextlib import contextmanager
from typing import Iterator, Optional

import torch

#: Without a direct handle on the OpenMP runtime, blocks smaller than this
#: (elements) are not worth ``torch.set_num_threads`` (a few ms per call).
MIN_ELEMENTS = 1 << 20


@functools.lru_cache(maxsize=None)
def _openmp_runtime() -> Optional[ctypes.CDLL]:
    """The OpenMP runtime loaded by torch (Linux), or None."""
    try:
        with open('/proc/self/maps') as f:
            paths = {line.split()[-1] for line in f if '/lib' in line}
    except OSError:
        return None
    for path in sorted(paths):
        name = path.rsplit('/', 1)[-1]
        if name.startswith(('libgomp', 'libiomp', 'libomp')):
            try:
                lib = ctypes.CDLL(path)
                lib.omp_set_num_threads, lib.omp_get_max_threads
            except (OSError, AttributeError):
                continue
            return lib
    return None


@contextmanager
def single_threaded(num_elements: int = MIN_ELEMENTS) -> Iterator[None]:
    """Run torch's intra-op parallel regions on one thread inside the block.

    The ranking and sparse steps of the evaluation are many memory-bound
    operations: splitting each over threads mostly adds synchronisation,
    and on a machine whose cores are busy with other work an OpenMP team
    that spins at every barrier makes them up to ten times slower. The
    distance matrix products (BLAS, with its own thread setting) stay
    multi-threaded.

    The OpenMP thread count of the calling thread is set directly (cheap,
    and BLAS is left alone); without a handle on the OpenMP runtime,
    ``torch.set_num_threads`` is used, only for at least ``num_elements``
    elements of work, as it costs milliseconds and slows the next matrix
    product down.

    Args:
        num_elements (int): Size of the work inside the block. Defaults to
            ``MIN_ELEMENTS``.

    Examples:
        >>> with single_threaded():
        ...     _ = torch.rand(1 << 20).exp()
    """
    if torch.get_num_threads() == 1:
        yield
        return
    omp = _openmp_runtime()
    if omp is not None:
        previous = omp.omp_get_max_threads()
        omp.omp_set_num_threads(1)
        try:
            yield
        finally:
            omp.omp_set_num_threads(previous)
        return
    if num_elements < MIN_ELEMENTS:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
