# Copyright (c) mmreid contributors. All rights reserved.
"""Imported first by :mod:`mmreid.models`: ``mmpretrain.models`` (the
backbones' library) without mmdet (:func:`~mmreid.utils.lazy_imports.
import_mmpretrain_models`)."""
from mmreid.utils.lazy_imports import import_mmpretrain_models

import_mmpretrain_models()
