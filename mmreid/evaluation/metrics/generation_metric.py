# Copyright (c) mmreid contributors. All rights reserved.
"""GenerationMetric: SSIM, FID and identity preservation of generated images.
"""
from collections import defaultdict
from typing import Any, Dict, List, Optional, Sequence

import torch
import torch.nn as nn
from mmengine.evaluator import BaseMetric
from torch import Tensor

from mmreid.registry import METRICS, MODELS
# Importing ..functional.fid also registers InceptionFeatureExtractor.
from ..functional.fid import fid_from_features
from ..functional.identity_preservation import identity_preservation
from ..functional.ssim import ssim


@METRICS.register_module()
class GenerationMetric(BaseMetric):
    """Quality of generated person images (FD-GAN pose transfer).

    Each data sample (a dict, or anything with ``to_dict()``) holds:

    - ``pred_img``: the generated image, 3 x H x W RGB, uint8 or float with
      values in [0, 255] (convert a generator's [-1, 1] output first);
    - ``gt_img``: the real image it should reproduce, same shape;
    - optionally ``pred_feature_gen`` and ``gt_feature``: re-ID features
      (D, ) of the generated image and of its real reference, for the
      identity measures (every sample or none must have them);
    - optionally ``pid`` (with ``id_topk``): the identity, for retrieval.

    ``process`` computes the SSIM of each pair (batched per image size) and,
    when ``fid_extractor`` is set, the extractor's features of both images;
    only numbers and feature vectors are kept, never images.

    Output keys (with the ``gen/`` prefix): ``ssim`` (mean SSIM, see
    :func:`mmreid.evaluation.functional.ssim`); ``fid`` if ``fid_extractor``
    is given (FID between the features of all ``gt_img`` and all
    ``pred_img``, :func:`~mmreid.evaluation.functional.fid_from_features`);
    ``id_cos`` (mean cosine similarity of ``pred_feature_gen`` and
    ``gt_feature``) if the features are present; ``id_rank{k}`` (percent,
    generated images retrieved among the real ones by pid) if ``id_topk``
    is set.

    Args:
        fid_extractor (dict | nn.Module, optional): Feature extractor for
            FID, e.g. ``dict(type='InceptionFeatureExtractor')`` (torchvision
            ImageNet Inception v3 weights, downloaded when the metric is
            built). None: no FID. Defaults to None.
        fid_device (str, optional): Device the extractor is moved to (e.g.
            ``'cuda'``); images are moved to it. None leaves it where it is
            built (the CPU). Defaults to None.
        ssim_cfg (dict, optional): Keyword arguments of ``ssim``
            (``data_range``, ``win_size``, ``sigma``, ``k1``, ``k2``).
            Defaults to None (8-bit data range 255, 11 x 11 window, sigma
            1.5).
        id_topk (Sequence[int], optional): CMC ranks of the identity
            retrieval (needs ``pid`` and the features). Defaults to None.
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Defaults to ``'gen'``.
        collect_dir (str, optional): See :class:`BaseMetric`.

    Examples:
        >>> import torch
        >>> from mmreid.evaluation import GenerationMetric
        >>> metric = GenerationMetric()
        >>> img = torch.randint(0, 256, (3, 16, 12), dtype=torch.uint8)
        >>> metric.process(None, [dict(pred_img=img, gt_img=img,
        ...                            pred_feature_gen=torch.ones(4),
        ...                            gt_feature=torch.ones(4))])
        >>> metric.evaluate(1)
        {'gen/ssim': 1.0, 'gen/id_cos': 1.0}
    """

    default_prefix: Optional[str] = 'gen'

    def __init__(self,
                 fid_extractor: Optional[Any] = None,
                 fid_device: Optional[str] = None,
                 ssim_cfg: Optional[dict] = None,
                 id_topk: Optional[Sequence[int]] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 collect_dir: Optional[str] = None) -> None:
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        self.ssim_cfg = dict(ssim_cfg or {})
        if 'reduction' in self.ssim_cfg:
            raise ValueError('GenerationMetric: ssim_cfg cannot set '
                             'reduction (per-image values are averaged)')
        if id_topk is not None:
            id_topk = (id_topk, ) if isinstance(id_topk, int) else tuple(
                int(k) for k in id_topk)
            if not id_topk or min(id_topk) < 1:
                raise ValueError('GenerationMetric: id_topk must hold ranks '
                                 f'>= 1, got {id_topk}')
        self.id_topk = id_topk
        if isinstance(fid_extractor, dict):
            fid_extractor = MODELS.build(fid_extractor)
        if fid_extractor is not None and not isinstance(
                fid_extractor, nn.Module):
            raise TypeError('GenerationMetric: fid_extractor must be a '
                            'config dict or an nn.Module, got '
                            f'{type(fid_extractor)}')
        if fid_extractor is not None:
            if fid_device is not None:
                fid_extractor = fid_extractor.to(fid_device)
            fid_extractor.eval()
        self.fid_extractor = fid_extractor

    @torch.no_grad()
    def _features(self, imgs: Tensor) -> Tensor:
        """FID features (CPU float32) of a batch of images."""
        feats = self.fid_extractor(imgs)
        return feats.detach().to('cpu', torch.float32).flatten(1)

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Compute the SSIM and the FID features of each image pair.

        Args:
            data_batch (Any): Unused.
            data_samples (Sequence[dict]): Samples with ``pred_img`` and
                ``gt_img`` (and optionally ``pred_feature_gen``,
                ``gt_feature``, ``pid``).
        """
        groups: Dict[tuple, List[int]] = defaultdict(list)
        samples, entries = [], []
        for i, sample in enumerate(data_samples):
            if hasattr(sample, 'to_dict'):
                sample = sample.to_dict()
            for key in ('pred_img', 'gt_img'):
                if sample.get(key) is None:
                    raise KeyError(f'GenerationMetric: a data sample has no '
                                   f'{key!r} (keys: {sorted(sample)})')
            pred = torch.as_tensor(sample['pred_img']).detach()
            gt = torch.as_tensor(sample['gt_img']).detach()
            if pred.ndim != 3 or pred.shape[0] != 3 or \
                    pred.shape != gt.shape:
                raise ValueError('GenerationMetric: pred_img and gt_img must '
                                 'be 3 x H x W RGB images of the same size, '
                                 f'got {tuple(pred.shape)} and '
                                 f'{tuple(gt.shape)}')
            samples.append((pred, gt))
            groups[(tuple(pred.shape), pred.device, gt.device)].append(i)
            entry = dict(ssim=None)
            gen_feat = sample.get('pred_feature_gen')
            ref_feat = sample.get('gt_feature')
            if (gen_feat is None) != (ref_feat is None):
                raise KeyError('GenerationMetric: a data sample has only '
                               'one of pred_feature_gen and gt_feature')
            if gen_feat is not None:
                entry['gen_feat'] = torch.as_tensor(gen_feat).detach().to(
                    'cpu', torch.float32).flatten()
                entry['ref_feat'] = torch.as_tensor(ref_feat).detach().to(
                    'cpu', torch.float32).flatten()
            if self.id_topk is not None:
                if 'pid' not in sample:
                    raise KeyError('GenerationMetric: id_topk needs the pid '
                                   'of every sample (keys: '
                                   f'{sorted(sample)})')
                entry['pid'] = int(sample['pid'])
            entries.append(entry)

        for indices in groups.values():
            preds = torch.stack([samples[i][0] for i in indices])
            gts = torch.stack(
                [samples[i][1].to(preds.device) for i in indices])
            values = ssim(preds, gts, reduction='none', **self.ssim_cfg)
            for i, value in zip(indices, values.tolist()):
                entries[i]['ssim'] = value
            if self.fid_extractor is not None:
                fake = self._features(preds)
                real = self._features(gts)
                for j, i in enumerate(indices):
                    entries[i]['fake_feat'] = fake[j].clone()
                    entries[i]['real_feat'] = real[j].clone()
        self.results.extend(entries)

    def compute_metrics(self, results: List[dict]) -> dict:
        """Average the SSIMs, compute FID and the identity measures.

        Args:
            results (list[dict]): What :meth:`process` stored, gathered
                from all processes.

        Returns:
            dict: ``ssim``, and ``fid``, ``id_cos``, ``id_rank{k}`` when
            available.
        """
        # NOTICE: use ``results`` (every rank's), never ``self.results``.
        if not results:
            raise ValueError('GenerationMetric: no samples were processed')
        metrics = dict(
            ssim=float(
                torch.tensor([r['ssim']
                              for r in results], dtype=torch.float64).mean()))
        if self.fid_extractor is not None:
            if len(results) < 2:
                raise ValueError('GenerationMetric: FID needs at least 2 '
                                 f'samples, got {len(results)}')
            metrics['fid'] = fid_from_features(
                torch.stack([r['real_feat'] for r in results]),
                torch.stack([r['fake_feat'] for r in results]))
        with_feats = sum('gen_feat' in r for r in results)
        if with_feats not in (0, len(results)):
            raise ValueError(f'GenerationMetric: {with_feats} of '
                             f'{len(results)} samples have re-ID features '
                             '(pred_feature_gen / gt_feature); all or none '
                             'must')
        if with_feats:
            gen = torch.stack([r['gen_feat'] for r in results])
            ref = torch.stack([r['ref_feat'] for r in results])
            kwargs = {}
            if self.id_topk is not None:
                pids = [r['pid'] for r in results]
                kwargs = dict(gen_pids=pids, ref_pids=pids, topk=self.id_topk)
            res = identity_preservation(gen, ref, 'cosine', **kwargs)
            metrics['id_cos'] = res['cos']
            for k in self.id_topk or ():
                metrics[f'id_rank{k}'] = res[f'rank{k}'] * 100
        elif self.id_topk is not None:
            raise ValueError('GenerationMetric: id_topk is set but the '
                             'samples have no re-ID features '
                             '(pred_feature_gen / gt_feature)')
        return metrics
