# Copyright (c) mmreid contributors. All rights reserved.
"""The explicit marker of config values taken from the training set."""
from typing import Any, Optional

#: Prefix of a marker: ``'train_set.<metainfo key>'``.
TRAIN_SET_PREFIX = 'train_set.'


def train_set_marker(key: str) -> str:
    """The marker of the training set's ``metainfo[key]``.

    A config value ``'train_set.num_classes'`` says "the number of training
    identities, whatever the dataset": :class:`~mmreid.engine.ReIDRunner`
    replaces every marker in the model config by the training set's
    ``metainfo`` value before building the model, from the one training
    set it builds for training. Only values written as markers are filled;
    an ``int`` is left alone (so a verification head's ``num_classes=2``
    is never overwritten).

    Args:
        key (str): A metainfo key (``'num_classes'``, ``'num_cameras'``).

    Returns:
        str: The marker.

    Examples:
        >>> train_set_marker('num_classes')
        'train_set.num_classes'
    """
    return TRAIN_SET_PREFIX + key


def _marker_key(value: Any) -> Optional[str]:
    """The metainfo key of a marker, or None for any other value."""
    if isinstance(value, str) and value.startswith(TRAIN_SET_PREFIX):
        return value[len(TRAIN_SET_PREFIX):]
    return None


def has_train_set_marker(cfg: Any) -> bool:
    """Whether a (nested) config holds a training-set marker.

    Examples:
        >>> has_train_set_marker(dict(head=dict(num_classes=2)))
        False
        >>> has_train_set_marker([dict(num_classes='train_set.num_classes')])
        True
    """
    if _marker_key(cfg) is not None:
        return True
    if isinstance(cfg, dict):
        return any(has_train_set_marker(v) for v in cfg.values())
    if isinstance(cfg, (list, tuple)):
        return any(has_train_set_marker(v) for v in cfg)
    return False


def fill_train_set_markers(cfg: Any, metainfo: Optional[dict],
                           where: str = 'model') -> int:
    """Replace every marker of a (nested) config, in place.

    Args:
        cfg (dict | list): The config.
        metainfo (dict, optional): The training set's ``metainfo``. None
            (no training set: testing, feature extraction) replaces every
            marker by None, e.g. no identity classifier is built.
        where (str): Name of the config, for the error message.

    Returns:
        int: How many markers were replaced.

    Raises:
        KeyError: A marker names a key the metainfo does not have.

    Examples:
        >>> cfg = dict(head=dict(num_classes='train_set.num_classes'),
        ...            verif=dict(num_classes=2))
        >>> fill_train_set_markers(cfg, dict(num_classes=751))
        1
        >>> cfg['head']['num_classes'], cfg['verif']['num_classes']
        (751, 2)
    """
    items = cfg.items() if isinstance(cfg, dict) else enumerate(cfg) \
        if isinstance(cfg, list) else ()
    filled = 0
    for k, v in list(items):
        key = _marker_key(v)
        if key is not None:
            if metainfo is not None and key not in metainfo:
                raise KeyError(
                    f'{where}: {k}={v!r} asks for the training set\'s '
                    f'metainfo[{key!r}], which it does not have (it has '
                    f'{sorted(metainfo)})')
            cfg[k] = None if metainfo is None else metainfo[key]
            filled += 1
        elif isinstance(v, (dict, list)):
            filled += fill_train_set_markers(v, metainfo, where)
    return filled


def check_filled(value: Any, name: str, owner: str) -> Any:
    """Refuse a marker that nobody filled (model built outside the runner).

    Args:
        value: The argument's value.
        name (str): The argument's name.
        owner (str): The class it belongs to.

    Returns:
        The value, unchanged.

    Examples:
        >>> check_filled(751, 'num_classes', 'BNNeckHead')
        751
    """
    if _marker_key(value) is not None:
        raise ValueError(
            f'{owner}: {name}={value!r} is a marker that ReIDRunner fills '
            'from the training set; build the model through ReIDRunner '
            '(runner_type=\'ReIDRunner\') or pass a number')
    return value
