# Copyright (c) mmreid contributors. All rights reserved.
"""Batch preparation for pose-guided generation (FD-GAN)."""
from functools import partial

import torch

from mmreid.registry import MODELS
from mmreid.structures import PairInputs, PoseTransferInputs
from .pair_data_preprocessor import PairDataPreprocessor
from .reid_data_preprocessor import ReIDDataPreprocessor

#: The data fields of pose-transfer items moved into ``inputs``.
TRANSFER_KEYS = ('target_img', 'pose_maps')


def _has_targets(sample) -> bool:
    """Whether a data sample carries both pose-transfer fields."""
    return sample is not None and all(k in sample for k in TRANSFER_KEYS)


@MODELS.register_module()
class PoseTransferDataPreprocessor(PairDataPreprocessor):
    """:class:`PairDataPreprocessor` for items with pose-transfer targets.

    Batches of :class:`~mmreid.datasets.PoseTransferPairDataset` items
    (pairs, or single items of its ``transfer_item``) carry the data fields
    ``target_img`` and ``pose_maps``; they become

    .. code-block:: python

        inputs = dict(
            img=...,         # N x 2 x 3 x H x W (pairs) or N x 3 x H x W
            target_img=...,  # same layout, normalised like img
            pose_maps=...,   # N x 2 x 18 x H x W or N x 18 x H x W, float
        )

    on the preprocessor's device. The target images are normalised exactly
    like the origin images (same mean / std / BGR->RGB), so the generator's
    output and its ground truth live in one space (use :meth:`destruct` to
    show either). The two fields are removed from the returned data samples
    (shallow copies; the given samples are not modified) so they are not
    moved to the device twice. Batches without these fields (re-ID
    evaluation on single images, plain pairs) go through
    :class:`PairDataPreprocessor` unchanged; a batch where only some samples
    carry them is an error.

    Args:
        **kwargs: See :class:`ReIDDataPreprocessor`.

    Examples:
        >>> from mmreid.structures import ReIDDataSample
        >>> pre = PoseTransferDataPreprocessor(mean=[0, 0, 0], std=[1, 1, 1])
        >>> s = ReIDDataSample()
        >>> s.target_img = torch.zeros(2, 3, 8, 4, dtype=torch.uint8)
        >>> s.pose_maps = torch.zeros(2, 18, 8, 4)
        >>> pair = torch.zeros(2, 3, 8, 4, dtype=torch.uint8)
        >>> out = pre(dict(inputs=[pair], data_samples=[s]))
        >>> x = out['inputs']
        >>> [tuple(v.shape) for v in (x.img, x.target_img, x.pose_maps)]
        [(1, 2, 3, 8, 4), (1, 2, 3, 8, 4), (1, 2, 18, 8, 4)]
        >>> 'pose_maps' in out['data_samples'][0]
        False
    """

    def forward(self, data: dict, training: bool = False) -> dict:
        """Stack, move and normalise a batch.

        Args:
            data (dict): ``inputs`` (list of 2 x 3 x H x W pairs or of
                3 x H x W images, or a stacked tensor) and
                ``data_samples``.
            training (bool): Whether this is a training batch.

        Returns:
            dict: ``inputs`` (:class:`~mmreid.structures.PairInputs` or
            :class:`~mmreid.structures.PoseTransferInputs` for pose-transfer
            batches, else what :class:`PairDataPreprocessor` returns) and
            ``data_samples``.
        """
        samples = data.get('data_samples')
        flags = [_has_targets(s) for s in samples] if samples else []
        if not flags or not any(flags):
            return super().forward(data, training)
        if not all(flags):
            raise ValueError(
                'PoseTransferDataPreprocessor: only some data samples of the '
                f'batch carry {TRANSFER_KEYS} ({sum(flags)} of '
                f'{len(flags)}); do not mix pose-transfer items with plain '
                'ones in one batch')
        stripped = [self._strip(s) for s in samples]
        out = super().forward(dict(data, data_samples=stripped), training)
        paired = isinstance(out['inputs'], PairInputs)
        imgs = out['inputs'].img if paired else out['inputs']
        targets = [s.target_img for s in samples]
        # pairs are normalised as 2N single images, like the origins
        normalise = self.forward_pairs if paired else partial(
            ReIDDataPreprocessor.forward, self)
        targets = normalise(dict(inputs=targets), training)['inputs']
        pose = torch.stack(
            [torch.as_tensor(s.pose_maps) for s in samples]).float()
        pose = self.cast_data(pose)
        if targets.shape != imgs.shape:
            raise ValueError(
                'PoseTransferDataPreprocessor: target images of shape '
                f'{tuple(targets.shape)} do not match the images '
                f'{tuple(imgs.shape)}; resize both to one size')
        if (pose.shape[:-3] != imgs.shape[:-3]
                or pose.shape[-2:] != imgs.shape[-2:]):
            raise ValueError(
                'PoseTransferDataPreprocessor: pose maps of shape '
                f'{tuple(pose.shape)} do not match the images '
                f'{tuple(imgs.shape)} (maps must have the image size)')
        out['inputs'] = (PairInputs if paired else PoseTransferInputs)(
            img=imgs, target_img=targets, pose_maps=pose)
        return out

    @staticmethod
    def _strip(sample):
        """A shallow copy of ``sample`` without the pose-transfer fields."""
        new = sample.new()
        for key in TRANSFER_KEYS:
            delattr(new, key)
        return new
