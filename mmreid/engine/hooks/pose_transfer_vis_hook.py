# Copyright (c) mmreid contributors. All rights reserved.
"""Sample grids and SSIM of a pose-guided generator during training."""
import json
import os.path as osp
from typing import List, Optional, Sequence

import mmcv
import numpy as np
import torch
import torch.nn.functional as F
from mmengine.dataset import pseudo_collate
from mmengine.dist import master_only
from mmengine.hooks import Hook

from mmreid.evaluation.functional.ssim import ssim
from mmreid.models.utils import unwrap_model
from mmreid.registry import DATASETS, HOOKS
from mmreid.visualization.pose_transfer import draw_pose_transfer_grid


def generate_transfer_batch(model,
                            dataset,
                            pairs: Sequence[Sequence[int]],
                            noise_seed: int = 0,
                            batch_size: int = 16) -> dict:
    """Generate the origins of ``pairs`` in their targets' poses.

    Runs ``model.generate`` in eval mode without gradients (the model's
    mode is restored), with noise from a generator seeded by
    ``noise_seed``, so a checkpoint always gives the same images.

    Args:
        model (nn.Module): A pose-guided GAN (``generate(img, pose_maps,
            noise)``, ``noise_channels`` (0 for none), ``data_preprocessor``
            with ``destruct``), possibly DDP-wrapped. A model whose
            ``has_reid_features`` is False (PN-GAN's GAN stage) gets no
            identity measure (``id_cos`` is NaN).
        dataset (PoseTransferPairDataset): Gives ``transfer_item``.
        pairs (Sequence): ``(origin_idx, target_idx)`` pairs.
        noise_seed (int): Seed of the noise. Defaults to 0.
        batch_size (int): Items per forward. Defaults to 16.

    Returns:
        dict: ``inputs``, ``generated``, ``targets`` (N x H x W x 3 uint8
        RGB numpy arrays), ``pose_maps`` (N x P x H x W float32, or N x H x W
        x 3 uint8 RGB pose images for ``pose_as_image`` preprocessors),
        ``ssim``
        (N SSIMs of generated vs real target images), ``ssim_copy_input``
        and ``ssim_mean_colour`` (the SSIMs of two trivial references: the
        input image, and a flat image of the target's mean colour) and
        ``id_cos`` (N
        cosine similarities of the model's re-ID features of generated and
        real target images: identity preservation).
    """
    model = unwrap_model(model)
    pre = model.data_preprocessor
    with_feats = getattr(model, 'has_reid_features', True)
    pose_imgs = getattr(pre, 'pose_as_image', False)
    gen = torch.Generator().manual_seed(noise_seed)
    noise = torch.randn(len(pairs), model.noise_channels, generator=gen)
    out: dict = {
        k: []
        for k in ('inputs', 'generated', 'targets', 'pose_maps', 'gen_feat',
                  'target_feat')
    }
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            for s in range(0, len(pairs), batch_size):
                chunk = pairs[s:s + batch_size]
                data = pre(
                    pseudo_collate(
                        [dataset.transfer_item(o, t) for o, t in chunk]),
                    False)
                x = data['inputs']
                fake = model.generate(
                    x.img, x.pose_maps,
                    noise[s:s + len(chunk)].to(x.img.device))
                out['inputs'].append(pre.destruct(x.img).cpu())
                out['generated'].append(pre.destruct(fake).cpu())
                out['targets'].append(pre.destruct(x.target_img).cpu())
                out['pose_maps'].append(
                    pre.destruct(x.pose_maps).cpu() if pose_imgs else
                    x.pose_maps.float().cpu())
                if with_feats:
                    out['gen_feat'].append(model.extract_feat(fake).cpu())
                    out['target_feat'].append(
                        model.extract_feat(x.target_img).cpu())
    finally:
        model.train(was_training)
    if not with_feats:
        nan = torch.full((len(pairs), 1), float('nan'))
        out['gen_feat'] = out['target_feat'] = [nan]
    out = {k: torch.cat(v) for k, v in out.items()}
    targets = out['targets'].permute(0, 3, 1, 2)
    out['ssim'] = ssim(out['generated'].permute(0, 3, 1, 2),
                       targets,
                       reduction='none')
    # trivial references: the input image itself, and a flat image of the
    # real target's mean colour
    out['ssim_copy_input'] = ssim(out['inputs'].permute(0, 3, 1, 2),
                                  targets,
                                  reduction='none')
    flat = targets.float().mean((2, 3), keepdim=True).round().expand_as(
        targets)
    out['ssim_mean_colour'] = ssim(flat, targets, reduction='none')
    out['id_cos'] = F.cosine_similarity(out.pop('gen_feat'),
                                        out.pop('target_feat'))
    return {k: v.numpy() for k, v in out.items()}


