# Copyright (c) mmreid contributors. All rights reserved.
from .pairwise_distance_hook import PairwiseDistanceHook
from .pose_transfer_vis_hook import (PoseTransferVisHook,
                                     generate_transfer_batch)

__all__ = [
    'PairwiseDistanceHook', 'PoseTransferVisHook', 'generate_transfer_batch'
]
