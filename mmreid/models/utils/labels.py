# Copyright (c) mmreid contributors. All rights reserved.
"""The training labels of a batch of data samples."""
from typing import Sequence, Union

import torch

from mmreid.structures import ReIDDataSample


def gt_labels(data_samples: Sequence[ReIDDataSample],
              device: Union[str, torch.device] = 'cpu',
              owner: str = 'loss') -> torch.Tensor:
    """Stack the ``gt_label`` of every data sample into one tensor.

    Every head's ``loss`` reads its targets through this function: the
    contiguous training label of each image (identity heads, metric
    losses) or the same-identity flag of each pair (verification heads).
    A label of -1 marks an image without a training identity (a test
    split); it is refused with an error naming ``owner``.

    Args:
        data_samples (Sequence[ReIDDataSample]): The batch's samples.
        device (str | torch.device): Device of the result.
        owner (str): Who asks, for the error message.

    Returns:
        torch.Tensor: N int64 labels.

    Examples:
        >>> from mmreid.structures import ReIDDataSample
        >>> samples = [ReIDDataSample().set_gt_label(i) for i in (3, 0)]
        >>> gt_labels(samples).tolist()
        [3, 0]
    """
    if not data_samples:
        raise ValueError(f'{owner}: the batch has no data samples')
    missing = [i for i, s in enumerate(data_samples) if 'gt_label' not in s]
    if missing:
        raise KeyError(f'{owner}: data samples {missing[:5]} have no '
                       'gt_label (is this a test split?)')
    labels = torch.cat([s.gt_label.view(-1) for s in data_samples])
    if (labels < 0).any():
        raise ValueError(f'{owner} got samples without a training label '
                         '(label -1): is this a test split?')
    return labels.long().to(device)
