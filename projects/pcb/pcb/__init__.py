# Copyright (c) mmreid contributors. All rights reserved.
"""PCB (Sun et al., ECCV 2018) as an mmreid plugin.

Importing the package registers :class:`PCBHead` into mmreid's ``MODELS``
registry; configs import it with
``custom_imports = dict(imports=['projects.pcb.pcb'])``.
"""
from .pcb_head import PCBHead

__all__ = ['PCBHead']
