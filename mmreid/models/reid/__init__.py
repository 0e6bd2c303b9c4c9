# Copyright (c) mmreid contributors. All rights reserved.
from .aacn import AACN
from .base import BaseReID
from .baseline import Baseline
from .dpl import DPL
from .idla import IDLA
from .pabr import PABR
from .pose_normalized_reid import PoseNormalizedReID
from .verification_reid import VerificationReID

__all__ = [
    'BaseReID', 'Baseline', 'IDLA', 'DPL', 'PABR', 'VerificationReID',
    'PoseNormalizedReID', 'AACN'
]
