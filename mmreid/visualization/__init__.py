# Copyright (c) mmreid contributors. All rights reserved.
from .identity_attribute_grid import draw_identity_attribute_grid
from .part_maps import draw_part_maps, model_part_maps
from .pose import (colorize_maps, draw_keypoints, make_grid, overlay_heatmaps,
                   put_label)
from .pose_targets import POSE_TARGET_TITLES, pose_target_tiles
from .pose_transfer import draw_pose_transfer_grid
from .query_ranking import rank_queries
from .ranked_list import draw_ranked_list
from .reid_visualizer import ReIDVisualizer

__all__ = [
    'draw_ranked_list', 'colorize_maps', 'draw_keypoints', 'make_grid',
    'overlay_heatmaps', 'put_label', 'draw_pose_transfer_grid',
    'model_part_maps', 'draw_part_maps', 'pose_target_tiles',
    'POSE_TARGET_TITLES', 'rank_queries', 'ReIDVisualizer',
    'draw_identity_attribute_grid'
]
