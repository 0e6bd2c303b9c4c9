# Copyright (c) mmreid contributors. All rights reserved.
"""The runner of mmreid: MMEngine's Runner plus two re-ID needs."""
import copy
import logging
import os
from typing import Dict, Optional, Union

import torch
import torch.distributed as torch_dist
from mmengine.dist import is_distributed
from mmengine.logging import print_log
from mmengine.runner import Runner
from mmengine.runner.checkpoint import (_load_checkpoint,
                                        _load_checkpoint_to_model)
from torch import nn

from mmreid.models.utils import (REVISE_KEYS, CheckpointMismatchError,
                                 compare_state_dicts, fill_train_set_markers,
                                 has_train_set_marker, mismatch_report,
                                 model_distance_fn, revised_state_dict,
                                 unwrap_model)
from mmreid.registry import RUNNERS
from mmreid.utils.malloc import set_malloc_thresholds


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


def check_sampler_batch_size(dataloader: dict) -> None:
    """Refuse a sampler ``batch_size`` that differs from the loader's.

    Args:
        dataloader (dict): A dataloader config.

    Examples:
        >>> check_sampler_batch_size(dict(batch_size=8, sampler=dict(
        ...     type='IdentitySampler', batch_size=8)))
    """
    sampler = dataloader.get('sampler') or {}
    want = sampler.get('batch_size') if isinstance(sampler, dict) else None
    have = dataloader.get('batch_size', 1)
    if want is not None and want != have:
        raise ValueError(
            f"{sampler.get('type')}: sampler.batch_size={want} differs from "
            f'the dataloader batch_size={have}; set both to the per-GPU '
            'batch size (e.g. --cfg-options train_dataloader.batch_size=B '
            'train_dataloader.sampler.batch_size=B)')


