# Copyright (c) mmreid contributors. All rights reserved.
from .pose_transfer_vis_hook import (PoseTransferVisHook,
                                     generate_transfer_batch)
from .ranked_list_vis_hook import RankedListVisHook

__all__ = [
    'PoseTransferVisHook', 'generate_transfer_batch', 'RankedListVisHook'
]
