# Copyright (c) mmreid contributors. All rights reserved.
"""The ``inputs`` a data preprocessor gives a model, for every batch kind.

A data preprocessor returns ``dict(inputs=..., data_samples=...)`` and the
model's ``forward(inputs, data_samples, mode)`` consumes it. mmreid has
three kinds of ``inputs``, one per kind of batch, and every preprocessor
and model keeps to them, so a model never inspects the type of what it
got:

=====================  ==========================  ==========================
batch                  ``inputs``                  made by
=====================  ==========================  ==========================
single images          ``Tensor`` N x C x H x W    every preprocessor
pairs (verification,   :class:`PairInputs`         ``PairDataPreprocessor``,
pose transfer)                                     ``PoseTransferDataPre-
                                                   processor``
single pose transfers  :class:`PoseTransferInputs` ``PoseTransferDataPre-
                                                   processor``
=====================  ==========================  ==========================

Images are normalised by the preprocessor; pose maps are float. Labels and
identities stay in the data samples (``gt_label`` of a pair is 1 for the
same identity, 0 otherwise).
"""
from dataclasses import dataclass
from typing import Optional

from torch import Tensor


@dataclass
class PairInputs:
    """A batch of N image pairs.

    Attributes:
        img (Tensor): N x 2 x C x H x W; ``img[i, 0]`` and ``img[i, 1]``
            form pair ``i``.
        target_img (Tensor, optional): N x 2 x C x H x W pose-transfer
            targets (image ``j`` of pair ``i`` is to be generated as
            ``target_img[i, j]``), normalised like ``img``.
        pose_maps (Tensor, optional): N x 2 x P x H x W target pose maps.

    Examples:
        >>> import torch
        >>> x = PairInputs(img=torch.zeros(4, 2, 3, 8, 4))
        >>> x.num_pairs, tuple(x.branches().shape), x.has_pose_targets
        (4, (8, 3, 8, 4), False)
    """

    img: Tensor
    target_img: Optional[Tensor] = None
    pose_maps: Optional[Tensor] = None

    @property
    def num_pairs(self) -> int:
        """int: N, the number of pairs."""
        return self.img.shape[0]

    @property
    def has_pose_targets(self) -> bool:
        """bool: Whether the pose-transfer fields are set."""
        return self.target_img is not None and self.pose_maps is not None

    def branches(self, field: str = 'img') -> Tensor:
        """A field as 2N single items: every first item, then every second.

        Args:
            field (str): ``'img'``, ``'target_img'`` or ``'pose_maps'``.

        Returns:
            Tensor: 2N x ...; rows ``i`` and ``N + i`` form pair ``i``.
        """
        value = getattr(self, field)
        if value is None:
            raise ValueError(f'PairInputs.{field} is not set (a plain pair '
                             'batch has no pose-transfer targets)')
        return value.transpose(0, 1).flatten(0, 1)


@dataclass
class PoseTransferInputs:
    """A batch of N single pose transfers (generation, sample grids).

    Attributes:
        img (Tensor): N x C x H x W origin images.
        target_img (Tensor): N x C x H x W real images in the target poses.
        pose_maps (Tensor): N x P x H x W target pose maps.

    Examples:
        >>> import torch
        >>> x = PoseTransferInputs(torch.zeros(2, 3, 8, 4),
        ...                        torch.zeros(2, 3, 8, 4),
        ...                        torch.zeros(2, 18, 8, 4))
        >>> x.pose_maps.shape[1]
        18
    """

    img: Tensor
    target_img: Tensor
    pose_maps: Tensor
