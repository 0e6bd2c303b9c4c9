# Copyright (c) mmreid contributors. All rights reserved.
"""Batch preparation for items made of several views of one image."""
import torch

from mmreid.registry import MODELS
from .pair_data_preprocessor import PairDataPreprocessor
from .reid_data_preprocessor import ReIDDataPreprocessor


@MODELS.register_module()
class MultiViewDataPreprocessor(PairDataPreprocessor):
    """Normalise items of K views (K x C x H x W) of one image.

    PN-GAN's test items (:class:`~mmreid.datasets.PoseNormalizedDataset`)
    are an image and its pose-normalised versions. The K views of the N
    items are normalised as NK single images, exactly like single test
    images, and returned as one N x K x C x H x W tensor (view 0 of item
    ``i`` is ``inputs[i, 0]``). Single-image batches give N x C x H x W as
    :class:`ReIDDataPreprocessor` does.

    Args:
        **kwargs: See :class:`ReIDDataPreprocessor`.

    Examples:
        >>> pre = MultiViewDataPreprocessor(mean=[0, 0, 0], std=[1, 1, 1])
        >>> item = torch.zeros(9, 3, 4, 2, dtype=torch.uint8)
        >>> pre(dict(inputs=[item, item]))['inputs'].shape
        torch.Size([2, 9, 3, 4, 2])
    """

    def forward(self, data: dict, training: bool = False) -> dict:
        """Stack, move and normalise a batch of multi-view items.

        Args:
            data (dict): ``inputs`` (a list of K x C x H x W items or of
                C x H x W images, or a stacked tensor) and
                ``data_samples``.
            training (bool): Whether this is a training batch.

        Returns:
            dict: ``inputs`` (N x K x C x H x W, or N x C x H x W for single
            images) and ``data_samples``.
        """
        inputs = data['inputs']
        if isinstance(inputs, torch.Tensor):
            multi = inputs.dim() == 5
            inputs = list(inputs)
        else:
            multi = len(inputs) > 0 and inputs[0].dim() == 4
        if not multi:
            return ReIDDataPreprocessor.forward(self, data, training)
        shapes = {tuple(x.shape) for x in inputs}
        if len(shapes) > 1:
            raise ValueError('MultiViewDataPreprocessor: every item must be '
                             'a K x C x H x W tensor of one size, got '
                             f'shapes {sorted(shapes)}')
        return self.forward_pairs(dict(data, inputs=inputs), training)