@HOOKS.register_module()
class PoseTransferVisHook(Hook):
    """Write sample grids and the SSIM on fixed held-out pose transfers.

    Before training (the "start" of a stage), every ``interval`` training
    iterations and after training, the model generates a fixed set of
    held-out transfers (the same origins, target poses and noise every
    time: :meth:`PoseTransferPairDataset.fixed_transfer_pairs` and a seeded
    noise) and the hook

    - writes ``<out_dir>/pose_transfer_iter_<n>.png`` (``n`` iterations
      done): one row per sample,
      input | target pose | generated | real target
      (:func:`~mmreid.visualization.draw_pose_transfer_grid`);
    - computes the mean SSIM of generated vs real target images
      (:func:`~mmreid.evaluation.functional.ssim`) and the mean cosine
      similarity of their re-ID features (identity preservation, with the
      model's own encoder), logs them, adds them to the visualizer's
      scalars as ``gen/ssim`` and ``gen/id_cos`` and appends
      ``{"tag", "iter", "ssim", "id_cos", "ssim_copy_input",
      "ssim_mean_colour", "grid"}`` (the last two: trivial references, the
      input image and a flat image of the target's mean colour) to
      ``<out_dir>/ssim.json``.

    Use deterministic pipelines in ``dataset`` (no random flip, erasing or
    sigma choice) so the inputs are the same every time. Runs on rank 0
    only.

    Args:
        dataset (dict): A ``PoseTransferPairDataset`` config over held-out
            images (e.g. the test split, identities unseen in training).
        num_samples (int): Transfers shown and scored. Defaults to 8.
        interval (int): Iterations between grids (0: only at the start and
            the end). Defaults to 0.
        seed (int): Seed of the pairs and of the noise. Defaults to 0.
        columns (int): Samples side by side in the grid. Defaults to 2.
        out_dir (str, optional): Defaults to ``<work_dir>/vis``.

    Examples:
        >>> hook = PoseTransferVisHook(dict(type='PoseTransferPairDataset'),
        ...                            num_samples=4, interval=100)
        >>> hook.num_samples, hook.interval
        (4, 100)
    """

    priority = 'LOW'

    def __init__(self,
                 dataset: dict,
                 num_samples: int = 8,
                 interval: int = 0,
                 seed: int = 0,
                 columns: int = 2,
                 out_dir: Optional[str] = None) -> None:
        if num_samples < 1:
            raise ValueError(f'num_samples must be >= 1, got {num_samples}')
        if interval < 0:
            raise ValueError(f'interval must be >= 0, got {interval}')
        self.dataset_cfg = dataset
        self.num_samples = num_samples
        self.interval = interval
        self.seed = seed
        self.columns = columns
        self.out_dir = out_dir
        self._dataset = None
        self._last_iter: Optional[int] = None
        self.history: List[dict] = []

    def _get_dataset(self):
        if self._dataset is None:
            ds = self.dataset_cfg
            self._dataset = DATASETS.build(ds) if isinstance(ds, dict) else ds
            if not hasattr(self._dataset, 'transfer_item'):
                raise TypeError(
                    'PoseTransferVisHook needs a PoseTransferPairDataset '
                    f'(with transfer_item), got {type(self._dataset)}')
        return self._dataset

    @master_only
    def run(self, runner, done: int, tag: str) -> dict:
        """Generate, write the grid and the SSIM record; return the record.

        Args:
            runner (Runner): The runner.
            done (int): Training iterations completed.
            tag (str): Name of the grid file.
        """
        if self._last_iter == done:
            return self.history[-1]
        ds = self._get_dataset()
        pairs = ds.fixed_transfer_pairs(self.num_samples, seed=self.seed)
        out = generate_transfer_batch(runner.model,
                                      ds,
                                      pairs,
                                      noise_seed=self.seed)
        out_dir = self.out_dir or osp.join(runner.work_dir, 'vis')
        grid_path = osp.join(out_dir, f'pose_transfer_{tag}.png')
        mmcv.imwrite(
            draw_pose_transfer_grid(out['inputs'],
                                    out['pose_maps'],
                                    out['generated'],
                                    out['targets'],
                                    columns=self.columns), grid_path)
        value = float(np.mean(out['ssim']))
        id_cos = float(np.mean(out['id_cos']))
        if np.isnan(id_cos):  # a model without re-ID features
            id_cos = None
        record = dict(
            tag=tag,
            iter=int(done),
            ssim=value,
            id_cos=id_cos,
            ssim_copy_input=float(np.mean(out['ssim_copy_input'])),
            ssim_mean_colour=float(np.mean(out['ssim_mean_colour'])),
            grid=grid_path)
        self.history.append(record)
        self._last_iter = done
        with open(osp.join(out_dir, 'ssim.json'), 'w') as f:
            json.dump(self.history, f, indent=1)
        scalars = {'gen/ssim': value}
        if id_cos is not None:
            scalars['gen/id_cos'] = id_cos
        runner.visualizer.add_scalars(scalars, step=done)
        ident = ('' if id_cos is None else
                 f', identity cosine {id_cos:.4f}')
        runner.logger.info(
            f'PoseTransferVisHook: {tag}: SSIM {value:.4f}{ident} on '
            f'{len(pairs)} held-out transfers; grid {grid_path}')
        return record

    def before_train(self, runner) -> None:
        """Grid and SSIM of the model as the stage starts."""
        self.run(runner, runner.iter, f'iter_{runner.iter}')

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        """Grid and SSIM every ``interval`` iterations."""
        if self.interval and self.every_n_train_iters(runner, self.interval):
            self.run(runner, runner.iter + 1, f'iter_{runner.iter + 1}')

    def after_train(self, runner) -> None:
        """Grid and SSIM of the model as the stage ends."""
        self.run(runner, runner.iter, f'iter_{runner.iter}')
