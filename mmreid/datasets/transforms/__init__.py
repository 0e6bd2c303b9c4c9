# Copyright (c) mmreid contributors. All rights reserved.
from .formatting import PackReIDInputs, to_tensor
from .geometric import (RandomTranslate, ReIDPad, ReIDRandomCrop,
                        ReIDRandomFlip, ReIDResize)
from .loading import ImageLoadError, LoadReIDImage
from .pose_targets import (KeypointsToHeatmaps, PartMaps, RenderSkeleton,
                           gaussian_heatmaps, render_pose_image)

__all__ = [
    'PackReIDInputs', 'to_tensor', 'RandomTranslate', 'ReIDPad',
    'ReIDRandomCrop', 'ReIDRandomFlip', 'ReIDResize', 'ImageLoadError',
    'LoadReIDImage', 'KeypointsToHeatmaps', 'PartMaps', 'RenderSkeleton',
    'gaussian_heatmaps', 'render_pose_image'
]
