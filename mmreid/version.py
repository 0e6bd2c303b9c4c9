# Copyright (c) mmreid contributors. All rights reserved.
"""Version of mmreid."""

__version__ = '0.1.0'


def parse_version_info(version_str: str) -> tuple:
    """Parse a version string into a tuple of ints and strings.

    Args:
        version_str (str): A version string such as ``'0.1.0'`` or
            ``'0.2.0rc1'``.

    Returns:
        tuple: e.g. ``(0, 1, 0)`` or ``(0, 2, 0, 'rc1')``.

    Examples:
        >>> parse_version_info('0.2.0rc1')
        (0, 2, 0, 'rc1')
    """
    parts = []
    for x in version_str.split('.'):
        if x.isdigit():
            parts.append(int(x))
        elif 'rc' in x:
            head, tail = x.split('rc')
            parts.append(int(head))
            parts.append(f'rc{tail}')
    return tuple(parts)


version_info = parse_version_info(__version__)
