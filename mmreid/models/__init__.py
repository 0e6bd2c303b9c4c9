# Copyright (c) mmreid contributors. All rights reserved.
# first: mmpretrain.models without mmdet (launch time)
from . import _preload  # noqa: F401
from .backbones import *  # noqa: F401,F403
from .data_preprocessors import *  # noqa: F401,F403
from .gan_modules import *  # noqa: F401,F403
from .gans import *  # noqa: F401,F403
from .heads import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .necks import *  # noqa: F401,F403
from .pose import *  # noqa: F401,F403
from .reid import *  # noqa: F401,F403
from .utils import *  # noqa: F401,F403
