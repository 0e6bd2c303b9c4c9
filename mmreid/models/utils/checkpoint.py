# Copyright (c) mmreid contributors. All rights reserved.
"""How well a checkpoint's weights fit a model, said readably."""
import re
from typing import Dict, List, Mapping, Sequence, Tuple

from torch import nn


class CheckpointMismatchError(RuntimeError):
    """Raised when a checkpoint does not hold the weights a model needs."""


def state_dict_mismatch(
        model: nn.Module,
        state_dict: Mapping,
        revise_keys: Sequence[Tuple[str, str]] = ((r'^module\.', ''), ),
) -> Dict[str, List]:
    """Compare a checkpoint's ``state_dict`` with a model's.

    Args:
        model (nn.Module): The model (unwrapped).
        state_dict (Mapping): The checkpoint's weights.
        revise_keys (Sequence[tuple]): ``(pattern, replacement)`` applied to
            the checkpoint's keys first (MMEngine's default strips the DDP
            ``module.`` prefix).

    Returns:
        dict: ``missing`` (model keys the checkpoint lacks), ``unexpected``
        (checkpoint keys the model lacks) and ``shape`` (``(key,
        checkpoint shape, model shape)`` of keys in both with different
        shapes), each sorted; ``matched``, the number of keys that fit.

    Examples:
        >>> from torch import nn
        >>> a, b = nn.Linear(4, 2), nn.Sequential(nn.Linear(4, 3))
        >>> r = state_dict_mismatch(a, b.state_dict())
        >>> r['missing'], r['unexpected'][0], r['matched']
        (['bias', 'weight'], '0.bias', 0)
    """
    revised = {}
    for key, value in state_dict.items():
        for pattern, repl in revise_keys:
            key = re.sub(pattern, repl, key)
        revised[key] = value
    own = model.state_dict()
    shape = []
    for key in sorted(set(own) & set(revised)):
        have = tuple(getattr(revised[key], 'shape', ()))
        want = tuple(own[key].shape)
        if have != want:
            shape.append((key, have, want))
    return dict(
        missing=sorted(set(own) - set(revised)),
        unexpected=sorted(set(revised) - set(own)),
        shape=shape,
        matched=len(set(own) & set(revised)) - len(shape))


def format_mismatch(report: Dict[str, List], limit: int = 10) -> str:
    """Say a :func:`state_dict_mismatch` report in a few lines.

    Args:
        report (dict): The report.
        limit (int): Keys listed per kind (the rest are counted).

    Returns:
        str: One line per kind that is not empty.

    Examples:
        >>> print(format_mismatch(dict(missing=['a.w', 'a.b'],
        ...                            unexpected=[], shape=[], matched=3)))
        3 keys fit; missing from the checkpoint (2): a.w, a.b
    """

    def listing(items):
        shown = ', '.join(str(i) for i in items[:limit])
        more = len(items) - limit
        return shown + (f', ... ({more} more)' if more > 0 else '')

    parts = [f"{report['matched']} keys fit"]
    if report['missing']:
        parts.append(f"missing from the checkpoint ({len(report['missing'])})"
                     f": {listing(report['missing'])}")
    if report['unexpected']:
        parts.append('not in the model '
                     f"({len(report['unexpected'])}): "
                     f"{listing(report['unexpected'])}")
    if report['shape']:
        shapes = [f'{k} {tuple(c)} vs {tuple(m)}' for k, c, m in
                  report['shape']]
        parts.append(f'different shapes, checkpoint vs model '
                     f'({len(shapes)}): {listing(shapes)}')
    return '; '.join(parts)
