# Copyright (c) mmreid contributors. All rights reserved.
"""DPL: deeply-learned part-aligned representations (ICCV 2017)."""
from typing import Optional

from mmreid.registry import MODELS
from .baseline import Baseline


@MODELS.register_module()
class DPL(Baseline):
    """Backbone feature maps -> part-map head (Zhao et al., ICCV 2017).

    A :class:`Baseline` without a pooling neck: the head
    (:class:`~mmreid.models.heads.PartMapHead`) pools the backbone's last
    map with its learned part maps into the L2-normalised part-aligned
    descriptor, which is the ranking feature, and owns the all-triplets
    loss (mined over the batches of all ranks by default, as DPL's
    single-GPU code mined over its whole batch).

    Args:
        backbone (dict): Backbone config (Inception-v1 to inception_4e).
        head (dict): Head config. Defaults to
            ``dict(type='PartMapHead')``.
        neck (dict, optional): Defaults to None (the head pools).
        data_preprocessor (dict, optional): See :class:`BaseReID`.
        test_cfg (dict, optional): See :class:`BaseReID`.
        init_cfg (dict, optional): Initialisation config.

    Examples:
        >>> import torch
        >>> model = DPL(backbone=dict(type='InceptionV1'))
        >>> model(torch.randn(2, 3, 160, 80)).shape
        torch.Size([2, 512])
    """

    def __init__(self,
                 backbone: dict,
                 head: dict = dict(type='PartMapHead'),
                 neck: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            backbone=backbone,
            head=head,
            neck=neck,
            data_preprocessor=data_preprocessor,
            test_cfg=test_cfg,
            init_cfg=init_cfg)
