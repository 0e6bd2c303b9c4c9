# Copyright (c) mmreid contributors. All rights reserved.
from .pose import (colorize_maps, draw_keypoints, make_grid, overlay_heatmaps,
                   put_label)
from .pose_transfer import draw_pose_transfer_grid
from .ranked_list import draw_ranked_list

__all__ = [
    'draw_ranked_list', 'colorize_maps', 'draw_keypoints', 'make_grid',
    'overlay_heatmaps', 'put_label', 'draw_pose_transfer_grid'
]
