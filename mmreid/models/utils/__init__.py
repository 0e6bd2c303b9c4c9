# Copyright (c) mmreid contributors. All rights reserved.
from .checkpoint import (REVISE_KEYS, CheckpointMismatchError,
                         compare_state_dicts, mismatch_report,
                         revised_state_dict)
from .dist import gather_across_ranks
from .labels import gt_labels
from .model_distance import model_distance_fn
from .params import set_requires_grad
from .train_set_marker import (TRAIN_SET_PREFIX, check_filled,
                               fill_train_set_markers, has_train_set_marker,
                               train_set_marker)
from .wrappers import unwrap_model

__all__ = [
    'REVISE_KEYS', 'CheckpointMismatchError', 'compare_state_dicts',
    'mismatch_report', 'revised_state_dict',
    'gather_across_ranks', 'gt_labels', 'model_distance_fn',
    'set_requires_grad', 'TRAIN_SET_PREFIX', 'train_set_marker',
    'has_train_set_marker', 'fill_train_set_markers', 'check_filled',
    'unwrap_model'
]
