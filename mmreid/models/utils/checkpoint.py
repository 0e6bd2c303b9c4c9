# Copyright (c) mmreid contributors. All rights reserved.
"""How well a checkpoint's weights fit a model, said readably.

Used by :func:`mmreid.apis.init_model` and by
:class:`~mmreid.engine.ReIDRunner` (resuming and testing).
"""
import re
from collections import OrderedDict
from typing import Dict, List, Sequence, Tuple

import torch

#: How the checkpoint keys of a wrapped model are renamed: DDP's leading
#: ``module.``, and the ``<network>.module.`` of the sub-networks that
#: ``MMSeparateDistributedDataParallel`` wraps one by one (GANs).
REVISE_KEYS = [(r'^module\.', ''), (r'^([^.]+)\.module\.', r'\1.')]


class CheckpointMismatchError(RuntimeError):
    """A checkpoint whose weights do not fit the model built from the
    config (most often: a checkpoint of another model or config)."""


def revised_state_dict(checkpoint: dict) -> Dict[str, torch.Tensor]:
    """The state dict inside a loaded checkpoint, keys renamed by
    :data:`REVISE_KEYS`.

    Examples:
        >>> revised_state_dict(dict(state_dict={'module.w': 1,
        ...                                     'generator.module.b': 2}))
        OrderedDict([('w', 1), ('generator.b', 2)])
    """
    state = checkpoint.get('state_dict', checkpoint)
    out = OrderedDict()
    for key, value in state.items():
        for pattern, repl in REVISE_KEYS:
            key = re.sub(pattern, repl, key)
        out[key] = value
    return out


def _group_keys(keys: Sequence[str], limit: int) -> List[str]:
    """``['a.b.weight', 'a.b.bias', 'c.weight']`` ->
    ``['a.b.{weight, bias}', 'c.weight']``, at most ``limit`` groups."""
    groups: Dict[str, List[str]] = OrderedDict()
    for key in keys:
        parent, _, leaf = key.rpartition('.')
        groups.setdefault(parent, []).append(leaf)
    lines = []
    for parent, leaves in groups.items():
        prefix = parent + '.' if parent else ''
        lines.append(prefix + (leaves[0] if len(leaves) == 1 else
                               '{' + ', '.join(leaves) + '}'))
    if len(lines) > limit:
        lines = lines[:limit] + [f'... and {len(lines) - limit} more modules']
    return lines


def compare_state_dicts(
        model_state: Dict[str, torch.Tensor],
        ckpt_state: Dict[str, torch.Tensor]
) -> Tuple[List[str], List[str], List[Tuple[str, tuple, tuple]]]:
    """Missing, unexpected and shape-mismatched keys of a checkpoint.

    Args:
        model_state (dict): The model's ``state_dict()``.
        ckpt_state (dict): The checkpoint's state dict.

    Returns:
        tuple: ``missing`` (model keys absent from the checkpoint),
        ``unexpected`` (checkpoint keys the model does not have) and
        ``mismatched`` (``(key, model_shape, checkpoint_shape)``).

    Examples:
        >>> m = dict(w=torch.zeros(2), b=torch.zeros(1))
        >>> c = dict(w=torch.zeros(3), x=torch.zeros(1))
        >>> compare_state_dicts(m, c)
        (['b'], ['x'], [('w', (2,), (3,))])
    """
    missing = [k for k in model_state if k not in ckpt_state]
    unexpected = [k for k in ckpt_state if k not in model_state]
    mismatched = [(k, tuple(v.shape), tuple(ckpt_state[k].shape))
                  for k, v in model_state.items()
                  if k in ckpt_state and hasattr(ckpt_state[k], 'shape')
                  and tuple(ckpt_state[k].shape) != tuple(v.shape)]
    return missing, unexpected, mismatched


def mismatch_report(missing: Sequence[str],
                    unexpected: Sequence[str],
                    mismatched: Sequence[Tuple[str, tuple, tuple]],
                    limit: int = 12) -> str:
    """A readable report of :func:`compare_state_dicts`' result.

    Examples:
        >>> print(mismatch_report(['head.bn.weight', 'head.bn.bias'], [],
        ...                       [('conv.weight', (8, 3), (4, 3))]))
        2 weights of the model are not in the checkpoint:
          head.bn.{weight, bias}
        1 weight has another shape in the checkpoint:
          conv.weight: model (8, 3), checkpoint (4, 3)
    """
    lines = []

    def plural(n):
        return f'{n} weight' + ('s' if n != 1 else '')

    if missing:
        lines.append(f'{plural(len(missing))} of the model '
                     f'{"is" if len(missing) == 1 else "are"} not in the '
                     'checkpoint:')
        lines += ['  ' + g for g in _group_keys(missing, limit)]
    if mismatched:
        lines.append(f'{plural(len(mismatched))} '
                     f'{"has" if len(mismatched) == 1 else "have"} another '
                     'shape in the checkpoint:')
        lines += [f'  {k}: model {m}, checkpoint {c}'
                  for k, m, c in mismatched[:limit]]
        if len(mismatched) > limit:
            lines.append(f'  ... and {len(mismatched) - limit} more')
    if unexpected:
        lines.append(f'{plural(len(unexpected))} of the checkpoint '
                     f'{"is" if len(unexpected) == 1 else "are"} not in the '
                     'model:')
        lines += ['  ' + g for g in _group_keys(unexpected, limit)]
    return '\n'.join(lines)
