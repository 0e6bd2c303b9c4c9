# Copyright (c) mmreid contributors. All rights reserved.
"""Ranked lists of a few queries after each evaluation, to the visualizer."""
from typing import List, Optional, Sequence

import numpy as np
import torch
from mmengine.dist import collect_results, is_main_process
from mmengine.hooks import Hook

from mmreid.registry import HOOKS
from mmreid.visualization import draw_ranked_list, rank_queries


def _find_reid_metric(evaluator) -> Optional[object]:
    """The first metric of an evaluator with ReIDMetric's settings."""
    for metric in getattr(evaluator, 'metrics', []):
        if hasattr(metric, 'protocol') and hasattr(metric, 'metric'):
            return metric
    return None


@HOOKS.register_module()
class RankedListVisHook(Hook):
    """Draw the ranked gallery of a few queries after each evaluation.

    During validation / testing the hook keeps what the re-ID metric sees
    of every sample (its ``pred_feature``, ``pid``, ``camid``, ``split``)
    and its ``img_path``, gathered over all processes; after the
    evaluation it ranks the gallery for ``num_queries`` queries evenly
    spread over the query set with the settings of the evaluator's
    :class:`~mmreid.evaluation.ReIDMetric` (its distance, its protocol's
    filtering, a pairwise model's distance function), draws their top
    ``topk`` (:func:`~mmreid.visualization.draw_ranked_list`: true matches
    framed green, others red) and gives the picture to the runner's
    visualizer: ``add_image('val_ranked_list' | 'test_ranked_list', img,
    step)`` writes it to every backend, e.g. ``LocalVisBackend``
    (``<work_dir>/<timestamp>/vis_data/vis_image/val_ranked_list_<step>
    .png``) and ``TensorboardVisBackend`` (an image summary). ``step`` is
    the number of training iterations done (0 for a test run).

    The features are kept on CPU until the picture is drawn (the metric
    keeps them too), so the hook doubles the memory of collection.

    Args:
        num_queries (int): Queries drawn. Defaults to 6.
        topk (int): Gallery items per query. Defaults to 10.
        img_size (Sequence[int]): ``(h, w)`` of each thumbnail. Defaults to
            (128, 64).
        enable_val (bool): Draw after validation. Defaults to True.
        enable_test (bool): Draw after testing. Defaults to True.

    Examples:
        >>> hook = RankedListVisHook(num_queries=4, topk=5)
        >>> hook.num_queries, hook.topk
        (4, 5)
    """

    priority = 'LOW'

    def __init__(self,
                 num_queries: int = 6,
                 topk: int = 10,
                 img_size: Sequence[int] = (128, 64),
                 enable_val: bool = True,
                 enable_test: bool = True) -> None:
        if num_queries < 1 or topk < 1:
            raise ValueError('RankedListVisHook: num_queries and topk must be '
                             f'>= 1, got {num_queries} and {topk}')
        self.num_queries = num_queries
        self.topk = topk
        self.img_size = tuple(img_size)
        self.enable = dict(val=enable_val, test=enable_test)
        self._records: List[dict] = []
        #: the last picture given to the visualizer (RGB), if any
        self.last_image: Optional[np.ndarray] = None

    def _collect(self, outputs: Sequence) -> None:
        for sample in outputs:
            s = sample.to_dict() if hasattr(sample, 'to_dict') else sample
            missing = [
                k for k in ('pred_feature', 'pid', 'split', 'img_path')
                if k not in s
            ]
            if missing:
                raise KeyError(f'RankedListVisHook: a data sample has no '
                               f'{missing} (keys: {sorted(s)})')
            self._records.append(
                dict(
                    feat=torch.as_tensor(
                        s['pred_feature']).detach().cpu().flatten(),
                    pid=int(s['pid']),
                    camid=s.get('camid'),
                    split=s['split'],
                    img_path=s['img_path'],
                    sample_idx=s.get('sample_idx')))

    def before_val_epoch(self, runner) -> None:
        self._records = []

    def before_test_epoch(self, runner) -> None:
        self._records = []

    def after_val_iter(self, runner, batch_idx, data_batch=None,
                       outputs=None) -> None:
        if self.enable['val']:
            self._collect(outputs)

    def after_test_iter(self, runner, batch_idx, data_batch=None,
                        outputs=None) -> None:
        if self.enable['test']:
            self._collect(outputs)

    def _draw(self, runner, mode: str) -> None:
        if not self.enable[mode]:
            return
        loop = runner.val_loop if mode == 'val' else runner.test_loop
        size = len(loop.dataloader.dataset)
        records = collect_results(self._records, size)
        self._records = []
        if not is_main_process():
            return
        if all(r['sample_idx'] is not None for r in records):
            records = sorted(records, key=lambda r: r['sample_idx'])
        metric = _find_reid_metric(loop.evaluator)
        out = rank_queries(
            records,
            self.num_queries,
            self.topk,
            metric=getattr(metric, 'metric', 'euclidean'),
            protocol=getattr(metric, 'protocol', 'market'),
            distance_fn=getattr(metric, 'distance_fn', None))
        titles = [
            f'pid {r["pid"]}' +
            ('' if r['camid'] is None else f' cam {r["camid"]}') +
            f': {sum(m)} of top {len(m)} correct'
            for r, m in zip(out['query'], out['matches'])
        ]
        canvas = draw_ranked_list([r['img_path'] for r in out['query']],
                                  [[out['gallery'][j]['img_path'] for j in row]
                                   for row in out['ranked']],
                                  out['matches'],
                                  img_size=self.img_size,
                                  titles=titles)
        step = runner.iter if mode == 'val' else 0
        # draw_ranked_list draws BGR; visualizer backends take RGB
        self.last_image = canvas[..., ::-1].copy()
        runner.visualizer.add_image(f'{mode}_ranked_list', self.last_image,
                                    step=step)
        runner.logger.info(
            f'RankedListVisHook: {mode} ranked list of {len(out["query"])} '
            f'queries (top {self.topk}) written to the visualizer at step '
            f'{step}')

    def after_val_epoch(self, runner, metrics=None) -> None:
        self._draw(runner, 'val')

    def after_test_epoch(self, runner, metrics=None) -> None:
        self._draw(runner, 'test')
