# Copyright (c) mmreid contributors. All rights reserved.
"""Build a re-ID model from a config and load its checkpoint."""
import copy
import re
from os import PathLike
from typing import Optional, Union

import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner.checkpoint import (_load_checkpoint,
                                        _load_checkpoint_to_model)
from torch import nn

from mmreid.datasets.config_datasets import load_config
from mmreid.models.utils import (REVISE_KEYS, CheckpointMismatchError,
                                 compare_state_dicts, fill_train_set_markers,
                                 has_train_set_marker, mismatch_report,
                                 revised_state_dict)


def _checkpoint_model_type(checkpoint: dict) -> Optional[str]:
    """The model type recorded in a checkpoint's config text, if any."""
    text = checkpoint.get('meta', {}).get('cfg') if isinstance(
        checkpoint.get('meta'), dict) else None
    if not isinstance(text, str):
        return None
    found = re.search(r"model\s*=\s*dict\(\s*type\s*=\s*'([^']+)'", text)
    return found.group(1) if found else None


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
        state = revised_state_dict(ckpt)
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
