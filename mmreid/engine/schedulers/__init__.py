# Copyright (c) mmreid contributors. All rights reserved.
from .inv_lr import InvLR, InvParamScheduler

__all__ = ['InvLR', 'InvParamScheduler']
