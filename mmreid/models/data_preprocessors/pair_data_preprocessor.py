# Copyright (c) mmreid contributors. All rights reserved.
"""Batch preparation for pairwise (verification) models."""
import torch

from mmreid.registry import MODELS
from mmreid.structures import PairInputs
from .reid_data_preprocessor import ReIDDataPreprocessor


@MODELS.register_module()
class PairDataPreprocessor(ReIDDataPreprocessor):
    """:class:`ReIDDataPreprocessor` for batches of image pairs.

    A pair item (see :class:`~mmreid.datasets.PairDataset`) has ``inputs``
    of shape 2 x C x H x W. The pairs are unrolled into 2N single images,
    normalised exactly like single images (same mean / std / BGR->RGB, so
    the cached-trunk evaluation on single images sees the same inputs) and
    returned as :class:`~mmreid.structures.PairInputs` (``img`` N x 2 x C
    x H x W). Single-image batches (evaluation, mining) give an
    N x C x H x W tensor as :class:`ReIDDataPreprocessor` does.

    A 6-channel packing was not used: the normalisation and the colour
    conversion of :class:`ReIDDataPreprocessor` are per 3-channel image.

    Args:
        **kwargs: See :class:`ReIDDataPreprocessor`.

    Examples:
        >>> pre = PairDataPreprocessor(mean=[0, 0, 0], std=[1, 1, 1])
        >>> pair = torch.zeros(2, 3, 4, 2, dtype=torch.uint8)
        >>> pre(dict(inputs=[pair, pair]))['inputs'].img.shape
        torch.Size([2, 2, 3, 4, 2])
    """

    def forward(self, data: dict, training: bool = False) -> dict:
        """Stack, move and normalise a batch of pairs or of single images.

        Args:
            data (dict): ``inputs`` (a list of 2 x C x H x W pairs or of
                C x H x W images, or a stacked tensor) and
                ``data_samples``.
            training (bool): Whether this is a training batch.

        Returns:
            dict: ``inputs`` (:class:`~mmreid.structures.PairInputs` for
            pairs, an N x C x H x W float tensor for single images) and
            ``data_samples``.
        """
        inputs = data['inputs']
        if isinstance(inputs, torch.Tensor):
            is_pair = inputs.dim() == 5
            inputs = list(inputs)
        else:
            is_pair = len(inputs) > 0 and inputs[0].dim() == 4
        if not is_pair:
            return super().forward(data, training)
        shapes = {tuple(x.shape) for x in inputs}
        if len(shapes) > 1 or next(iter(shapes))[0] != 2:
            raise ValueError('PairDataPreprocessor: every pair must be a '
                             '2 x C x H x W tensor of one size, got shapes '
                             f'{sorted(shapes)}')
        out = self.forward_pairs(dict(data, inputs=inputs), training)
        out['inputs'] = PairInputs(img=out['inputs'])
        return out

    def forward_pairs(self, data: dict, training: bool = False) -> dict:
        """Normalise a list of 2 x C x H x W pairs as 2N single images.

        Any number K of images per item works the same way (K x C x H x W
        items give N x K x C x H x W, see
        :class:`MultiViewDataPreprocessor`).

        Args:
            data (dict): ``inputs`` (a list of N pairs) and
                ``data_samples``.
            training (bool): Whether this is a training batch.

        Returns:
            dict: ``inputs`` (an N x 2 x C x H x W float tensor) and
            ``data_samples``.
        """
        inputs = data['inputs']
        num = len(inputs)
        flat = dict(data)
        flat['inputs'] = [img for pair in inputs for img in pair]
        out = super().forward(flat, training)
        imgs = out['inputs']
        out['inputs'] = imgs.view(num, -1, *imgs.shape[1:])
        return out
