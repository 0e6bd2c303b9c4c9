# Copyright (c) mmreid contributors. All rights reserved.
"""Shared pytest set-up."""
from mmengine.logging import MMLogger

# Create MMEngine's logger (and its stdout handler) before any doctest runs,
# so that log lines of the code under test do not land in a doctest's
# captured output.
MMLogger.get_instance('mmengine', log_level='WARNING')
