# Copyright (c) mmreid contributors. All rights reserved.
"""Features of images or of a dataset, through the model's test pipeline
and its ``'predict'`` mode (so ``test_cfg`` flip / normalise apply)."""
import copy
import sys
from typing import Callable, List, Optional, Sequence, Union

import torch
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import DefaultScope
from mmengine.utils import ProgressBar
from torch import nn
from torch.utils.data import DataLoader, Dataset

from mmreid.structures import FeatureSet
from .images import ImageInput, collect_images

#: Pipeline steps that read the image file (skipped for arrays).
LOADING_TRANSFORMS = ('LoadReIDImage', 'LoadImageFromFile')

#: ``progress=None`` shows a progress bar from this many images on.
AUTO_PROGRESS_FROM = 1000


def _test_pipeline_cfg(cfg) -> List[dict]:
    """The test pipeline of a config (test dataloader, else
    ``test_pipeline``)."""
    loader = cfg.get('test_dataloader') or {}
    dataset = loader.get('dataset', {}) if isinstance(loader, dict) else {}
    pipeline = dataset.get('pipeline') or cfg.get('test_pipeline')
    if not pipeline:
        raise ValueError('the model config has no test pipeline '
                         '(test_dataloader.dataset.pipeline or test_pipeline)')
    return copy.deepcopy(list(pipeline))


def _is_loading(step: dict) -> bool:
    return str(step.get('type', '')).split('.')[-1] in LOADING_TRANSFORMS


class ImageListDataset(Dataset):
    """Images (paths, folders, arrays, PIL images) through the test
    pipeline of a config: ``dataset[i]`` is the packed ``inputs`` /
    ``data_samples`` dict of image ``i``.

    A path goes through the pipeline's own loading step (whose errors name
    the file); an array skips it.

    Args:
        images: See :func:`collect_images`.
        cfg (Config): A config with a test pipeline
            (``test_dataloader.dataset.pipeline`` or ``test_pipeline``).

    Examples:
        >>> import numpy as np
        >>> from mmreid.testing import tiny_baseline_config
        >>> ds = ImageListDataset(np.zeros((2, 100, 50, 3), np.uint8),
        ...                       tiny_baseline_config())
        >>> len(ds), tuple(ds[0]['inputs'].shape)
        (2, (3, 64, 32))
    """

    def __init__(self, images: Union[ImageInput, Sequence[ImageInput]],
                 cfg) -> None:
        from mmreid.registry import TRANSFORMS
        pipeline_cfg = _test_pipeline_cfg(cfg)
        if not _is_loading(pipeline_cfg[0]):
            raise ValueError(
                'the test pipeline must start with an image loading step '
                f'({" or ".join(LOADING_TRANSFORMS)}), got '
                f'{pipeline_cfg[0]}')
        self.items = collect_images(images)
        with DefaultScope.overwrite_default_scope('mmreid'):
            self.load = TRANSFORMS.build(pipeline_cfg[0])
            self.pipeline = Compose(pipeline_cfg[1:])

    @property
    def img_paths(self) -> List[Optional[str]]:
        """The file of each image (None for arrays)."""
        return [i if isinstance(i, str) else None for i in self.items]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> dict:
        item = self.items[index]
        if isinstance(item, str):
            results = self.load(dict(img_path=item))
        else:
            results = dict(
                img=item, img_shape=item.shape[:2], ori_shape=item.shape[:2])
        results['sample_idx'] = index
        return self.pipeline(results)


def _embed(model: nn.Module, dataset: Dataset, batch_size: int,
           num_workers: int, progress: Optional[bool]) -> torch.Tensor:
    """Run ``model.test_step`` over a dataset of packed inputs."""
    if batch_size < 1:
        raise ValueError(f'batch_size must be >= 1, got {batch_size}')
    num = len(dataset)
    if progress is None:
        progress = num >= AUTO_PROGRESS_FROM
    loader = DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=False,
        num_workers=num_workers,
        collate_fn=pseudo_collate)
    bar = ProgressBar(num, file=sys.stdout) if progress else None
    feats = []
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            for data in loader:
                samples = model.test_step(data)
                batch = [s.pred_feature for s in samples]
                if batch[0].ndim != 1:
                    raise ValueError(
                        f'{type(model).__name__} predicts per-image tensors '
                        f'of shape {tuple(batch[0].shape)}, not embeddings '
                        '(a pairwise model ranks with its distance_matrix); '
                        'extract_features needs an embedding model')
                feats.append(torch.stack(batch).float().cpu())
                if bar is not None:
                    bar.update(len(batch))
    finally:
        model.train(was_training)
    if bar is not None:
        print(file=sys.stdout, flush=True)
    return torch.cat(feats)


