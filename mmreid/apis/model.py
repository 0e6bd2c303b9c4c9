# Copyright (c) mmreid contributors. All rights reserved.
"""Build a re-ID model from a config and load its checkpoint."""
import copy
import re
from collections import OrderedDict
from os import PathLike
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner.checkpoint import (_load_checkpoint,
                                        _load_checkpoint_to_model)
from torch import nn

from mmreid.models.utils import fill_train_set_markers, has_train_set_marker

#: How the checkpoint keys of a wrapped (DDP) model are renamed.
REVISE_KEYS = [(r'^module\.', '')]


class CheckpointMismatchError(RuntimeError):
    """A checkpoint whose weights do not fit the model built from the
    config (most often: a checkpoint of another model or config)."""


def load_config(config: Union[str, PathLike, Config]) -> Config:
    """A config from a path, a ``package::relative/path.py`` name (e.g.
    ``'mmreid::baseline/demo.py'``, resolved in the installed package) or
    a :class:`Config` (copied).

    Examples:
        >>> cfg = load_config(Config(dict(model=dict(type='Baseline'))))
        >>> cfg.model.type
        'Baseline'
    """
    if isinstance(config, Config):
        return copy.deepcopy(config)
    if not isinstance(config, (str, PathLike)):
        raise TypeError('config must be a file path, a "mmreid::..." name '
                        f'or a Config, got {type(config).__name__}')
    config = str(config)
    if '::' in config:
        from mmengine.hub import get_config
        try:
            return get_config(config)
        except FileNotFoundError as e:
            package = config.split('::', 1)[0]
            raise FileNotFoundError(
                f'cannot resolve the config name {config}: {e}; is '
                f'{package} installed with its configs (package.mim)?'
            ) from e
    return Config.fromfile(config)


def _checkpoint_model_type(checkpoint: dict) -> Optional[str]:
    """The model type recorded in a checkpoint's config text, if any."""
    text = checkpoint.get('meta', {}).get('cfg') if isinstance(
        checkpoint.get('meta'), dict) else None
    if not isinstance(text, str):
        return None
    found = re.search(r"model\s*=\s*dict\(\s*type\s*=\s*'([^']+)'", text)
    return found.group(1) if found else None


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


def _state_dict_of(checkpoint: dict) -> Dict[str, torch.Tensor]:
    """The (renamed) state dict inside a loaded checkpoint."""
    state = checkpoint.get('state_dict', checkpoint)
    out = OrderedDict()
    for key, value in state.items():
        for pattern, repl in REVISE_KEYS:
            key = re.sub(pattern, repl, key)
        out[key] = value
    return out


def _train_set_metainfo(cfg: Config, checkpoint: Optional[dict]) -> dict:
    """What the training-set markers of the model config are filled with:
    the checkpoint's ``meta['dataset_meta']`` (saved by the runner), else
    the config's training set."""
    meta = (checkpoint or {}).get('meta', {})
    if isinstance(meta, dict) and isinstance(meta.get('dataset_meta'), dict):
        return meta['dataset_meta']
    train_loader = cfg.get('train_dataloader')
    if not train_loader:
        raise ValueError(
            'the model config takes values from the training set '
            "('train_set.<key>' markers, e.g. the number of identities), "
            'but ' + ('the checkpoint has no meta["dataset_meta"] and ' if
                      checkpoint is not None else 'there is no checkpoint '
                      'and ') + 'the config has no train_dataloader; set the '
            'values in the config (e.g. model.head.num_classes)')
    from mmreid.registry import DATASETS
    with DefaultScope.overwrite_default_scope('mmreid'):
        return DATASETS.build(train_loader['dataset']).metainfo


def init_model(config: Union[str, PathLike, Config],
               checkpoint: Optional[str] = None,
               device: Union[str, torch.device] = 'cpu',
               cfg_options: Optional[dict] = None) -> nn.Module:
    """Build a re-ID model from its config and load a checkpoint.

    The model config's training-set markers (``'train_set.num_classes'``)
    are filled from the checkpoint's ``meta['dataset_meta']`` (written by
    the runner), else from the config's training set, as
    :class:`~mmreid.engine.ReIDRunner` would. A checkpoint must fit the
    model: a weight of the model missing from it, or of another shape,
    raises :class:`CheckpointMismatchError` with the keys grouped by
    module; so do weights of the checkpoint that the model does not have.
    The model is returned in eval mode with the config as ``model.cfg``,
    the training set's metainfo as ``model.dataset_meta`` and the
    checkpoint as ``model.checkpoint_path``.

    Args:
        config (str | PathLike | Config): A config file, a
            ``'mmreid::<method>/<config>.py'`` name or a Config.
        checkpoint (str, optional): A checkpoint file or URL (anything
            MMEngine's checkpoint loaders read). None keeps the model's
            own initialisation (``init_weights`` is called).
        device (str | torch.device): Defaults to ``'cpu'``.
        cfg_options (dict, optional): Overrides merged into the config,
            e.g. ``{'model.test_cfg.flip': True}``.

    Returns:
        nn.Module: The model, in eval mode.

    Raises:
        CheckpointMismatchError: The checkpoint does not fit the model.

    Examples:
        >>> from mmreid.testing import tiny_baseline_config
        >>> model = init_model(tiny_baseline_config())
        >>> model.training, type(model).__name__
        (False, 'Baseline')
    """
    cfg = load_config(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if 'model' not in cfg:
        raise KeyError('the config has no "model"')
    ckpt = None
    if checkpoint is not None:
        ckpt = _load_checkpoint(checkpoint, map_location='cpu')
        if not isinstance(ckpt, dict):
            raise CheckpointMismatchError(
                f'{checkpoint} holds a {type(ckpt).__name__}, not a '
                'checkpoint (a dict with a state_dict)')
    model_cfg = copy.deepcopy(cfg.model)
    dataset_meta = None
    if has_train_set_marker(model_cfg):
        dataset_meta = _train_set_metainfo(cfg, ckpt)
        fill_train_set_markers(model_cfg, dataset_meta, 'model')
    from mmreid.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmreid'):
        model = MODELS.build(model_cfg)
    if ckpt is None:
        model.init_weights()
    else:
        state = _state_dict_of(ckpt)
        missing, unexpected, mismatched = compare_state_dicts(
            model.state_dict(), state)
        if missing or mismatched or unexpected:
            trained = _checkpoint_model_type(ckpt)
            hint = (f' (its config built a {trained!r} model)'
                    if trained else '')
            raise CheckpointMismatchError(
                f'the checkpoint {checkpoint}{hint} does not fit the '
                f'{type(model).__name__} model of the config'
                + (f' {config}' if isinstance(config, (str, PathLike))
                   else '') + ':\n'
                + mismatch_report(missing, unexpected, mismatched)
                + '\nIs it a checkpoint of this config?')
        _load_checkpoint_to_model(
            model, ckpt, strict=True, revise_keys=REVISE_KEYS)
        meta = ckpt.get('meta', {})
        if isinstance(meta, dict) and 'dataset_meta' in meta:
            dataset_meta = meta['dataset_meta']
    model.cfg = cfg
    model.checkpoint_path = checkpoint
    model.dataset_meta = dataset_meta
    model.to(device)
    model.eval()
    return model
