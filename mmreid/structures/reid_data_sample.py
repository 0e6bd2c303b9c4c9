# Copyright (c) mmreid contributors. All rights reserved.
"""The data sample that travels between mmreid's components."""
from multiprocessing.reduction import ForkingPickler
from numbers import Number
from typing import Sequence, Union

import numpy as np
import torch
from mmengine.structures import BaseDataElement

LABEL_TYPE = Union[torch.Tensor, np.ndarray, Sequence, Number]


def format_label(value: LABEL_TYPE) -> torch.Tensor:
    """Convert an int, sequence or array of ints to a 1-D ``LongTensor``.

    Args:
        value (torch.Tensor | np.ndarray | Sequence | int): The label(s).

    Returns:
        torch.Tensor: A 1-D long tensor.

    Examples:
        >>> format_label(3)
        tensor([3])
        >>> format_label([1, 2])
        tensor([1, 2])
    """
    if isinstance(value, np.ndarray):
        value = torch.from_numpy(value)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        value = torch.tensor(value)
    elif isinstance(value, Number):
        value = torch.tensor([value])
    elif not isinstance(value, torch.Tensor):
        raise TypeError(f'Type {type(value)} is not an available label type.')
    if value.ndim == 0:
        value = value[None]
    return value.long()


class ReIDDataSample(BaseDataElement):
    """Data sample of person re-identification.

    Meta fields (set once, per image):
        - ``img_path`` (str): path of the image.
        - ``sample_idx`` (int): index of the sample in its dataset.
        - ``pid`` (int): the identity as written in the dataset files
          (0 is a distractor in Market-style galleries).
        - ``camid`` (int): 0-based camera index.
        - ``split`` (str): ``'train'``, ``'query'`` or ``'gallery'``.
        - ``ori_shape`` / ``img_shape`` (tuple): (h, w) before / after the
          pipeline.
        - ``flip`` (bool): whether the image was mirrored.

    Data fields:
        - ``gt_label`` (Tensor): contiguous training label, shape (1,); -1 for
          test images.
        - ``gt_keypoints`` (Tensor): (K, 3) keypoints x, y, score in input
          pixels, for pose-guided methods.
        - ``pred_feature`` (Tensor): the re-ID feature, shape (D,).

    Examples:
        >>> sample = ReIDDataSample(metainfo=dict(pid=7, camid=2))
        >>> sample = sample.set_gt_label(3)
        >>> sample.gt_label
        tensor([3])
        >>> sample.set_pred_feature(torch.ones(4)).pred_feature.shape
        torch.Size([4])
    """

    def set_gt_label(self, value: LABEL_TYPE) -> 'ReIDDataSample':
        """Set ``gt_label`` (a contiguous identity label).

        Args:
            value (int | Sequence | Tensor | np.ndarray): The label.

        Returns:
            ReIDDataSample: self, for chaining.
        """
        self.set_field(format_label(value), 'gt_label', dtype=torch.Tensor)
        return self

    def set_pred_feature(self, value: torch.Tensor) -> 'ReIDDataSample':
        """Set ``pred_feature``, the 1-D re-ID feature of the image.

        Args:
            value (torch.Tensor): A 1-D feature.

        Returns:
            ReIDDataSample: self, for chaining.
        """
        if not isinstance(value, torch.Tensor):
            value = torch.as_tensor(value)
        assert value.ndim == 1, (
            f'pred_feature must be 1-D, got shape {tuple(value.shape)}')
        self.set_field(value, 'pred_feature', dtype=torch.Tensor)
        return self


def _reduce_reid_data_sample(data_sample: ReIDDataSample):
    """Pickle tensors as numpy arrays to avoid running out of file
    descriptors in DataLoader workers (as mmpretrain does)."""
    attr_dict = dict(data_sample.__dict__)
    convert_keys = []
    for k, v in attr_dict.items():
        if isinstance(v, torch.Tensor):
            attr_dict[k] = v.numpy()
            convert_keys.append(k)
    return _rebuild_reid_data_sample, (attr_dict, convert_keys)


def _rebuild_reid_data_sample(attr_dict, convert_keys):
    """Undo :func:`_reduce_reid_data_sample`."""
    data_sample = ReIDDataSample()
    for k in convert_keys:
        attr_dict[k] = torch.from_numpy(attr_dict[k])
    data_sample.__dict__ = attr_dict
    return data_sample


ForkingPickler.register(ReIDDataSample, _reduce_reid_data_sample)
