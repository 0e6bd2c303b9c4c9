# Copyright (c) mmreid contributors. All rights reserved.
from .feature_set import FeatureSet
from .pose_clustering import (cluster_poses, masked_kmeans, normalize_poses,
                              pose_to_canvas)
from .pose_formats import (COCO17_KEYPOINTS, COCO17_SKELETON,
                           OPENPOSE18_KEYPOINTS, POSE_FORMATS, PoseFormat,
                           coco17_to_openpose18, convert_keypoints,
                           flip_keypoints, get_pose_format, infer_pose_format,
                           openpose18_to_coco17)
from .reid_data_sample import ReIDDataSample, format_label
from .reid_inputs import PairInputs, PoseTransferInputs

__all__ = [
    'FeatureSet', 'ReIDDataSample', 'format_label', 'PairInputs',
    'PoseTransferInputs',
    'COCO17_KEYPOINTS', 'COCO17_SKELETON',
    'OPENPOSE18_KEYPOINTS', 'POSE_FORMATS', 'PoseFormat',
    'coco17_to_openpose18', 'convert_keypoints', 'flip_keypoints',
    'get_pose_format', 'infer_pose_format', 'openpose18_to_coco17',
    'cluster_poses', 'masked_kmeans', 'normalize_poses', 'pose_to_canvas'
]
