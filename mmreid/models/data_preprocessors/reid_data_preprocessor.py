# Copyright (c) mmreid contributors. All rights reserved.
"""Batch preparation on the model's device."""
from typing import Optional, Sequence

import torch
from mmengine.model import ImgDataPreprocessor

from mmreid.registry import MODELS


@MODELS.register_module()
class ReIDDataPreprocessor(ImgDataPreprocessor):
    """Move a re-ID batch to the device, stack and normalise the images.

    It is MMEngine's :class:`~mmengine.model.ImgDataPreprocessor` (stacking,
    ``bgr_to_rgb``, mean/std normalisation on the device, so the dataloader
    ships uint8) plus one re-ID rule: every data sample of a batch must have
    the same image size, because re-ID crops are resized to a fixed shape;
    padding them would silently change the geometry, so a mismatch raises.

    Args:
        mean (Sequence[float]): Per-channel mean, in 0-255 units.
        std (Sequence[float]): Per-channel std, in 0-255 units.
        to_rgb (bool): Convert BGR (OpenCV) images to RGB. Defaults to True.
        non_blocking (bool): Non-blocking host-to-device copies.
        channels_last (bool): Return 4-D image batches in channels-last
            memory format (same values, NHWC strides). The convolutions of
            a model fed channels-last inputs run in channels-last too
            (faster oneDNN / cuDNN kernels on many CPUs and GPUs; results
            equal up to float rounding). Defaults to
            False.

    Examples:
        >>> import torch
        >>> pre = ReIDDataPreprocessor(mean=[0, 0, 0], std=[255, 255, 255])
        >>> img = torch.full((3, 4, 2), 255, dtype=torch.uint8)
        >>> batch = dict(inputs=[img])
        >>> pre(batch)['inputs'].max().item()
        1.0
    """

    def __init__(self,
                 mean: Optional[Sequence[float]] = (123.675, 116.28, 103.53),
                 std: Optional[Sequence[float]] = (58.395, 57.12, 57.375),
                 to_rgb: bool = True,
                 non_blocking: bool = False,
                 channels_last: bool = False) -> None:
        super().__init__(
            mean=mean,
            std=std,
            pad_size_divisor=1,
            pad_value=0,
            bgr_to_rgb=to_rgb,
            non_blocking=non_blocking)
        self.channels_last = bool(channels_last)

    def forward(self, data: dict, training: bool = False) -> dict:
        """Stack, move and normalise a batch.

        Args:
            data (dict): ``inputs`` (list of C x H x W tensors or a stacked
                tensor) and ``data_samples``.
            training (bool): Whether this is a training batch.

        Returns:
            dict: ``inputs`` (N x C x H x W float, channels-last with
            ``channels_last``) and ``data_samples``.
        """
        inputs = data['inputs']
        if isinstance(inputs, (list, tuple)) and len(inputs) > 1:
            shapes = {tuple(x.shape) for x in inputs}
            if len(shapes) > 1:
                raise ValueError(
                    'ReIDDataPreprocessor: images of one batch have '
                    f'different shapes {sorted(shapes)}; resize every image '
                    'to the same size in the pipeline (ReIDResize)')
        if not self._batchable(inputs):
            data = super().forward(data, training)
        else:
            # The same operations as MMEngine's per-image loop (channel
            # flip, float, (x - mean) / std), on the stacked batch: equal
            # results, one pass instead of one per image and the stack.
            # In place where the tensor is already a copy (large CPU
            # allocations are slow: fresh pages every time).
            data = self.cast_data(data)
            x = data['inputs']
            fresh = isinstance(x, (list, tuple))
            if fresh:
                x = torch.stack(list(x))
            if self._channel_conversion:
                x, fresh = x.flip(1), True
            if x.dtype != torch.float32:
                x, fresh = x.float(), True
            if self._enable_normalize:
                x = x.sub_(self.mean) if fresh else x - self.mean
                x = x.div_(self.std)
            data['inputs'] = x
        if self.channels_last and data['inputs'].dim() == 4:
            data['inputs'] = data['inputs'].contiguous(
                memory_format=torch.channels_last)
        return data

    def _batchable(self, inputs) -> bool:
        """Whether ``inputs`` can be processed as one stacked batch: C x H x
        W tensors of one shape (or an N x C x H x W tensor) with the
        channels the mean / std and the channel flip expect."""
        if isinstance(inputs, torch.Tensor):
            shape = tuple(inputs.shape[1:]) if inputs.dim() == 4 else None
        elif isinstance(inputs, (list, tuple)) and len(inputs) > 0 and all(
                isinstance(x, torch.Tensor) for x in inputs):
            shape = tuple(inputs[0].shape) if inputs[0].dim() == 3 else None
        else:
            return False
        if shape is None:
            return False
        channels = shape[0]
        if self._enable_normalize and self.mean.shape[0] != channels:
            return False
        return not self._channel_conversion or channels == 3

    def destruct(self, imgs: torch.Tensor) -> torch.Tensor:
        """Undo the normalisation, for showing (generated) images.

        Multiplies by ``std``, adds ``mean``, rounds and clips to [0, 255].
        The result is RGB: images normalised with ``to_rgb=True`` already
        are; with ``to_rgb=False`` they kept the pipeline's channel order,
        BGR (OpenCV), and their channels are reversed.

        Args:
            imgs (torch.Tensor): ``(..., 3, H, W)`` normalised images, e.g.
                ``N x 3 x H x W`` (any device).

        Returns:
            torch.Tensor: ``(..., H, W, 3)`` uint8 RGB images, on the device
            of ``imgs``.

        Examples:
            >>> pre = ReIDDataPreprocessor(mean=[10, 20, 30], std=[2, 2, 2])
            >>> bgr = torch.tensor([0, 100, 255], dtype=torch.uint8)
            >>> x = bgr.view(1, 3, 1, 1).expand(2, 3, 4, 2)
            >>> out = pre.destruct(pre(dict(inputs=x))['inputs'])
            >>> out.shape, out.dtype, out[0, 0, 0].tolist()
            (torch.Size([2, 4, 2, 3]), torch.uint8, [255, 100, 0])
        """
        if imgs.dim() < 3:
            raise ValueError('destruct expects (..., C, H, W) images, got '
                             f'shape {tuple(imgs.shape)}')
        x = imgs.detach().float()
        if self._enable_normalize:
            x = x * self.std.to(x.device) + self.mean.to(x.device)
        if not self._channel_conversion and x.shape[-3] == 3:
            x = x.flip(-3)  # BGR -> RGB
        x = x.round().clamp(0, 255).to(torch.uint8)
        return x.movedim(-3, -1).contiguous()
