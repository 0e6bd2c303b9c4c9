# Copyright (c) mmreid contributors. All rights reserved.
"""Test items of PN-GAN: an image and its pose-normalised versions."""
import os.path as osp
from typing import Union

import torch

from mmreid.registry import DATASETS
from .canonical_poses import synth_image_path


@DATASETS.register_module()
class PoseNormalizedDataset:
    """A re-ID test set whose items are an image and its K pose-normalised
    versions (PN-GAN's test procedure).

    The pose-normalised images are made once, before evaluation, by
    ``tools/generation/synthesize_poses.py`` (a step with a progress bar
    that caches them under ``synth_root``, see :func:`synth_image_path`);
    this dataset only reads them, so evaluation never regenerates them.

    Item ``i`` is ``dict(inputs=Tensor[1 + K, C, H, W], data_samples=...)``:
    view 0 is image ``i`` through the wrapped dataset's pipeline, views
    1..K its synthesised versions through the same pipeline (loaded from
    ``synth_root`` instead of the image path); the data sample is the
    original's (pid, camid, split, ...). Use it with
    :class:`~mmreid.models.MultiViewDataPreprocessor` and
    :class:`~mmreid.models.PoseNormalizedReID`.

    Args:
        dataset (dict | Dataset): The test set (``test_mode=True``) with a
            deterministic pipeline (load, resize, pack).
        synth_root (str): The synthesis step's output folder for this set.
        num_poses (int): K. Defaults to 8.

    Examples:
        >>> import os, tempfile, shutil
        >>> from mmreid.testing import make_market_tree
        >>> from mmreid.datasets import Market1501
        >>> from mmreid.utils import register_all_modules
        >>> register_all_modules()
        >>> root = make_market_tree(tempfile.mkdtemp())
        >>> pipe = [dict(type='LoadReIDImage'), dict(type='PackReIDInputs')]
        >>> test = Market1501(data_root=root, test_mode=True, pipeline=pipe)
        >>> syn = tempfile.mkdtemp()
        >>> for n in range(len(test)):  # stand-ins for the synthesised images
        ...     d = test.get_data_info(n)
        ...     for k in range(2):
        ...         p = synth_image_path(d['img_path'], root, syn, k)
        ...         os.makedirs(osp.dirname(p), exist_ok=True)
        ...         _ = shutil.copy(d['img_path'], p)
        >>> ds = PoseNormalizedDataset(test, syn, num_poses=2)
        >>> ds[0]['inputs'].shape[0], len(ds) == len(test)
        (3, True)
    """

    def __init__(self,
                 dataset: Union[dict, object],
                 synth_root: str,
                 num_poses: int = 8) -> None:
        if isinstance(dataset, dict):
            dataset = DATASETS.build(dataset)
        if num_poses < 1:
            raise ValueError(f'num_poses must be >= 1, got {num_poses}')
        self.dataset = dataset
        self.synth_root = synth_root
        self.num_poses = int(num_poses)
        missing = [(i, k) for i in range(len(dataset))
                   for k in range(self.num_poses)
                   if not osp.isfile(self.synth_path(i, k))]
        if missing:
            i, k = missing[0]
            raise FileNotFoundError(
                f'PoseNormalizedDataset: {len(missing)} of '
                f'{len(dataset) * self.num_poses} pose-normalised images '
                f'are missing under {synth_root} (e.g. '
                f'{self.synth_path(i, k)}); make them once with '
                'tools/generation/synthesize_poses.py GAN_CONFIG CHECKPOINT '
                '--split test (it caches them there)')

    def synth_path(self, index: int, pose: int) -> str:
        """The cached image of item ``index`` in pose ``pose``."""
        return synth_image_path(
            self.dataset.get_data_info(index)['img_path'],
            self.dataset.data_root, self.synth_root, pose)

    @property
    def metainfo(self) -> dict:
        """dict: The wrapped dataset's metainfo and ``num_poses``."""
        return dict(self.dataset.metainfo, num_poses=self.num_poses)

    def get_data_info(self, index: int) -> dict:
        """The wrapped dataset's record of image ``index``."""
        return self.dataset.get_data_info(index)

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, index: int) -> dict:
        item = self.dataset[index]
        views = [item['inputs']]
        info = self.dataset.get_data_info(index)
        for k in range(self.num_poses):
            out = self.dataset.pipeline(
                dict(info, img_path=self.synth_path(index, k)))
            if out['inputs'].shape != item['inputs'].shape:
                raise ValueError(
                    f'PoseNormalizedDataset: {self.synth_path(index, k)} '
                    f'gives {tuple(out["inputs"].shape)}, the original '
                    f'{tuple(item["inputs"].shape)}; resize both in the '
                    'pipeline (ReIDResize)')
            views.append(out['inputs'])
        return dict(inputs=torch.stack(views),
                    data_samples=item['data_samples'])
