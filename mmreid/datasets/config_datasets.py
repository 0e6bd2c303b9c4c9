# Copyright (c) mmreid contributors. All rights reserved.
"""Build the plain datasets of a config, for offline tools.

Tools such as ``tools/misc/extract_keypoints.py``, ``cluster_poses.py`` and
``tools/analysis_tools/browse_dataset.py`` need the image list (and
keypoints) of the dataset(s) a training config uses, without its
augmentation pipeline or dataset wrappers.
"""
import copy
import os.path as osp
from os import PathLike
from typing import List, Optional, Sequence, Union

from mmengine.config import Config, ConfigDict


def load_config(config: Union[str, PathLike, Config],
                cfg_options: Optional[dict] = None) -> Config:
    """Read a config and merge overrides.

    Args:
        config (str | PathLike | Config): A path, a ``package::path`` of a
            config an installed package ships (``mmreid::baseline/demo.py``:
            its ``.mim/configs``, through :func:`mmengine.hub.get_config`),
            or a config (copied).
        cfg_options (dict, optional): ``key.sub=value`` overrides.

    Returns:
        Config: The config.

    Examples:
        >>> cfg = load_config(Config(dict(model=dict(type='Baseline'))),
        ...                   {'model.type': 'DPL'})
        >>> cfg.model.type
        'DPL'
    """
    if isinstance(config, Config):
        cfg = copy.deepcopy(config)
    elif not isinstance(config, (str, PathLike)):
        raise TypeError('config must be a file path, a "mmreid::..." name '
                        f'or a Config, got {type(config).__name__}')
    elif '::' in str(config) and not osp.exists(config):
        import mmreid  # noqa: F401 (registers the mmreid:: scope)
        from mmengine.hub import get_config
        try:
            cfg = get_config(str(config))
        except FileNotFoundError as e:
            package = str(config).split('::', 1)[0]
            raise FileNotFoundError(
                f'cannot resolve the config name {config}: {e}; is '
                f'{package} installed with its configs (package.mim)?'
            ) from e
    else:
        cfg = Config.fromfile(str(config))
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return cfg


def plain_dataset_cfg(cfg: Config, split: str = 'train') -> ConfigDict:
    """The innermost dataset config of a dataloader, with no pipeline.

    Args:
        cfg (Config): A training / test config.
        split (str): ``'train'`` (``train_dataloader``) or ``'test'``
            (``test_dataloader``, else ``val_dataloader``).

    Returns:
        ConfigDict: A copy of the dataset config with ``pipeline=[]``.

    Examples:
        >>> cfg = Config(dict(train_dataloader=dict(dataset=dict(
        ...     type='Wrapper', dataset=dict(type='Market1501',
        ...     data_root='x', pipeline=[dict(type='Foo')])))))
        >>> plain_dataset_cfg(cfg)['type'], plain_dataset_cfg(cfg).pipeline
        ('Market1501', [])
    """
    if split == 'train':
        keys = ['train_dataloader']
    elif split == 'test':
        keys = ['test_dataloader', 'val_dataloader']
    else:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    for key in keys:
        if cfg.get(key) and cfg[key].get('dataset'):
            ds = copy.deepcopy(cfg[key]['dataset'])
            break
    else:
        raise KeyError(f'the config has no {" or ".join(keys)}.dataset')
    while 'dataset' in ds:  # dataset wrappers (pairs, repeats, ...)
        ds = ds['dataset']
    ds['pipeline'] = []
    return ds


def build_plain_datasets(cfg: Config,
                         splits: Sequence[str] = ('train', ),
                         keypoint_file: Optional[str] = None,
                         **overrides) -> List:
    """Build a config's datasets without pipelines.

    Args:
        cfg (Config): The config (its ``default_scope`` is used).
        splits (Sequence[str]): ``'train'`` and / or ``'test'``.
        keypoint_file (str, optional): Set (or override) the datasets'
            ``keypoint_file``. ``''`` removes it.
        **overrides: Other dataset arguments to set.

    Returns:
        list: One built dataset per split.
    """
    from mmengine.registry import DefaultScope

    from mmreid.registry import DATASETS
    out = []
    scope = cfg.get('default_scope', 'mmreid') or 'mmreid'
    for split in splits:
        ds = plain_dataset_cfg(cfg, split)
        if keypoint_file is not None:
            ds['keypoint_file'] = keypoint_file or None
        ds.update(overrides)
        with DefaultScope.overwrite_default_scope(scope):
            out.append(DATASETS.build(ds))
    return out
