# Copyright (c) mmreid contributors. All rights reserved.
"""Part maps of the part-aligned models, and their overlays on images.

:func:`model_part_maps` reads what a model attends to:

- DPL (a head with ``part_maps``, :class:`~mmreid.models.heads.PartMapHead`):
  the K sigmoid part maps ``M_k`` over the backbone map;
- PABR (a model with ``part_stream``,
  :class:`~mmreid.models.pose.PosePartStream`): the pose estimator's
  keypoint heatmaps cut to the re-ID crop, and the part stream's output
  P at the appearance map's resolution (its strongest channels).

:func:`draw_part_maps` draws one row per image: the image, then each map
blended over it (:func:`~mmreid.visualization.overlay_heatmaps`).
"""
from typing import Dict, Sequence

import numpy as np
import torch

from .pose import make_grid, overlay_heatmaps, put_label


def _minmax(maps: torch.Tensor) -> torch.Tensor:
    """Scale each ``(n, k)`` map of an N x K x h x w tensor to [0, 1]."""
    flat = maps.flatten(2)
    lo = flat.min(2, keepdim=True).values
    hi = flat.max(2, keepdim=True).values
    out = (flat - lo) / (hi - lo).clamp_min(1e-12)
    return out.view_as(maps)


@torch.no_grad()
def model_part_maps(model: torch.nn.Module,
                    inputs: torch.Tensor,
                    num_channels: int = 8) -> Dict[str, torch.Tensor]:
    """The part maps of a DPL or PABR model for a batch of inputs.

    Runs in eval mode (the model's mode is restored).

    Args:
        model (nn.Module): A DPL-like model (``backbone`` and a ``head``
            with ``part_maps``) or a PABR-like model (``streams`` and a
            ``part_stream`` with an ``estimator``), possibly wrapped.
        inputs (torch.Tensor): N x 3 x H x W inputs, normalised by the
            model's data preprocessor.
        num_channels (int): PABR: how many part-stream channels to show
            (those of the largest mean activation over the batch).
            Defaults to 8.

    Returns:
        dict[str, Tensor]: Name -> N x K x h x w maps. DPL: ``'part'``
        (the sigmoid part maps, in (0, 1)). PABR: ``'keypoints'`` (the
        estimator's heatmaps over the crop) and ``'stream'`` (the chosen
        channels of P, each min-max scaled to [0, 1] per image).

    Raises:
        TypeError: The model has neither.

    Examples:
        >>> from mmreid.models import DPL
        >>> model = DPL(backbone=dict(type='InceptionV1'))
        >>> maps = model_part_maps(model, torch.randn(1, 3, 160, 80))
        >>> maps['part'].shape
        torch.Size([1, 8, 10, 5])
    """
    from mmreid.models.utils import unwrap_model
    model = unwrap_model(model)
    was_training = model.training
    model.eval()
    try:
        head = getattr(model, 'head', None)
        stream = getattr(model, 'part_stream', None)
        if head is not None and hasattr(head, 'part_maps'):
            x = model.backbone(inputs)
            if isinstance(x, (tuple, list)):
                x = x[-1]
            return dict(part=head.part_maps(x))
        if stream is not None and hasattr(model, 'streams'):
            crop_hw = tuple(inputs.shape[-2:])
            est = stream.estimator
            heatmaps = est.crop_to_input(est(inputs)['heatmaps'], crop_hw)
            _, part = model.streams(inputs)
            k = min(num_channels, part.shape[1])
            top = part.mean((0, 2, 3)).topk(k).indices
            return dict(
                keypoints=heatmaps.clamp(0, 1), stream=_minmax(part[:, top]))
    finally:
        model.train(was_training)
    raise TypeError(
        f'{type(model).__name__} has no part maps: expected a head with '
        'part_maps() (DPL\'s PartMapHead) or a part_stream (PABR\'s '
        'PosePartStream)')


def draw_part_maps(images: Sequence[np.ndarray],
                   maps: Dict[str, torch.Tensor],
                   alpha: float = 0.6,
                   max_tiles: int = 8) -> np.ndarray:
    """One row per image: the image, then for each map set its maps one by
    one over the image and all of them together (one hue per map).

    Args:
        images (Sequence[np.ndarray]): N ``H x W x 3`` uint8 BGR images (the
            model's inputs before normalisation).
        maps (dict[str, Tensor]): Name -> N x K x h x w maps in [0, 1]
            (:func:`model_part_maps`), resized to the image.
        alpha (float): Blend weight where a map is 1. Defaults to 0.6.
        max_tiles (int): A set of more than ``max_tiles`` maps (e.g. 17
            keypoint heatmaps) is drawn only all together. Defaults to 8.

    Returns:
        np.ndarray: The grid (BGR uint8); the first row's tiles are
        labelled (``'<name> <k>'`` and ``'<name> all'``).

    Examples:
        >>> imgs = [np.zeros((16, 8, 3), np.uint8)] * 2
        >>> grid = draw_part_maps(imgs, dict(m=torch.rand(2, 3, 4, 2)))
        >>> grid.shape  # 2 rows of 1 + 3 + 1 tiles, 2 px gaps
        (38, 52, 3)
    """
    names = ['image']
    for name, m in maps.items():
        if m.dim() != 4 or m.shape[0] != len(images):
            raise ValueError(
                f'draw_part_maps: {len(images)} images but {name!r} maps of '
                f'shape {tuple(m.shape)} (expected {len(images)} x K x h x '
                'w)')
        if m.shape[1] <= max_tiles:
            names += [f'{name} {k}' for k in range(m.shape[1])]
        names.append(f'{name} all')
    rows = []
    for i, img in enumerate(images):
        row = [np.ascontiguousarray(img)]
        for m in maps.values():
            arr = m[i].detach().float().cpu().clamp(0, 1).numpy()
            if arr.shape[0] <= max_tiles:
                row += [
                    overlay_heatmaps(img, arr[k:k + 1], alpha)
                    for k in range(arr.shape[0])
                ]
            row.append(overlay_heatmaps(img, arr, alpha))
        rows.append(row)
    rows[0] = [put_label(t, s) for t, s in zip(rows[0], names)]
    return make_grid(rows)
