# Copyright (c) mmreid contributors. All rights reserved.
"""Environment set-up: module registration and default scope."""
import datetime
import warnings

from mmengine import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Import every mmreid module so that it is registered.

    Registries also import their ``locations`` lazily, so this is only needed
    when code looks a module up by the registry's content directly (tests,
    notebooks).

    Args:
        init_default_scope (bool): Whether to set ``'mmreid'`` as the current
            default scope. Defaults to True.

    Examples:
        >>> from mmreid.utils import register_all_modules
        >>> register_all_modules()
        >>> from mmreid.registry import DATASETS
        >>> 'Market1501' in DATASETS
        True
    """
    import mmreid.datasets  # noqa: F401,F403
    import mmreid.engine  # noqa: F401,F403
    import mmreid.evaluation  # noqa: F401,F403
    import mmreid.models  # noqa: F401,F403
    import mmreid.structures  # noqa: F401,F403
    import mmreid.visualization  # noqa: F401,F403

    if not init_default_scope:
        return
    never_created = DefaultScope.get_current_instance() is None \
        or not DefaultScope.check_instance_created('mmreid')
    if never_created:
        DefaultScope.get_instance('mmreid', scope_name='mmreid')
        return
    current_scope = DefaultScope.get_current_instance()
    if current_scope.scope_name != 'mmreid':
        warnings.warn('The current default scope '
                      f'"{current_scope.scope_name}" is not "mmreid", '
                      '`register_all_modules` will force the current '
                      'default scope to be "mmreid". If this is not '
                      'expected, please set `init_default_scope=False`.')
        new_instance_name = f'mmreid-{datetime.datetime.now()}'
        DefaultScope.get_instance(new_instance_name, scope_name='mmreid')
