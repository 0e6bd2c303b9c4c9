# Copyright (c) mmreid contributors. All rights reserved.
"""Imports of other OpenMMLab libraries made cheaper at launch."""
import sys


def import_mmpretrain_models() -> None:
    """Import ``mmpretrain.models`` without importing ``mmdet.models``.

    mmpretrain registers one module of its own into mmdet's registry
    (``ResLayerExtraNorm``, used by mmpretrain's detection configs) and
    imports ``mmdet.models`` for it whenever mmdet is installed, as it is
    in mmreid's stack (MMPose's). That import pulls in all of mmdet's
    models, scipy.optimize and matplotlib, the largest part of building a
    re-ID model (measured in ``benchmarks/train_speed.py``'s launch time).
    mmreid never uses that module, so ``mmdet.models`` is kept out while
    ``mmpretrain.models`` is imported (mmpretrain catches the ImportError
    and skips the registration); importing ``mmdet.models`` afterwards, as
    MMPose's detector does, works as usual.

    A plain import if ``mmpretrain.models`` or ``mmdet.models`` is already
    imported.

    Examples:
        >>> import sys
        >>> import_mmpretrain_models()
        >>> 'mmpretrain.models' in sys.modules
        True
    """
    block = 'mmdet.models' not in sys.modules
    if block:
        sys.modules['mmdet.models'] = None  # `import mmdet.models` fails
    try:
        import mmpretrain.models  # noqa: F401
    finally:
        if block and sys.modules.get('mmdet.models', 0) is None:
            del sys.modules['mmdet.models']
