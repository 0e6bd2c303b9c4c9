# Copyright (c) mmreid contributors. All rights reserved.
"""glibc malloc settings for CPU training and inference."""
import ctypes
import ctypes.util

#: mallopt parameter numbers (glibc's malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3


def set_malloc_thresholds(mmap_threshold: int = 1 << 30,
                          trim_threshold: int = 1 << 30) -> bool:
    """Make glibc's malloc keep freed memory for reuse in this process.

    PyTorch's CPU allocator frees every tensor to malloc. By default glibc
    serves blocks above a (dynamic, at most 32 MiB) threshold with fresh
    ``mmap`` pages and returns freed memory at the top of the heap to the
    system, so a training step's activations are mapped and zero-filled
    again at every step: tens of thousands of page faults per step for a
    ResNet-50 batch (``benchmarks/train_speed.py`` prints them). Serving
    blocks up to ``mmap_threshold`` from the heap and trimming only above
    ``trim_threshold`` lets the next step reuse the same pages. The
    process's peak memory is unchanged; its resident memory stays near
    that peak instead of shrinking between steps. Forked loader workers
    inherit the setting.

    Args:
        mmap_threshold (int): Blocks at least this large (bytes) are
            mapped on their own. Defaults to 1 GiB.
        trim_threshold (int): Free memory at the top of the heap beyond
            this many bytes is returned to the system. Defaults to 1 GiB.

    Returns:
        bool: Whether both were set (False without glibc's ``mallopt``,
        e.g. on macOS or musl).

    Examples:
        >>> import platform
        >>> ok = set_malloc_thresholds()
        >>> ok or platform.system() != 'Linux'
        True
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6')
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return (mallopt(M_MMAP_THRESHOLD, int(mmap_threshold)) == 1
            and mallopt(M_TRIM_THRESHOLD, int(trim_threshold)) == 1)
