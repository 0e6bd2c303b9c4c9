# Copyright (c) mmreid contributors. All rights reserved.
"""ReIDMetric: CMC / mAP / mINP of a query set against a gallery."""
from typing import Any, Callable, List, Optional, Sequence

import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from torch import Tensor

from mmreid.registry import METRICS
from ..functional import evaluate_features
from ..functional.distance import DISTANCE_METRICS
from ..functional.evaluate import AQE_DEFAULTS, RERANK_DEFAULTS, _options
from ..functional.ranking import check_eval_args

SPLITS = ('query', 'gallery')


@METRICS.register_module()
class ReIDMetric(BaseMetric):
    """Person re-ID evaluation: CMC, mAP and mINP.

    See docs/en/architecture.md (evaluation).

    ``process`` keeps, for each sample, its feature (on CPU, optionally in
    fp16), ``pid``, ``camid``, ``split`` and ``sample_idx``;
    ``compute_metrics`` sorts the samples by ``sample_idx`` (so the result
    does not depend on the batch order or on the number of processes),
    splits query / gallery by ``split`` and calls
    :func:`mmreid.evaluation.functional.evaluate_features`, which computes
    the distances in blocks of queries (no query x gallery matrix is held).

    Pairwise models (IDLA, FD-GAN's cascade) are evaluated by the same code:
    with ``metric='model'``, the features are whatever the model's
    ``predict`` stores in ``pred_feature`` (e.g. flattened trunk outputs)
    and the distances come from a function
    ``fn(query_feats, gallery_feats) -> Tensor[q, g]`` given by
    :meth:`set_distance_fn`. :class:`~mmreid.engine.ReIDRunner` gives it
    the model's ``distance_matrix`` when it builds the validation / test
    loop, so the config switch ``metric='model'`` is all a pairwise model
    needs. A score (higher = more similar) must be returned as a distance,
    e.g. ``1 - P(same)``.

    Output keys (with the ``reid/`` prefix): ``mAP``, ``rank{k}`` for each
    ``k`` in ``topk`` and ``mINP`` in percent, and ``num_skipped_queries``
    (queries without any valid match, which are left out).

    Args:
        metric (str): ``'euclidean'``, ``'sqeuclidean'``, ``'cosine'`` or
            ``'model'``. Defaults to ``'euclidean'``.
        protocol (str): ``'market'`` (remove the gallery images of the
            query's pid and camera; pid -1 is junk), ``'cuhk03_single_shot'``
            (CMC over ``repeat`` random draws of one gallery image per
            identity) or ``'no_camera'`` (data without cameras). See
            :mod:`mmreid.evaluation.functional.ranking`. Defaults to
            ``'market'``.
        ap_mode (str): ``'finite_sum'`` (AP = mean precision at the matches,
            as torchreid / fast-reid) or ``'market_interpolated'`` (the
            Market-1501 devkit's trapezoidal AP). Defaults to
            ``'finite_sum'``.
        topk (Sequence[int]): CMC ranks reported. Defaults to (1, 5, 10).
        repeat (int): Draws of the single-shot protocol. Defaults to 10.
        seed (int): Seed of the single-shot draws. Defaults to 0.
        rerank (dict, optional): ``dict(k1=20, k2=6, lambda_value=0.3)``
            turns k-reciprocal re-ranking on (missing keys take these
            defaults). Defaults to None.
        aqe (dict, optional): ``dict(k=5, alpha=3.0)`` turns average query
            expansion on. Defaults to None.
        chunk_size (int): Queries per distance block. Defaults to 256.
        fp16_features (bool): Keep the collected features in fp16 (halves
            the memory of collection; distances are computed in float32).
            Defaults to False.
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Defaults to ``'reid'``.
        collect_dir (str, optional): See :class:`BaseMetric`.

    Examples:
        >>> import torch
        >>> from mmreid.evaluation import ReIDMetric
        >>> metric = ReIDMetric(topk=(1, ))
        >>> samples = [
        ...     dict(pred_feature=torch.tensor([0., 1.]), pid=1, camid=0,
        ...          split='query', sample_idx=0),
        ...     dict(pred_feature=torch.tensor([0., 1.1]), pid=1, camid=1,
        ...          split='gallery', sample_idx=1),
        ...     dict(pred_feature=torch.tensor([1., 0.]), pid=2, camid=1,
        ...          split='gallery', sample_idx=2)]
        >>> metric.process(None, samples)
        >>> metric.evaluate(3)['reid/rank1']
        100.0
    """

    default_prefix: Optional[str] = 'reid'

    def __init__(self,
                 metric: str = 'euclidean',
                 protocol: str = 'market',
                 ap_mode: str = 'finite_sum',
                 topk: Sequence[int] = (1, 5, 10),
                 repeat: int = 10,
                 seed: int = 0,
                 rerank: Optional[dict] = None,
                 aqe: Optional[dict] = None,
                 chunk_size: int = 256,
                 fp16_features: bool = False,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 collect_dir: Optional[str] = None) -> None:
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        if metric not in DISTANCE_METRICS + ('model', ):
            raise ValueError(f'ReIDMetric: unknown metric {metric!r}; '
                             f'expected one of {DISTANCE_METRICS} or '
                             "'model' (a pairwise model's distance)")
        topk = (topk, ) if isinstance(topk, int) else tuple(topk)
        check_eval_args(protocol, ap_mode, topk, repeat, seed)
        if chunk_size < 1:
            raise ValueError(f'chunk_size must be >= 1, got {chunk_size}')
        if aqe is not None and metric == 'model':
            raise ValueError("ReIDMetric: aqe averages features; it cannot "
                             "be used with metric='model'")
        self.metric = metric
        self.protocol = protocol
        self.ap_mode = ap_mode
        self.topk = topk
        self.repeat = repeat
        self.seed = seed
        self.rerank = None if rerank is None else _options(
            rerank, RERANK_DEFAULTS, 'rerank')
        self.aqe = None if aqe is None else _options(aqe, AQE_DEFAULTS, 'aqe')
        self.chunk_size = chunk_size
        self.fp16_features = fp16_features
        self.distance_fn: Optional[Callable[[Tensor, Tensor], Tensor]] = None

    @property
    def uses_distance_fn(self) -> bool:
        """bool: Whether a distance function is used (``metric='model'``)."""
        return self.metric == 'model'

    def set_distance_fn(
            self, fn: Optional[Callable[[Tensor, Tensor], Tensor]]) -> None:
        """Set the distance function used with ``metric='model'``.

        Args:
            fn (callable, optional): ``fn(query_feats, gallery_feats)``
                returning a (q, g) distance tensor; called on blocks of
                queries (and, with re-ranking, on query-query and
                gallery-gallery blocks too). None removes it.
        """
        self.distance_fn = fn

    def process(self, data_batch: Any, data_samples: Sequence[dict]) -> None:
        """Keep the feature and the labels of each sample.

        Args:
            data_batch (Any): Unused.
            data_samples (Sequence[dict]): ``ReIDDataSample.to_dict()``
                outputs with ``pred_feature``, ``pid``, ``camid``,
                ``split`` and ``sample_idx``.
        """
        for sample in data_samples:
            if hasattr(sample, 'to_dict'):
                sample = sample.to_dict()
            feat = sample.get('pred_feature')
            if feat is None:
                raise KeyError(
                    'ReIDMetric: a data sample has no pred_feature (keys: '
                    f'{sorted(sample)}); the model\'s predict() must set it')
            for key in ('pid', 'split'):
                if key not in sample:
                    raise KeyError(f'ReIDMetric: a data sample has no '
                                   f'{key!r} (keys: {sorted(sample)})')
            if sample['split'] not in SPLITS:
                raise ValueError(f'ReIDMetric: split must be "query" or '
                                 f'"gallery", got {sample["split"]!r}')
            camid = sample.get('camid')
            if camid is None and self.protocol != 'no_camera':
                raise KeyError(
                    f"ReIDMetric: protocol {self.protocol!r} needs 'camid' "
                    "in every sample; use protocol='no_camera' for data "
                    'without cameras')
            feat = torch.as_tensor(feat).detach().to('cpu').flatten()
            feat = feat.half() if self.fp16_features else feat.float()
            self.results.append(
                dict(
                    feat=feat,
                    pid=int(sample['pid']),
                    camid=-1 if camid is None else int(camid),
                    is_query=sample['split'] == 'query',
                    sample_idx=sample.get('sample_idx')))

    def compute_metrics(self, results: List[dict]) -> dict:
        """Compute the metrics from the collected samples of every rank.

        Args:
            results (list[dict]): What :meth:`process` stored, gathered
                from all processes.

        Returns:
            dict: ``mAP``, ``rank{k}``, ``mINP`` (percent) and
            ``num_skipped_queries``.
        """
        # NOTICE: use ``results`` (every rank's), never ``self.results``.
        if all(r['sample_idx'] is not None for r in results):
            results = sorted(results, key=lambda r: r['sample_idx'])
        query = [r for r in results if r['is_query']]
        gallery = [r for r in results if not r['is_query']]
        if not query:
            raise ValueError('ReIDMetric: no query samples (split="query") '
                             f'among the {len(results)} evaluated samples')
        if not gallery:
            raise ValueError('ReIDMetric: no gallery samples '
                             '(split="gallery") among the '
                             f'{len(results)} evaluated samples')
        dims = {r['feat'].numel() for r in results}
        if len(dims) > 1:
            raise ValueError('ReIDMetric: the features have different '
                             f'sizes {sorted(dims)}')
        distance_fn = None
        if self.metric == 'model':
            if self.distance_fn is None:
                raise RuntimeError(
                    "ReIDMetric(metric='model') has no distance function: "
                    "run it through ReIDRunner (runner_type='ReIDRunner'), "
                    "which gives it the model's distance_matrix, or call "
                    'set_distance_fn()')
            distance_fn = self.distance_fn

        def stack(items: List[dict], key: str) -> Tensor:
            if key == 'feat':
                return torch.stack([r['feat'] for r in items])
            return torch.tensor([r[key] for r in items], dtype=torch.long)

        camids = None if self.protocol == 'no_camera' else 'camid'
        res = evaluate_features(
            stack(query, 'feat'),
            stack(gallery, 'feat'),
            stack(query, 'pid'),
            stack(gallery, 'pid'),
            camids and stack(query, camids),
            camids and stack(gallery, camids),
            metric='euclidean' if self.metric == 'model' else self.metric,
            distance_fn=distance_fn,
            aqe=self.aqe,
            rerank=self.rerank,
            protocol=self.protocol,
            ap_mode=self.ap_mode,
            topk=self.topk,
            repeat=self.repeat,
            seed=self.seed,
            chunk_size=self.chunk_size)
        if res['num_skipped_queries']:
            MMLogger.get_current_instance().warning(
                f'ReIDMetric: {res["num_skipped_queries"]} of {len(query)} '
                'queries have no valid match in the gallery and are '
                'skipped')
        metrics = dict(mAP=res['mAP'] * 100)
        for k in self.topk:
            metrics[f'rank{k}'] = res[f'rank{k}'] * 100
        metrics['mINP'] = res['mINP'] * 100
        metrics['num_skipped_queries'] = res['num_skipped_queries']
        return metrics
