# Copyright (c) mmreid contributors. All rights reserved.
"""The runner of mmreid: MMEngine's Runner plus two re-ID needs."""
import copy
import os
from typing import Any, Dict, Optional, Union

import torch
import torch.distributed as torch_dist
from mmengine.dist import is_distributed
from mmengine.logging import print_log
from mmengine.runner import Runner
from torch import nn

from mmreid.registry import DATASETS, RUNNERS

#: model config keys filled from the training set's ``metainfo``.
DATASET_DERIVED_KEYS = ('num_classes', 'num_cameras')


def fill_from_metainfo(cfg: Any, metainfo: dict) -> int:
    """Fill every ``num_classes``/``num_cameras`` that is None in a config.

    Args:
        cfg (dict | list): A (nested) model config, modified in place.
        metainfo (dict): The training set's metainfo.

    Returns:
        int: How many values were filled.

    Examples:
        >>> cfg = dict(head=dict(num_classes=None, loss=dict(num_classes=None)))
        >>> fill_from_metainfo(cfg, dict(num_classes=751))
        2
        >>> cfg['head']['loss']['num_classes']
        751
    """
    filled = 0
    if isinstance(cfg, dict):
        for key, value in cfg.items():
            if key in DATASET_DERIVED_KEYS and value is None \
                    and key in metainfo:
                cfg[key] = metainfo[key]
                filled += 1
            else:
                filled += fill_from_metainfo(value, metainfo)
    elif isinstance(cfg, (list, tuple)):
        for value in cfg:
            filled += fill_from_metainfo(value, metainfo)
    return filled


def _has_placeholder(cfg: Any) -> bool:
    """Whether a config has a ``num_classes``/``num_cameras`` set to None."""
    if isinstance(cfg, dict):
        return any((k in DATASET_DERIVED_KEYS and v is None)
                   or _has_placeholder(v) for k, v in cfg.items())
    if isinstance(cfg, (list, tuple)):
        return any(_has_placeholder(v) for v in cfg)
    return False


def init_cpu_process_group(launcher: str, timeout: int = 1800) -> None:
    """Start a gloo process group when distributed without CUDA.

    MMEngine 0.10's launchers call ``torch.cuda.set_device``
    unconditionally; without a GPU the group is started here instead, so
    ``tools/dist_train.sh`` runs several CPU processes with the same code.

    Args:
        launcher (str): ``'pytorch'`` (torchrun) or ``'slurm'``.
        timeout (int): Seconds. Defaults to 1800.
    """
    import datetime
    if launcher == 'slurm':
        os.environ.setdefault('RANK', os.environ['SLURM_PROCID'])
        os.environ.setdefault('WORLD_SIZE', os.environ['SLURM_NTASKS'])
        os.environ.setdefault('LOCAL_RANK', os.environ['SLURM_LOCALID'])
        os.environ.setdefault('MASTER_PORT', '29500')
        if 'MASTER_ADDR' not in os.environ:
            import subprocess
            node_list = os.environ['SLURM_NODELIST']
            os.environ['MASTER_ADDR'] = subprocess.getoutput(
                f'scontrol show hostname {node_list} | head -n1')
    elif launcher != 'pytorch':
        raise ValueError(f'CPU distributed training supports the pytorch '
                         f'and slurm launchers, got {launcher!r}')
    torch_dist.init_process_group(
        backend='gloo', timeout=datetime.timedelta(seconds=timeout))


@RUNNERS.register_module()
class ReIDRunner(Runner):
    """MMEngine's :class:`~mmengine.runner.Runner` with two additions.

    1. Dataset-derived model settings: every ``num_classes`` /
       ``num_cameras`` left as None in the model config is filled from the
       training set's ``metainfo`` before the model is built (as fast-reid
       does), so configs never hard-code the number of identities.
    2. Distributed runs without CUDA: the process group uses gloo and the
       model is wrapped without ``device_ids``, so the same
       ``tools/dist_train.sh`` runs on CPU processes.

    Select it with ``runner_type = 'ReIDRunner'`` in the config (set in
    ``configs/_base_/default_runtime.py``). Arguments are the Runner's.
    """

    def setup_env(self, env_cfg: Dict) -> None:
        """Start a gloo group on CPU-only machines, then MMEngine's set-up."""
        if self.distributed and not is_distributed() \
                and not torch.cuda.is_available():
            timeout = env_cfg.get('dist_cfg', {}).get('timeout', 1800)
            init_cpu_process_group(self.launcher, timeout)
        super().setup_env(env_cfg)

    def build_model(self, model: Union[nn.Module, Dict]) -> nn.Module:
        """Fill dataset-derived keys, then build the model."""
        if isinstance(model, dict) and _has_placeholder(model):
            model = copy.deepcopy(model)
            metainfo = self._train_metainfo()
            if metainfo is not None:
                fill_from_metainfo(model, metainfo)
        return super().build_model(model)

    def _train_metainfo(self) -> Optional[dict]:
        """The training set's metainfo, or None without a training set."""
        loader = self._train_dataloader
        if loader is None:
            print_log(
                'No train_dataloader: num_classes/num_cameras left as None '
                'in the model config (classifier not built; fine for '
                'testing, where only features are used).',
                logger='current')
            return None
        if isinstance(loader, dict):
            dataset_cfg = copy.deepcopy(loader['dataset'])
            dataset_cfg['pipeline'] = []
            dataset_cfg['lazy_init'] = False
            dataset = DATASETS.build(dataset_cfg)
            return dataset.metainfo
        return loader.dataset.metainfo

    def wrap_model(self, model_wrapper_cfg: Optional[Dict],
                   model: nn.Module) -> nn.Module:
        """Wrap for DDP without ``device_ids`` when there is no CUDA."""
        if self.distributed and not torch.cuda.is_available():
            model_wrapper_cfg = copy.deepcopy(model_wrapper_cfg) or dict(
                type='MMDistributedDataParallel',
                broadcast_buffers=False,
                find_unused_parameters=self.cfg.get(
                    'find_unused_parameters', False))
            model_wrapper_cfg.setdefault('device_ids', None)
        return super().wrap_model(model_wrapper_cfg, model)
