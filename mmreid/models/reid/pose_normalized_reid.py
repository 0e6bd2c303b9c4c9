# Copyright (c) mmreid contributors. All rights reserved.
"""PN-GAN's test-time model: original and pose-normalised features fused."""
from typing import Optional

import torch
import torch.nn.functional as F
from mmengine.runner import load_checkpoint
from torch import Tensor

from mmreid.registry import MODELS
from .base import BaseReID


@MODELS.register_module()
class PoseNormalizedReID(BaseReID):
    """Fuse ResNet-50-A's feature of an image with ResNet-50-B's features
    of its pose-normalised versions (PN-GAN, docs/en/method_specs.md).

    ``reid_a`` is a re-ID model trained on real images, ``reid_b`` one
    trained on PN-GAN's synthesised images (each training image in the K
    canonical poses, labelled with its source identity); each is trained
    by its own config and loaded here from its checkpoint.

    An input item is K + 1 views of one image (N x (1 + K) x C x H x W,
    :class:`~mmreid.models.MultiViewDataPreprocessor` on
    :class:`~mmreid.datasets.PoseNormalizedDataset` items): view 0 the
    original, views 1..K the image in the K canonical poses. Features:
    ``f_A`` = A(original), ``f_B^k`` = B(view k); each vector is
    L2-normalised (``normalize``) and the 1 + K vectors (K with
    ``include_original=False``, the released test code) are fused by
    ``fusion``: ``'max'`` (element-wise max, the paper's choice and the
    default), ``'avg'`` or ``'concat'``. Ranking is by the metric's
    distance (Euclidean in the configs).

    A plain N x C x H x W batch gives ``f_A`` alone (normalised with
    ``normalize``): the ResNet-50-A baseline.

    Args:
        reid_a (dict): Config of ResNet-50-A (e.g. ``Baseline``).
        reid_b (dict, optional): Config of ResNet-50-B. Defaults to None:
            the architecture of ``reid_a`` (the paper's A and B are both
            ResNet-50).
        checkpoint_a (str, optional): A's checkpoint, loaded strictly at
            construction. Defaults to None (tests, or weights loaded by a
            whole-model checkpoint).
        checkpoint_b (str, optional): B's checkpoint. Defaults to None.
        fusion (str): ``'max'``, ``'avg'`` or ``'concat'``. Defaults to
            ``'max'``.
        normalize (bool): L2-normalise each vector before fusing. Defaults
            to True.
        include_original (bool): Fuse f_A with the K pose features (the
            paper) or only the K pose features (the released test code).
            Defaults to True.
        data_preprocessor (dict, optional): Defaults to
            ``MultiViewDataPreprocessor`` with ImageNet mean / std.
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> net = dict(type='Baseline',
        ...            backbone=dict(type='mmpretrain.ResNet', depth=18,
        ...                          out_indices=(3, )),
        ...            neck=dict(type='mmpretrain.GlobalAveragePooling'),
        ...            head=dict(type='BNNeckHead', in_channels=512,
        ...                      num_classes=4))
        >>> model = PoseNormalizedReID(net).eval()  # B: A's architecture
        >>> model(torch.randn(2, 9, 3, 64, 32)).shape
        torch.Size([2, 512])
        >>> model.fusion = 'concat'
        >>> model(torch.randn(2, 9, 3, 64, 32)).shape
        torch.Size([2, 4608])
    """

    FUSIONS = ('max', 'avg', 'concat')
    test_cfg_keys = ()

    def __init__(self,
                 reid_a: dict,
                 reid_b: Optional[dict] = None,
                 checkpoint_a: Optional[str] = None,
                 checkpoint_b: Optional[str] = None,
                 fusion: str = 'max',
                 normalize: bool = True,
                 include_original: bool = True,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if fusion not in self.FUSIONS:
            raise ValueError(f'PoseNormalizedReID: fusion must be one of '
                             f'{self.FUSIONS}, got {fusion!r}')
        if data_preprocessor is None:
            data_preprocessor = dict(type='MultiViewDataPreprocessor')
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.reid_a = MODELS.build(reid_a)
        self.reid_b = MODELS.build(reid_a if reid_b is None else reid_b)
        self.checkpoints = dict(reid_a=checkpoint_a, reid_b=checkpoint_b)
        self.load_checkpoints()
        self.fusion = fusion
        self.normalize = normalize
        self.include_original = include_original

    def load_checkpoints(self) -> None:
        """Load ``checkpoint_a`` / ``checkpoint_b`` (strictly) if given."""
        for name, ckpt in self.checkpoints.items():
            if ckpt is not None:
                load_checkpoint(getattr(self, name), ckpt,
                                map_location='cpu', strict=True)

    def init_weights(self) -> None:
        """(Re)load A's and B's checkpoints; initialise first unless both
        are given (no pretrained download that they would overwrite)."""
        if None in self.checkpoints.values():
            super().init_weights()
        self.load_checkpoints()

    def fuse(self, feat_a: Tensor, feats_b: Tensor) -> Tensor:
        """Fuse N x D ``f_A`` and N x K x D ``f_B`` (see the class doc)."""
        vecs = feats_b
        if self.include_original:
            if feat_a.shape[-1] != feats_b.shape[-1] and self.fusion != \
                    'concat':
                raise ValueError(
                    f'PoseNormalizedReID: {self.fusion} fusion needs A and '
                    f'B features of one size, got {feat_a.shape[-1]} and '
                    f'{feats_b.shape[-1]}')
            vecs = torch.cat([feat_a[:, None], feats_b], dim=1)
        if self.normalize:
            vecs = F.normalize(vecs, dim=-1)
        if self.fusion == 'max':
            return vecs.max(dim=1).values
        if self.fusion == 'avg':
            return vecs.mean(dim=1)
        return vecs.flatten(1)

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """Fused features of N x (1 + K) x C x H x W items (or f_A of
        N x C x H x W images)."""
        if inputs.dim() == 4:
            feat = self.reid_a.extract_feat(inputs)
            return F.normalize(feat, dim=1) if self.normalize else feat
        if inputs.dim() != 5 or inputs.shape[1] < 2:
            raise ValueError(
                'PoseNormalizedReID: inputs must be N x (1 + K) x C x H x W '
                '(the original, then its K pose-normalised versions) or '
                f'N x C x H x W, got {tuple(inputs.shape)}')
        num, views = inputs.shape[:2]
        feat_a = self.reid_a.extract_feat(inputs[:, 0])
        feats_b = self.reid_b.extract_feat(inputs[:, 1:].flatten(0, 1))
        return self.fuse(feat_a, feats_b.view(num, views - 1, -1))

    def loss(self, inputs, data_samples):
        """Refused: A and B are trained by their own configs."""
        raise ValueError(
            'PoseNormalizedReID is a test-time model: train ResNet-50-A and '
            'ResNet-50-B with their own configs (configs/pngan/*_reid_a.py, '
            '*_reid_b.py)')
