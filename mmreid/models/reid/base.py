# Copyright (c) mmreid contributors. All rights reserved.
"""The base class of every re-ID model."""
from abc import abstractmethod
from typing import Dict, List, Optional, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel

from mmreid.registry import MODELS
from mmreid.structures import ReIDDataSample


class BaseReID(BaseModel):
    """Base class of re-ID models (the contract: docs/en/architecture.md).

    Subclasses implement :meth:`extract_feat` (images -> N x D features used
    for ranking) and :meth:`loss`. This class dispatches the three MMEngine
    modes:

    - ``'loss'``: a dict of losses (keys with ``loss`` are summed);
    - ``'predict'``: the data samples with ``pred_feature`` set;
    - ``'tensor'``: the raw N x D features.

    Test-time options (``test_cfg``), applied by :meth:`predict_feat` (the
    features of ``'predict'``; ``'tensor'`` returns the raw ones):

    - ``flip`` (bool): average the features of the image and of its mirror
      (flip test-time augmentation). Defaults to False.
    - ``normalize`` (bool): L2-normalise each feature (along dim 1), after
      flip averaging, so Euclidean ranking becomes cosine ranking (the
      strong baseline's ``TEST.FEAT_NORM``). Defaults to False.

    Unknown keys raise a ``KeyError``. Subclasses whose ``pred_feature`` is
    not an embedding to rank by (e.g. a pair model's cached trunk map) set
    their own :attr:`test_cfg_keys` without these.

    Args:
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='ReIDDataPreprocessor')``.
        test_cfg (dict, optional): See above.
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> import torch
        >>> class Flat(BaseReID):
        ...     def extract_feat(self, inputs):
        ...         return inputs.flatten(1)
        ...     def loss(self, inputs, data_samples):
        ...         return {}
        >>> x = torch.tensor([[[[3., 4.]]]])  # one 1 x 1 x 2 image
        >>> Flat(test_cfg=dict(normalize=True)).predict_feat(x)
        tensor([[0.6000, 0.8000]])
        >>> Flat(test_cfg=dict(flip=True, normalize=True)).predict_feat(x)
        tensor([[0.7071, 0.7071]])
    """

    def __init__(self,
                 data_preprocessor: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='ReIDDataPreprocessor')
        if isinstance(data_preprocessor, dict):
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.test_cfg = dict(test_cfg or {})
        unknown = set(self.test_cfg) - set(self.test_cfg_keys)
        if unknown:
            raise KeyError(
                f'{type(self).__name__}: unknown test_cfg key(s) '
                f'{sorted(unknown)}; valid keys are {self.test_cfg_keys}')

    #: keys accepted in ``test_cfg`` (subclasses may extend or replace).
    test_cfg_keys = ('flip', 'normalize')

    @abstractmethod
    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """Compute the ranking features of a batch, N x D."""

    @abstractmethod
    def loss(self, inputs: torch.Tensor,
             data_samples: List[ReIDDataSample]) -> Dict[str, torch.Tensor]:
        """Compute the training losses of a batch."""

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[ReIDDataSample]] = None,
                mode: str = 'tensor'
                ) -> Union[Dict[str, torch.Tensor], List[ReIDDataSample],
                           torch.Tensor]:
        """Dispatch to :meth:`loss`, :meth:`predict` or the features.

        Args:
            inputs (torch.Tensor): N x C x H x W normalised images.
            data_samples (list[ReIDDataSample], optional): Annotations.
            mode (str): ``'loss'``, ``'predict'`` or ``'tensor'``.
        """
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.extract_feat(inputs)
        raise ValueError(f'Invalid mode {mode!r}: expected "loss", '
                         '"predict" or "tensor"')

    def predict_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """Test-time features: flip-averaged and L2-normalised if configured.

        Args:
            inputs (torch.Tensor): N x C x H x W.

        Returns:
            torch.Tensor: N x D.
        """
        feats = self.extract_feat(inputs)
        if self.test_cfg.get('flip', False):
            feats = (feats + self.extract_feat(inputs.flip(-1))) / 2
        if self.test_cfg.get('normalize', False):
            feats = F.normalize(feats, dim=1)
        return feats

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[ReIDDataSample]] = None
                ) -> List[ReIDDataSample]:
        """Set ``pred_feature`` on each data sample.

        Args:
            inputs (torch.Tensor): N x C x H x W.
            data_samples (list[ReIDDataSample], optional): Made if None.

        Returns:
            list[ReIDDataSample]: The samples with ``pred_feature``.
        """
        feats = self.predict_feat(inputs)
        if data_samples is None:
            data_samples = [ReIDDataSample() for _ in range(len(feats))]
        for sample, feat in zip(data_samples, feats):
            sample.set_pred_feature(feat.detach())
        return data_samples