def _feature_metainfo(model: nn.Module) -> dict:
    """What a feature set records about the model that made it."""
    cfg = getattr(model, 'cfg', None)
    metric = None
    if cfg is not None:
        evaluator = cfg.get('test_evaluator') or {}
        if isinstance(evaluator, dict):
            metric = evaluator.get('metric')
    return dict(
        model_type=type(model).__name__,
        config=getattr(cfg, 'filename', None) if cfg is not None else None,
        checkpoint=getattr(model, 'checkpoint_path', None),
        test_cfg=dict(getattr(model, 'test_cfg', {}) or {}),
        metric=metric)


def extract_features(model: nn.Module,
                     images: Union[ImageInput, Sequence[ImageInput]],
                     batch_size: int = 32,
                     num_workers: int = 0,
                     progress: Optional[bool] = None) -> FeatureSet:
    """Embed images with a re-ID model.

    Each image goes through the test pipeline of ``model.cfg`` (as built
    by :func:`init_model`; an array skips the loading step), then the data
    preprocessor and the model's ``'predict'`` mode, so the features are
    those the model is evaluated with (``test_cfg``: flip averaging,
    L2 normalisation).

    Args:
        model (nn.Module): A re-ID model with ``cfg`` (see
            :func:`init_model`).
        images: An image file, a folder (its images, sorted, sub-folders
            included), an H x W x 3 BGR uint8 array, a PIL image, or a
            sequence of these (see :func:`collect_images`).
        batch_size (int): Images per forward pass. Defaults to 32.
        num_workers (int): Data loading processes. Defaults to 0.
        progress (bool, optional): Show a progress bar; None shows one
            from 1000 images on.

    Returns:
        FeatureSet: N x D float32 features in input order, with the image
        paths (None for arrays) and the model's ``test_cfg`` and metric in
        its metainfo.

    Raises:
        ValueError: No images (an empty list, a folder with no image).
        ImageLoadError: An image file cannot be read (the error names it).

    Examples:
        >>> import numpy as np
        >>> from mmreid.apis import init_model
        >>> from mmreid.testing import tiny_baseline_config
        >>> model = init_model(tiny_baseline_config())
        >>> feats = extract_features(model, np.zeros((3, 64, 32, 3),
        ...                                          np.uint8))
        >>> feats.feats.shape
        torch.Size([3, 64])
    """
    cfg = getattr(model, 'cfg', None)
    if cfg is None:
        raise ValueError('the model has no cfg: build it with '
                         'mmreid.apis.init_model')
    dataset = ImageListDataset(images, cfg)
    feats = _embed(model, dataset, batch_size, num_workers, progress)
    return FeatureSet(
        feats, dataset.img_paths, metainfo=_feature_metainfo(model))


def extract_dataset_features(
        model: nn.Module,
        dataset: Union[None, dict, Dataset] = None,
        batch_size: int = 32,
        num_workers: int = 0,
        progress: Optional[bool] = None,
        annotation_keys: Sequence[str] = ('pid', 'camid', 'split'),
        dataset_filter: Optional[Callable[[dict], bool]] = None
) -> FeatureSet:
    """Embed a dataset (by default the test set of ``model.cfg``).

    The dataset's own pipeline is used, so the features are those the
    test loop computes.

    Args:
        model (nn.Module): A re-ID model (see :func:`init_model`).
        dataset (dict | Dataset, optional): A dataset config or a built
            dataset. Defaults to ``model.cfg.test_dataloader.dataset``.
        batch_size (int): Defaults to 32.
        num_workers (int): Defaults to 0.
        progress (bool, optional): See :func:`extract_features`.
        annotation_keys (Sequence[str]): Data-info keys stored per image
            (those present). Defaults to pid, camid, split.
        dataset_filter (callable, optional): ``fn(data_info) -> bool``,
            the images to keep (e.g. a few identities).

    Returns:
        FeatureSet: Features with image paths and annotations.
    """
    from mmreid.registry import DATASETS
    if dataset is None:
        cfg = getattr(model, 'cfg', None)
        if cfg is None or not cfg.get('test_dataloader'):
            raise ValueError('no dataset given and the model config has no '
                             'test_dataloader')
        dataset = cfg.test_dataloader.dataset
    if isinstance(dataset, dict):
        with DefaultScope.overwrite_default_scope('mmreid'):
            dataset = DATASETS.build(copy.deepcopy(dataset))
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    keep = list(range(len(dataset)))
    if dataset_filter is not None:
        keep = [i for i in keep if dataset_filter(infos[i])]
    if not keep:
        raise ValueError('the dataset has no images'
                         + (' that pass the filter' if dataset_filter
                            else ''))
    subset = torch.utils.data.Subset(dataset, keep)
    feats = _embed(model, subset, batch_size, num_workers, progress)
    kept = [infos[i] for i in keep]
    annotations = {
        key: [info[key] for info in kept]
        for key in annotation_keys if all(key in info for info in kept)
    }
    metainfo = _feature_metainfo(model)
    metainfo['dataset'] = type(dataset).__name__
    return FeatureSet(feats, [info.get('img_path') for info in kept],
                      annotations, metainfo)
