# Copyright (c) mmreid contributors. All rights reserved.
from .pose_transfer_vis_hook import (PoseTransferVisHook,
                                     generate_transfer_batch)

__all__ = ['PoseTransferVisHook', 'generate_transfer_batch']
