# Copyright (c) mmreid contributors. All rights reserved.
"""Batch preparation for pose-guided generation (FD-GAN, PN-GAN)."""
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
    moved to the device twice.

    **Pose images** (``pose_as_image=True``, PN-GAN): the pose field holds
    rendered skeleton images (``RenderSkeleton(out_key='pose_maps')``,
    ``H x W x 3`` uint8 BGR per item, ``2 x H x W x 3`` per pair) instead
    of float maps. They are moved to ``3 x H x W`` and normalised exactly
    like the photos (same mean / std / BGR->RGB), as PN-GAN normalises its
    pose images like RGB images.

    Batches without these fields (re-ID
    evaluation on single images, plain pairs) go through
    :class:`PairDataPreprocessor` unchanged; a batch where only some samples
    carry them is an error.

    Args:
        pose_as_image (bool): Treat ``pose_maps`` as skeleton images (see
            above). Defaults to False (float maps, FD-GAN).
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
        >>> pre = PoseTransferDataPreprocessor(mean=[127.5] * 3,
        ...                                    std=[127.5] * 3,
        ...                                    pose_as_image=True)
        >>> s = ReIDDataSample()
        >>> s.target_img = torch.zeros(3, 8, 4, dtype=torch.uint8)
        >>> s.pose_maps = torch.full((8, 4, 3), 255, dtype=torch.uint8)
        >>> x = pre(dict(inputs=[torch.zeros(3, 8, 4, dtype=torch.uint8)],
        ...              data_samples=[s]))['inputs']
        >>> tuple(x.pose_maps.shape), x.pose_maps.max().item()
        ((1, 3, 8, 4), 1.0)
    """

    def __init__(self, pose_as_image: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pose_as_image = bool(pose_as_image)

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
        if self.pose_as_image:
            pose = normalise(
                dict(inputs=[self._pose_image(s.pose_maps)
                             for s in samples]), training)['inputs']
        else:
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
    def _pose_image(pose) -> torch.Tensor:
        """A ``(..., H, W, 3)`` skeleton image as ``(..., 3, H, W)``."""
        pose = torch.as_tensor(pose)
        if pose.dim() not in (3, 4) or pose.shape[-1] != 3:
            raise ValueError(
                'PoseTransferDataPreprocessor(pose_as_image=True): pose '
                'images must be H x W x 3 (or 2 x H x W x 3 per pair), as '
                "RenderSkeleton(out_key='pose_maps') makes them, got shape "
                f'{tuple(pose.shape)}')
        return pose.movedim(-1, -3).contiguous()

    @staticmethod
    def _strip(sample):
        """A shallow copy of ``sample`` without the pose-transfer fields."""
        new = sample.new()
        for key in TRANSFER_KEYS:
            delattr(new, key)
        return new
