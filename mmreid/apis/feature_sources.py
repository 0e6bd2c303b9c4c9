# Copyright (c) mmreid contributors. All rights reserved.
"""Test-set features from a config + checkpoint, a features file or the
predictions ``tools/test.py --out`` dumps (what the analysis tools read)."""
import os.path as osp
from typing import Optional, Sequence

import torch

from mmreid.structures import FeatureSet

#: Per-image keys copied from dumped predictions.
RESULT_KEYS = ('pid', 'camid', 'split')


def feature_set_from_results(results: Sequence[dict]) -> FeatureSet:
    """A :class:`FeatureSet` from the records ``tools/test.py --out`` dumps
    (dicts with ``pred_feature``, ``img_path``, ``pid``, ``camid``,
    ``split``).

    Examples:
        >>> recs = [dict(pred_feature=torch.ones(2), img_path='a.jpg',
        ...              pid=1, camid=0, split='query')]
        >>> feature_set_from_results(recs).annotations['split']
        ['query']
    """
    if not results:
        raise ValueError('the results hold no predictions')
    missing = [i for i, r in enumerate(results) if 'pred_feature' not in r]
    if missing:
        raise ValueError(f'{len(missing)} results have no pred_feature '
                         f'(e.g. entry {missing[0]}); dump them with '
                         'tools/test.py --out')
    feats = torch.stack(
        [torch.as_tensor(r['pred_feature']).flatten() for r in results])
    keys = [k for k in RESULT_KEYS if all(k in r for r in results)]
    return FeatureSet(
        feats.float(), [r.get('img_path') for r in results],
        {k: [r[k] for r in results]
         for k in keys})


def load_feature_source(source: str,
                        checkpoint: Optional[str] = None,
                        device: str = 'cpu',
                        batch_size: int = 64,
                        num_workers: int = 0,
                        cfg_options: Optional[dict] = None) -> FeatureSet:
    """Test-set features with pid / camid / split annotations.

    Args:
        source (str): A config (``.py`` file or ``mmreid::`` name; its test
            set is embedded with ``checkpoint``), a ``.pkl`` dump of
            ``tools/test.py --out``, or a features file
            (``tools/extract_features.py``).
        checkpoint (str, optional): With a config: the weights (None keeps
            the model's initialisation).
        device (str): With a config. Defaults to ``'cpu'``.
        batch_size (int): With a config. Defaults to 64.
        num_workers (int): With a config. Defaults to 0.
        cfg_options (dict, optional): With a config: overrides.

    Returns:
        FeatureSet: The features.
    """
    from mmengine.fileio import load

    from .feature_extraction import extract_dataset_features
    from .model import init_model
    if source.endswith('.py') or '::' in source:
        model = init_model(source, checkpoint, device, cfg_options)
        return extract_dataset_features(
            model, batch_size=batch_size, num_workers=num_workers)
    if checkpoint is not None:
        raise ValueError(f'a checkpoint goes with a config, not with '
                         f'{osp.basename(source)}')
    if source.endswith(('.pkl', '.pickle')):
        if not osp.isfile(source):
            raise FileNotFoundError(f'results file not found: {source}')
        return feature_set_from_results(load(source))
    return FeatureSet.load(source)
