# Copyright (c) mmreid contributors. All rights reserved.
from .reid_runner import ReIDRunner
from .resumable_loops import (ResumableEpochBasedTrainLoop,
                              ResumableIterBasedTrainLoop, reseed_step,
                              skip_trained, step_seed)

__all__ = [
    'ReIDRunner', 'ResumableEpochBasedTrainLoop',
    'ResumableIterBasedTrainLoop', 'reseed_step', 'skip_trained', 'step_seed'
]
