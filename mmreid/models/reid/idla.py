# Copyright (c) mmreid contributors. All rights reserved.
"""IDLA: Ahmed, Jones, Marks, "An Improved Deep Learning Architecture for
Person Re-Identification", CVPR 2015."""
from typing import Dict, List, Optional

import torch
from torch import Tensor

from mmreid.registry import MODELS
from mmreid.structures import PairInputs, ReIDDataSample
# Imported for registration (IDLA builds them by name).
from ..backbones.idla_trunk import IDLATrunk  # noqa: F401
from ..data_preprocessors.pair_data_preprocessor import \
    PairDataPreprocessor  # noqa: F401
from ..heads.idla_head import IDLAHead  # noqa: F401
from .base import BaseReID


@MODELS.register_module()
class IDLA(BaseReID):
    """IDLA, a pairwise verification network (docs/en/method_specs.md, IDLA).

    There is no per-image embedding: a pair of images is scored by
    ``P(same)``. The tied trunk (layers 1-4, :class:`IDLATrunk`) is per
    image, so:

    - ``'loss'`` takes pair batches (:class:`~mmreid.structures.PairInputs`,
      from :class:`~mmreid.datasets.PairDataset` and
      :class:`PairDataPreprocessor`) with ``gt_label`` 1 (same identity) or
      0, runs the trunk on the 2N images and the head's loss
      (:class:`IDLAHead`) on the N pairs;
    - ``'predict'`` takes single images and stores the *flattened* trunk
      output (25 x 37 x 12 = 11,100 values for 160 x 60) in
      ``pred_feature``: the trunk runs once per image;
    - :meth:`distance_matrix` (used by ``ReIDMetric(metric='model')``,
      which :class:`~mmreid.engine.ReIDRunner` connects to the model) runs
      the head over every (query, gallery) pair of cached trunk outputs in
      batches of ``pair_batch_size`` pairs and returns ``1 - P(same)``.

    Test-time options (``test_cfg``): ``pair_batch_size`` (int, pairs per
    head call; bounds memory, about 4 MB per pair for the paper's sizes).
    Defaults to 128.

    Args:
        backbone (dict): The trunk. Defaults to ``dict(type='IDLATrunk')``.
        head (dict): The pair head. Defaults to ``dict(type='IDLAHead')``.
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='PairDataPreprocessor')``.
        test_cfg (dict, optional): See above.
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> model = IDLA()
        >>> imgs = torch.rand(3, 3, 160, 60)
        >>> feats = model.extract_feat(imgs)
        >>> feats.shape
        torch.Size([3, 11100])
        >>> model.distance_matrix(feats[:2], feats).shape
        torch.Size([2, 3])
    """

    test_cfg_keys = ('pair_batch_size', )

    def __init__(self,
                 backbone: dict = dict(type='IDLATrunk'),
                 head: dict = dict(type='IDLAHead'),
                 data_preprocessor: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='PairDataPreprocessor')
        super().__init__(
            data_preprocessor=data_preprocessor,
            test_cfg=test_cfg,
            init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.head = MODELS.build(head)
        self.pair_batch_size = int(self.test_cfg.get('pair_batch_size', 128))
        if self.pair_batch_size < 1:
            raise ValueError('test_cfg.pair_batch_size must be >= 1, got '
                             f'{self.pair_batch_size}')

    # ---------------------------------------------------------- per image --
    def trunk(self, inputs: Tensor) -> Tensor:
        """Run the trunk (layers 1-4).

        Args:
            inputs (Tensor): N x C x H x W images.

        Returns:
            Tensor: N x 25 x 37 x 12 maps (for 160 x 60 input).
        """
        feats = self.backbone(inputs)
        expected = self.head.feat_shape()
        if tuple(feats.shape[1:]) != expected:
            raise ValueError(
                f'IDLA: the trunk output is {tuple(feats.shape[1:])}, but '
                f'the head expects {expected}; resize the images to the '
                "paper's 160 x 60 (ReIDResize(scale=(60, 160))) or set "
                'head.feat_size')
        return feats

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """Flattened trunk outputs: the per-image tensors to cache.

        Args:
            inputs (Tensor): N x C x H x W images.

        Returns:
            Tensor: N x (25 * 37 * 12).
        """
        return self.trunk(inputs).flatten(1)

    # ------------------------------------------------------------- pairs --
    def _unflatten(self, feats: Tensor) -> Tensor:
        """Reshape cached N x D features to N x C x H x W."""
        return feats.float().view(feats.shape[0], *self.head.feat_shape())

    def score_pairs(self, feats1: Tensor, feats2: Tensor) -> Tensor:
        """``P(same)`` of pairs of cached features, in batches.

        Args:
            feats1 (Tensor): N x D cached features (from :meth:`predict`
                or :meth:`extract_feat`) of the first images.
            feats2 (Tensor): N x D cached features of the second images.

        Returns:
            Tensor: N probabilities.
        """
        out = []
        for s in range(0, feats1.shape[0], self.pair_batch_size):
            f = self._unflatten(feats1[s:s + self.pair_batch_size])
            g = self._unflatten(feats2[s:s + self.pair_batch_size])
            out.append(self.head.same_prob(f, g))
        if not out:
            return feats1.new_zeros(0)
        return torch.cat(out)

    def distance_matrix(self, query: Tensor, gallery: Tensor) -> Tensor:
        """``1 - P(same)`` of every (query, gallery) pair.

        Only the head runs here (the trunk outputs are cached), over the
        q x g pairs in batches of ``pair_batch_size``.

        Args:
            query (Tensor): q x D cached features.
            gallery (Tensor): g x D cached features.

        Returns:
            Tensor: q x g distances.
        """
        num_q, num_g = query.shape[0], gallery.shape[0]
        dist = query.new_empty(num_q * num_g, dtype=torch.float32)
        step = self.pair_batch_size
        for s in range(0, num_q * num_g, step):
            idx = torch.arange(
                s, min(s + step, num_q * num_g), device=query.device)
            prob = self.head.same_prob(
                self._unflatten(query[idx // num_g]),
                self._unflatten(gallery[idx % num_g]))
            dist[s:s + idx.numel()] = 1 - prob
        return dist.view(num_q, num_g)

    def forward_pair(self, img1: Tensor, img2: Tensor) -> Tensor:
        """Whole-network ``P(same)`` of image pairs (no caching).

        Runs the trunk on both images of every pair: the cost of scoring a
        gallery without the cached-trunk trick (see
        ``benchmarks/idla_pair_eval.py``).

        Args:
            img1 (Tensor): N x C x H x W.
            img2 (Tensor): N x C x H x W.

        Returns:
            Tensor: N probabilities.
        """
        return self.head.same_prob(self.trunk(img1), self.trunk(img2))

    # -------------------------------------------------------------- modes --
    def loss(self, inputs: PairInputs,
             data_samples: List[ReIDDataSample]) -> Dict[str, Tensor]:
        """Extract the pairs' trunk outputs, then the head's loss.

        Args:
            inputs (PairInputs): N image pairs.
            data_samples (list[ReIDDataSample]): ``gt_label`` 1 for a pair
                of the same identity, 0 otherwise.

        Returns:
            dict: ``loss_cls`` and ``acc_pair``.
        """
        feats = self.trunk(inputs.img.flatten(0, 1))
        feats = feats.view(inputs.num_pairs, 2, *feats.shape[1:])
        return self.head.loss(feats, data_samples)