@RUNNERS.register_module()
class ReIDRunner(Runner):
    """MMEngine's :class:`~mmengine.runner.Runner` with seven additions.

    1. Dataset-derived model settings: every value written as a training-set
       marker in the model config (``num_classes='train_set.num_classes'``,
       see :func:`~mmreid.models.utils.train_set_marker`) is replaced by the
       training set's ``metainfo`` value before the model is built, so
       configs never hard-code the number of identities. The training
       dataloader built for this is the one training uses (one build).
    2. Model distances: every metric of the validation / test evaluator
       built with ``metric='model'`` (``uses_distance_fn``) receives the
       model's ``distance_matrix`` (:func:`~mmreid.models.utils.
       model_distance_fn`) when its loop is built; a model without one is
       an error then, not at the end of the evaluation.
    3. A sampler that forms batches itself (``batch_size`` in its config)
       must agree with its dataloader's ``batch_size``.
    4. Distributed runs without CUDA: the process group uses gloo and the
       model is wrapped without ``device_ids``, so the same
       ``tools/dist_train.sh`` runs on CPU processes.
    5. Checkpoints that do not fit the model are refused, with the keys
       that do not fit (:func:`~mmreid.models.utils.mismatch_report`):
       when resuming, any difference; when testing or validating, a model
       weight the checkpoint lacks or holds with another shape (extra
       checkpoint keys, such as a training-only classifier, are fine).
       ``load_from`` for fine-tuning keeps MMEngine's behaviour (the
       mismatch is logged and training starts from what fits).
    6. ``env_cfg.malloc_cfg``: glibc's malloc keeps freed memory for the
       next step (:func:`~mmreid.utils.set_malloc_thresholds`; set in
       ``configs/_base_/default_runtime.py``).
    7. ``compile=True`` (MMEngine's option) compiles the model's forward
       rather than the whole ``train_step`` (:meth:`_maybe_compile`).

    Select it with ``runner_type = 'ReIDRunner'`` in the config (set in
    ``configs/_base_/default_runtime.py``). Arguments are the Runner's.
    """

    def setup_env(self, env_cfg: Dict) -> None:
        """Start a gloo group on CPU-only machines, then MMEngine's set-up;
        ``env_cfg.malloc_cfg`` (keyword arguments of
        :func:`~mmreid.utils.set_malloc_thresholds`) sets glibc's malloc
        thresholds first."""
        malloc_cfg = env_cfg.get('malloc_cfg')
        if malloc_cfg is not None:
            if not set_malloc_thresholds(**malloc_cfg):
                print_log(
                    'env_cfg.malloc_cfg: this C library has no glibc '
                    'mallopt; malloc thresholds left as they are',
                    logger='current',
                    level=logging.WARNING)
        if self.distributed and not is_distributed() \
                and not torch.cuda.is_available():
            timeout = env_cfg.get('dist_cfg', {}).get('timeout', 1800)
            init_cpu_process_group(self.launcher, timeout)
        super().setup_env(env_cfg)

    def _maybe_compile(self, target: str) -> None:
        """MMEngine's ``compile`` option, applied to the model's ``forward``.

        MMEngine compiles ``train_step``, which makes TorchDynamo trace the
        optimizer wrapper's update too; on torch 2.4 that fails inside
        the optimizer (``InternalTorchDynamoError`` in
        ``_set_capturable``). The forward (backbone, neck, head and the
        losses) is what compiling speeds up, and backward runs through the
        compiled graph as well; the update stays eager.
        """
        super()._maybe_compile('forward' if target == 'train_step' else
                               target)

    def build_model(self, model: Union[nn.Module, Dict]) -> nn.Module:
        """Fill the training-set markers, then build the model."""
        if isinstance(model, dict) and has_train_set_marker(model):
            model = copy.deepcopy(model)
            fill_train_set_markers(model, self._train_metainfo(), 'model')
        return super().build_model(model)

    def _train_metainfo(self) -> Optional[dict]:
        """The training set's metainfo, or None without a training set.

        A training dataloader given as a config is built here, with the
        seed training would use, and kept: the train loop then uses this
        loader instead of building the dataset a second time.
        """
        loader = self._train_dataloader
        if loader is None:
            print_log(
                'No train_dataloader: the training-set markers of the model '
                'config become None (no identity classifier is built; fine '
                'for testing, where only features are used).',
                logger='current')
            return None
        if isinstance(loader, dict):
            loader = self.build_dataloader(
                loader,
                seed=self.seed,
                diff_rank_seed=self._randomness_cfg.get(
                    'diff_rank_seed', False))
            self._train_dataloader = loader
        return loader.dataset.metainfo

    @staticmethod
    def build_dataloader(dataloader, seed=None, diff_rank_seed=False):
        """MMEngine's dataloader build, refusing a mismatched sampler.

        Samplers that form batches themselves (``IdentitySampler``,
        ``IdentityContiguousSampler``) take ``batch_size``; it must equal
        the dataloader's, or the batches they form would be cut
        differently by the loader (e.g. an override of only one of them).
        """
        if isinstance(dataloader, dict):
            check_sampler_batch_size(dataloader)
        return Runner.build_dataloader(
            dataloader, seed=seed, diff_rank_seed=diff_rank_seed)

    def resume(self, filename: str, *args, **kwargs) -> None:
        """MMEngine's resume, refusing a checkpoint of another model."""
        self._checkpoint_use = 'resume'
        try:
            super().resume(filename, *args, **kwargs)
        finally:
            self._checkpoint_use = None

    def test(self) -> dict:
        """MMEngine's test, refusing a checkpoint that lacks weights."""
        self._checkpoint_use = 'test'
        try:
            return super().test()
        finally:
            self._checkpoint_use = None

    def val(self) -> dict:
        """MMEngine's val, refusing a checkpoint that lacks weights."""
        self._checkpoint_use = 'test'
        try:
            return super().val()
        finally:
            self._checkpoint_use = None

    def load_checkpoint(self,
                        filename: str,
                        map_location='cpu',
                        strict: bool = False,
                        revise_keys: Optional[list] = None):
        """Load a checkpoint; refuse one that does not fit (item 5).

        Keys are renamed by :data:`~mmreid.models.utils.REVISE_KEYS` (DDP
        prefixes, also of separately wrapped GAN networks) plus
        ``revise_keys``.
        """
        revise = REVISE_KEYS + list(revise_keys or [])
        checkpoint = _load_checkpoint(filename, map_location=map_location)
        self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        model = unwrap_model(self.model)
        use = getattr(self, '_checkpoint_use', None)
        if use is not None:
            # both sides renamed alike: under DDP the model's own keys
            # hold the wrappers' 'module.' too
            missing, unexpected, shape = compare_state_dicts(
                revised_state_dict(model.state_dict()),
                revised_state_dict(checkpoint))
            if missing or shape or (use == 'resume' and unexpected):
                raise CheckpointMismatchError(
                    f'{filename} does not fit the model '
                    f'{type(model).__name__} (to {use}):\n' +
                    mismatch_report(missing, unexpected, shape) +
                    '\nIs it a checkpoint of this config?')
        checkpoint = _load_checkpoint_to_model(
            model, checkpoint, strict, revise_keys=revise)
        self._has_loaded = True
        self.logger.info(f'Load checkpoint from {filename}')
        return checkpoint

    def build_val_loop(self, loop):
        """Build the validation loop and give model distances to it."""
        loop = super().build_val_loop(loop)
        self._bind_model_distance(loop)
        return loop

    def build_test_loop(self, loop):
        """Build the test loop and give model distances to it."""
        loop = super().build_test_loop(loop)
        self._bind_model_distance(loop)
        return loop

    def _bind_model_distance(self, loop) -> None:
        """``set_distance_fn`` on every metric that uses one."""
        evaluator = getattr(loop, 'evaluator', None)
        for metric in getattr(evaluator, 'metrics', []):
            if getattr(metric, 'uses_distance_fn', False):
                metric.set_distance_fn(model_distance_fn(self.model))

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
