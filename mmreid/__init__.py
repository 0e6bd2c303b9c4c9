# Copyright (c) mmreid contributors. All rights reserved.
"""mmreid: an OpenMMLab-style person re-identification toolbox."""
import mmengine
from mmengine.utils import digit_version

from .version import __version__, version_info

mmengine_minimum_version = '0.10.0'
mmengine_maximum_version = '1.0.0'
mmengine_version = digit_version(mmengine.__version__)

assert (digit_version(mmengine_minimum_version) <= mmengine_version <
        digit_version(mmengine_maximum_version)), (
    f'MMEngine=={mmengine.__version__} is used but incompatible. '
    f'Please install mmengine>={mmengine_minimum_version}, '
    f'<{mmengine_maximum_version}.')


def _check_mmcv() -> None:
    """Check the mmcv version window, if mmcv is installed.

    mmcv is only needed by the model zoo parts (mmpretrain backbones, MMPose);
    datasets, metrics and tools work without it.
    """
    try:
        import mmcv
    except ImportError:
        return
    mmcv_min, mmcv_max = '2.0.0', '2.2.0'
    ver = digit_version(mmcv.__version__)
    assert digit_version(mmcv_min) <= ver < digit_version(mmcv_max), (
        f'MMCV=={mmcv.__version__} is used but incompatible. Please '
        f'install mmcv>={mmcv_min}, <{mmcv_max} (mmdet 3.3 refuses 2.2).')


_check_mmcv()


def _register_config_scope() -> None:
    """Let MMEngine resolve ``mmreid::`` config paths.

    MMEngine maps ``<package>::<config>`` (``_base_`` entries,
    :func:`mmengine.hub.get_config`) to the configs a package ships in
    ``<package>/.mim/configs`` only for the packages of its table
    ``MODULE2PACKAGE``; mmreid adds itself (module and pip name
    ``mmreid``).
    """
    from mmengine.config.utils import MODULE2PACKAGE
    MODULE2PACKAGE.setdefault('mmreid', 'mmreid')


_register_config_scope()

__all__ = ['__version__', 'version_info']
