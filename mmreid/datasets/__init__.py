# Copyright (c) mmreid contributors. All rights reserved.
from .base_reid_dataset import BaseReIDDataset, DatasetFormatError
from .canonical_poses import (load_canonical_poses, render_canonical_poses,
                              synth_image_path)
from .cuhk01 import CUHK01
from .cuhk03_classic import CUHK03Classic
from .cuhk03_np import CUHK03NP
from .demo_dataset import DemoReID
from .dukemtmc import DukeMTMCReID
from .file_list_dataset import FileListReID
from .keypoint_cache import (KeypointCacheError, load_keypoint_cache,
                             save_keypoint_cache)
from .list_file_parser import parse_list_file
from .market1501 import Market1501
from .msmt17 import MSMT17
from .pair_dataset import PairDataset
from .pose_normalized_dataset import PoseNormalizedDataset
from .pose_transfer_dataset import PoseTransferPairDataset
from .samplers import *  # noqa: F401,F403
from .transforms import *  # noqa: F401,F403
from .samplers import PairSampler
from .two_camera import TwoCameraSplitDataset
from .validation_split import hold_out_identities
from .viper import VIPeR

__all__ = [
    'BaseReIDDataset', 'DatasetFormatError', 'KeypointCacheError',
    'load_keypoint_cache', 'save_keypoint_cache', 'Market1501',
    'DukeMTMCReID', 'MSMT17', 'CUHK03NP', 'FileListReID', 'parse_list_file',
    'DemoReID', 'CUHK01', 'CUHK03Classic', 'VIPeR', 'TwoCameraSplitDataset',
    'PairDataset', 'PairSampler', 'PoseTransferPairDataset',
    'hold_out_identities', 'PoseNormalizedDataset', 'load_canonical_poses',
    'render_canonical_poses', 'synth_image_path'
]
