# Copyright (c) mmreid contributors. All rights reserved.
"""A Siamese re-ID network trained by pair verification (FD-GAN's E)."""
from typing import Dict, List, Optional

import torch
from torch import Tensor

from mmreid.evaluation.functional.cascade import cascade_rescore
from mmreid.evaluation.functional.distance import pairwise_distance
from mmreid.registry import MODELS
from mmreid.structures import PairInputs, ReIDDataSample
# Imported for registration (built by name below).
from ..data_preprocessors.pair_data_preprocessor import \
    PairDataPreprocessor  # noqa: F401
from ..heads.verification_head import \
    SquaredDiffVerificationHead  # noqa: F401
from .baseline import Baseline


@MODELS.register_module()
class VerificationReID(Baseline):
    """Siamese backbone + pooling + a pair verification head.

    A :class:`Baseline` (backbone, pooling neck) whose head scores pairs
    instead of embedding single images.

    FD-GAN's image encoder E with its verification classifier V, and on its
    own the stage-I re-ID baseline (docs/en/method_specs.md, FD-GAN): a
    ResNet-50 cut after global average pooling (2048-d, standard last
    stride 2), and
    :class:`SquaredDiffVerificationHead` on the squared feature difference
    of a pair, trained with the 2-class cross-entropy the head owns (1 =
    same identity).

    - ``'loss'`` takes pair batches (:class:`~mmreid.structures.PairInputs`
      from :class:`~mmreid.datasets.PairDataset` +
      :class:`PairDataPreprocessor`, ``gt_label`` 1 for a positive pair);
    - ``'predict'`` / ``'tensor'`` give the pooled feature of single images
      (ranked by Euclidean distance, the first stage of the test);
    - :meth:`distance_matrix` is the cascade second stage
      (:func:`~mmreid.evaluation.functional.cascade.cascade_rescore`): the
      ``rerank_topk`` nearest gallery images of each query (squared
      Euclidean) are re-scored by ``P(different)`` from the head.
      ``ReIDMetric(metric='model')`` ranks by it (``metric='euclidean'``
      ranks the features alone).

    Test-time options (``test_cfg``): ``flip`` (see :class:`BaseReID`),
    ``rerank_topk`` (int, default 100, the official value) and
    ``pair_batch_size`` (int, pairs per head call, default 4096).

    Args:
        backbone (dict): Backbone config; its last output is pooled.
        head (dict): Verification head. Defaults to
            ``dict(type='SquaredDiffVerificationHead')``.
        neck (dict, optional): Pooling. Defaults to global average pooling.
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='PairDataPreprocessor')``.
        test_cfg (dict, optional): See above.
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> model = VerificationReID(
        ...     backbone=dict(type='mmpretrain.ResNet', depth=18,
        ...                   out_indices=(3, )),
        ...     head=dict(type='SquaredDiffVerificationHead',
        ...               in_channels=512))
        >>> _ = model.eval()
        >>> feats = model(torch.randn(3, 3, 64, 32))
        >>> feats.shape
        torch.Size([3, 512])
        >>> model.distance_matrix(feats[:1], feats).shape
        torch.Size([1, 3])
    """

    test_cfg_keys = ('flip', 'rerank_topk', 'pair_batch_size')

    def __init__(self,
                 backbone: dict,
                 head: dict = dict(type='SquaredDiffVerificationHead'),
                 neck: Optional[dict] = dict(
                     type='mmpretrain.GlobalAveragePooling'),
                 data_preprocessor: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='PairDataPreprocessor')
        super().__init__(
            backbone=backbone,
            head=head,
            neck=neck,
            data_preprocessor=data_preprocessor,
            test_cfg=test_cfg,
            init_cfg=init_cfg)
        self.rerank_topk = int(self.test_cfg.get('rerank_topk', 100))
        self.pair_batch_size = int(self.test_cfg.get('pair_batch_size', 4096))
        if self.rerank_topk < 1 or self.pair_batch_size < 1:
            raise ValueError('test_cfg.rerank_topk and pair_batch_size must '
                             'be >= 1')

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """Pooled backbone features, N x C (the head scores pairs)."""
        return self.pooled_feat(inputs)

    def pair_feat(self, inputs: PairInputs) -> Tensor:
        """Pooled features of a batch of pairs, N x 2 x D.

        Args:
            inputs (PairInputs): N image pairs.

        Returns:
            Tensor: ``feats[i, j]`` is the feature of image ``j`` of pair
            ``i`` (one backbone pass over the 2N images).
        """
        feats = self.extract_feat(inputs.branches())
        num = inputs.num_pairs
        return torch.stack([feats[:num], feats[num:]], 1)

    def loss(self, inputs: PairInputs,
             data_samples: List[ReIDDataSample]) -> Dict[str, Tensor]:
        """Extract the pairs' features, then the head's loss.

        Args:
            inputs (PairInputs): N image pairs.
            data_samples (list[ReIDDataSample]): ``gt_label`` 1 = same.

        Returns:
            dict: ``loss_verif`` and ``acc_verif`` (in percent).
        """
        return self.head.loss(self.pair_feat(inputs), data_samples)

    @torch.no_grad()
    def distance_matrix(self, query: Tensor, gallery: Tensor) -> Tensor:
        """Cascade distances: top-k re-scored by ``P(different)``.

        Args:
            query (Tensor): q x D features (from :meth:`predict`).
            gallery (Tensor): g x D features.

        Returns:
            Tensor: q x g distances.
        """
        query, gallery = query.float(), gallery.float()
        dist = pairwise_distance(query, gallery, 'sqeuclidean')

        def verify(qidx: Tensor, gidx: Tensor) -> Tensor:
            out = []
            for s in range(0, qidx.numel(), self.pair_batch_size):
                q = query[qidx[s:s + self.pair_batch_size]]
                g = gallery[gidx[s:s + self.pair_batch_size]]
                out.append(1 - self.head.same_prob(q, g))
            return torch.cat(out)

        return cascade_rescore(dist, verify, self.rerank_topk)
