# Copyright (c) mmreid contributors. All rights reserved.
from .runners import *  # noqa: F401,F403
