# Copyright (c) mmreid contributors. All rights reserved.
"""A part stream on an MMPose estimator's features (PABR's part maps)."""
from typing import Optional, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule

from mmreid.registry import MODELS


@MODELS.register_module()
class PosePartStream(BaseModule):
    """PABR's part stream on an MMPose estimator's features.

    The paper's part stream is the first two stages of the OpenPose COCO
    network (features + part affinity fields + heatmaps, 185 channels) and a
    3 x 3 conv to 128 channels with BN (no affine, no ReLU). Here the pose
    network is an MMPose top-down estimator
    (:class:`~mmreid.models.pose.MMPoseEstimator`, COCO-trained, fine-tuned
    with the rest): its backbone feature map ``feats[feat_index]`` and, with
    ``use_heatmaps``, its keypoint heatmaps are cut to the re-ID crop's
    region of the estimator input (``crop_to_input``), resized to the
    appearance map's resolution, concatenated, and reduced by a 3 x 3 conv
    and BN(affine=False) to ``out_channels``.

    Args:
        estimator (dict): :class:`MMPoseEstimator` config (set ``freeze``
            False to fine-tune it, and its ``input_mean``/``input_std``/
            ``input_bgr`` to the model's data preprocessor).
        in_channels (int): Channels of ``feats[feat_index]`` (HRNet-W32:
            32).
        out_channels (int): Part-stream channels. Defaults to 128.
        feat_index (int): Which estimator feature map. Defaults to -1.
        use_heatmaps (bool): Concatenate the heatmaps (as PABR concatenates
            OpenPose's heatmaps and PAFs). Defaults to True.
        init_cfg (dict, optional): Defaults to Xavier for the reduction
            conv (the estimator loads its own checkpoint).

    Examples:
        >>> # a tiny random estimator (real configs use COCO weights)
        >>> est = dict(type='MMPoseEstimator', checkpoint=None, freeze=False,
        ...            config=dict(codec=dict(input_size=(32, 64)),
        ...                        model=dict(
        ...     type='TopdownPoseEstimator',
        ...     backbone=dict(type='ResNet', depth=18),
        ...     head=dict(type='HeatmapHead', in_channels=512,
        ...               out_channels=17, deconv_out_channels=(16, ),
        ...               deconv_kernel_sizes=(4, )))))
        >>> stream = PosePartStream(est, in_channels=512)
        >>> stream(torch.randn(2, 3, 64, 32), out_size=(8, 4)).shape
        torch.Size([2, 128, 8, 4])
    """

    def __init__(self,
                 estimator: dict,
                 in_channels: int,
                 out_channels: int = 128,
                 feat_index: int = -1,
                 use_heatmaps: bool = True,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.estimator = MODELS.build(estimator)
        self.feat_index = feat_index
        self.use_heatmaps = use_heatmaps
        cin = in_channels + (
            self.estimator.num_keypoints if use_heatmaps else 0)
        self.reduce = ConvModule(
            cin,
            out_channels,
            3,
            padding=1,
            norm_cfg=dict(type='BN', affine=False),
            act_cfg=None)
        self.out_channels = out_channels

    def init_weights(self) -> None:
        """Load the estimator; Xavier-uniform reduction conv (as PABR)."""
        super().init_weights()
        nn.init.xavier_uniform_(self.reduce.conv.weight)

    def forward(self, inputs: torch.Tensor,
                out_size: Tuple[int, int]) -> torch.Tensor:
        """Part maps of re-ID crops at the appearance map's resolution.

        Args:
            inputs (torch.Tensor): N x 3 x H x W normalised crops.
            out_size (tuple[int, int]): ``(h, w)`` of the appearance map.

        Returns:
            torch.Tensor: N x out_channels x h x w.
        """
        crop_hw = tuple(inputs.shape[-2:])
        out = self.estimator(inputs)
        maps = [
            self.estimator.crop_to_input(out['feats'][self.feat_index],
                                         crop_hw, out_size)
        ]
        if self.use_heatmaps:
            maps.append(
                self.estimator.crop_to_input(out['heatmaps'], crop_hw,
                                             out_size))
        return self.reduce(torch.cat(maps, 1))
