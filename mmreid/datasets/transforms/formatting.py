# Copyright (c) mmreid contributors. All rights reserved.
"""Packing of pipeline results into model inputs and data samples."""
from typing import Sequence

import numpy as np
import torch
from mmcv.transforms import BaseTransform

from mmreid.registry import TRANSFORMS
from mmreid.structures import ReIDDataSample


def to_tensor(value) -> torch.Tensor:
    """Convert an array, tensor, number or sequence to a tensor.

    Args:
        value: The value.

    Returns:
        torch.Tensor: The converted tensor (arrays keep their dtype).

    Examples:
        >>> to_tensor(np.zeros((2, 3), np.float32)).shape
        torch.Size([2, 3])
    """
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, np.ndarray):
        return torch.from_numpy(np.ascontiguousarray(value))
    return torch.as_tensor(value)


@TRANSFORMS.register_module()
class PackReIDInputs(BaseTransform):
    """Pack an image and its re-ID annotations for the model.

    **Required Keys:**

    - img (np.ndarray): H x W x C image.
    - label (int): contiguous training label (-1 for test images).

    **Optional Keys:**

    - keypoints (np.ndarray): K x 3, packed as ``gt_keypoints``.
    - every key of ``pose_keys`` (arrays, e.g. heatmaps C x H x W), packed as
      data fields of the same name.
    - every key of ``meta_keys`` present in the results.

    **Added Keys:**

    - inputs (torch.Tensor): C x H x W uint8 (or the image's dtype).
    - data_samples (ReIDDataSample).

    Args:
        pose_keys (Sequence[str]): Results keys of pose targets to pack as
            tensors (``heatmaps``, ``part_maps``, ``part_visibility``,
            ``pose_img``...). Missing keys raise, so a pipeline that forgot
            its target transform fails loudly. Defaults to ().
        meta_keys (Sequence[str]): Results keys to keep as metainfo.

    Examples:
        >>> pack = PackReIDInputs()
        >>> out = pack(dict(img=np.zeros((8, 4, 3), np.uint8), label=2,
        ...                 pid=7, camid=0, split='train'))
        >>> out['inputs'].shape, out['data_samples'].gt_label
        (torch.Size([3, 8, 4]), tensor([2]))
    """

    def __init__(self,
                 pose_keys: Sequence[str] = (),
                 meta_keys: Sequence[str] = ('img_path', 'sample_idx', 'pid',
                                             'camid', 'split', 'ori_shape',
                                             'img_shape', 'scale_factor',
                                             'flip', 'keypoint_format')):
        self.pose_keys = tuple(pose_keys)
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: dict) -> dict:
        """Pack ``results`` (see the class docstring)."""
        img = results['img']
        if img.ndim == 2:
            img = img[..., None]
        inputs = to_tensor(img.transpose(2, 0, 1))

        sample = ReIDDataSample()
        sample.set_gt_label(results.get('label', -1))
        if 'keypoints' in results:
            sample.set_field(
                to_tensor(np.asarray(results['keypoints'], np.float32)),
                'gt_keypoints')
        for key in self.pose_keys:
            if key not in results:
                raise KeyError(
                    f'PackReIDInputs: pose key {key!r} is not in the '
                    f'results (have {sorted(results)}); add the transform '
                    'that makes it before PackReIDInputs')
            sample.set_field(to_tensor(results[key]), key)
        sample.set_metainfo(
            {k: results[k]
             for k in self.meta_keys if k in results})
        return dict(inputs=inputs, data_samples=sample)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(pose_keys={self.pose_keys}, '
                f'meta_keys={self.meta_keys})')
