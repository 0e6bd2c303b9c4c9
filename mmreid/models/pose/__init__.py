# Copyright (c) mmreid contributors. All rights reserved.
from .mmpose_estimator import (HRNET_W32_COCO_CHECKPOINT,
                               HRNET_W32_COCO_CONFIG, MMPoseEstimator,
                               decode_heatmaps)
from .part_attention import PoseGuidedPartAttention
from .pose_part_stream import PosePartStream

__all__ = [
    'MMPoseEstimator', 'PosePartStream', 'decode_heatmaps',
    'HRNET_W32_COCO_CONFIG',
    'HRNET_W32_COCO_CHECKPOINT', 'PoseGuidedPartAttention'
]
