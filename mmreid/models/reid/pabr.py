# Copyright (c) mmreid contributors. All rights reserved.
"""PABR: part-aligned bilinear representations (ECCV 2018)."""
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.distributed as dist
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.dist import get_dist_info
from mmengine.model import BaseModule

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample
from .base import BaseReID


class _AllGatherWithGrad(torch.autograd.Function):
    """All-gather whose backward sums the gradients of every rank."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        out = [torch.zeros_like(x) for _ in range(dist.get_world_size())]
        dist.all_gather(out, x.contiguous())
        return tuple(out)

    @staticmethod
    def backward(ctx, *grads: torch.Tensor) -> torch.Tensor:
        grad = torch.stack(grads)
        dist.all_reduce(grad)
        return grad[dist.get_rank()]


def gather_across_ranks(
        feats: torch.Tensor,
        labels: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """Concatenate the features and labels of every rank's batch.

    Under DDP each process sees only its own batch; DPL's and PABR's
    triplet losses mine over the whole (multi-GPU) batch, as their
    single-process (Caffe, DataParallel) code did. The features keep their
    gradient: backward sums every rank's gradient of its copy of the loss
    into the local slice, so after DDP's gradient averaging the update
    equals the single-process one on the concatenated batch. Every rank
    must pass the same batch size. Without a process group the inputs are
    returned as they are.

    Args:
        feats (torch.Tensor): N x D local features.
        labels (torch.Tensor): N local labels.

    Returns:
        tuple[torch.Tensor, torch.Tensor]: (W * N) x D features and labels.

    Examples:
        >>> f, l = gather_across_ranks(torch.ones(2, 3), torch.zeros(2))
        >>> f.shape, l.shape
        (torch.Size([2, 3]), torch.Size([2]))
    """
    _, world_size = get_dist_info()
    if world_size == 1:
        return feats, labels
    feats = torch.cat(_AllGatherWithGrad.apply(feats), 0)
    gathered = [torch.zeros_like(labels) for _ in range(world_size)]
    dist.all_gather(gathered, labels.contiguous())
    return feats, torch.cat(gathered, 0)


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


@MODELS.register_module()
class PABR(BaseReID):
    """Two-stream part-aligned bilinear model (Suh et al., ECCV 2018).

    - Appearance stream: ``backbone`` (Inception-v1 with dilation 2: 832 x
      20 x 10 for 160 x 80 input), then a 1 x 1 conv to ``app_channels``
      and BN(affine=False), no ReLU: A (512 x 20 x 10).
    - Part stream (``part_stream``, e.g. :class:`PosePartStream`): P (128
      x 20 x 10) at A's resolution.
    - ``pooling(A, P)``: bilinear pooling summed over locations, exact
      (:class:`~mmreid.models.necks.BilinearPooling`, 65,536-d) or compact
      (:class:`~mmreid.models.necks.CompactBilinearPooling`, 512-d).
    - L2 normalisation; the descriptor is the ranking feature and the
      input of the loss (all-triplets, margin 0.2, squared distances).

    Without a part stream (``part_stream=None``) ``pooling`` is called on A
    alone, e.g. global average pooling: PABR's appearance-only baseline.

    Args:
        backbone (dict): Appearance backbone config.
        part_stream (dict, optional): Part stream config, called as
            ``part_stream(inputs, out_size=A.shape[-2:])``.
        pooling (dict): Pooling config.
        in_channels (int): Backbone channels. Defaults to 832.
        app_channels (int): Appearance channels. Defaults to 512.
        normalize (bool): L2-normalise the pooled descriptor. Defaults to
            True.
        loss (dict): Metric loss config, called as ``loss(feats,
            labels)``.
        gather_loss (bool): Under DDP, compute the loss over the batches
            of all ranks (:func:`gather_across_ranks`), as the papers'
            single-process code mined over the whole batch. Defaults to
            True.
        data_preprocessor (dict, optional): See :class:`BaseReID`.
        test_cfg (dict, optional): See :class:`BaseReID`.
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> model = PABR(
        ...     backbone=dict(type='InceptionV1', dilation=2),
        ...     part_stream=None,
        ...     pooling=dict(type='mmpretrain.GlobalAveragePooling'))
        >>> model(torch.randn(2, 3, 160, 80)).shape
        torch.Size([2, 512])
    """

    def __init__(self,
                 backbone: dict,
                 pooling: dict,
                 part_stream: Optional[dict] = None,
                 in_channels: int = 832,
                 app_channels: int = 512,
                 normalize: bool = True,
                 loss: dict = dict(
                     type='TripletLoss',
                     margin=0.2,
                     mining='all',
                     squared=True),
                 gather_loss: bool = True,
                 data_preprocessor: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor,
            test_cfg=test_cfg,
            init_cfg=init_cfg)
        self.gather_loss = gather_loss
        self.backbone = MODELS.build(backbone)
        self.app_reduce = ConvModule(
            in_channels,
            app_channels,
            1,
            norm_cfg=dict(type='BN', affine=False),
            act_cfg=None)
        self.part_stream = MODELS.build(part_stream) if part_stream \
            else None
        self.pooling = MODELS.build(pooling)
        self.normalize = normalize
        self.loss_module = MODELS.build(loss)

    def init_weights(self) -> None:
        """Backbone/part-stream weights; Xavier-uniform new 1x1 conv."""
        super().init_weights()
        nn.init.xavier_uniform_(self.app_reduce.conv.weight)

    def streams(
        self, inputs: torch.Tensor
    ) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """The appearance map A and the part map P (None without stream).

        Args:
            inputs (torch.Tensor): N x 3 x H x W.

        Returns:
            tuple: A (N x C_A x h x w) and P (N x C_P x h x w) or None.
        """
        x = self.backbone(inputs)
        if isinstance(x, (tuple, list)):
            x = x[-1]
        a = self.app_reduce(x)
        p = None
        if self.part_stream is not None:
            p = self.part_stream(inputs, out_size=tuple(a.shape[-2:]))
        return a, p

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """The (L2-normalised) pooled descriptor, N x D."""
        a, p = self.streams(inputs)
        feats = self.pooling(a) if p is None else self.pooling(a, p)
        if isinstance(feats, (tuple, list)):
            feats = feats[-1]
        feats = feats.flatten(1)
        if self.normalize:
            feats = F.normalize(feats, dim=1)
        return feats

    def loss(self, inputs: torch.Tensor,
             data_samples: List[ReIDDataSample]) -> Dict[str, torch.Tensor]:
        """The triplet loss of a training batch."""
        feats = self.extract_feat(inputs)
        labels = torch.cat([s.gt_label for s in data_samples]).to(
            feats.device)
        if (labels < 0).any():
            raise ValueError('PABR.loss got samples without a training '
                             'label (label -1)')
        if self.gather_loss:
            feats, labels = gather_across_ranks(feats, labels)
        return dict(loss_triplet=self.loss_module(feats, labels))
