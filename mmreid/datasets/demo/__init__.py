# Copyright (c) mmreid contributors. All rights reserved.
"""The procedurally generated demo dataset
(``docs/en/dataset_preparation.md``)."""
from .camera import Camera, make_camera
from .contact_sheet import draw_contact_sheet
from .generate import (KEYPOINT_FILE, META_FILE, VERSION,
                       DemoDatasetExistsError, generate_demo_dataset,
                       read_demo_meta, render_demo_image)
from .identity import Identity, identity_rng, sample_identity
from .render import PART_IDS, render_person
from .skeleton import Pose, sample_pose

__all__ = [
    'Camera', 'make_camera', 'draw_contact_sheet', 'KEYPOINT_FILE',
    'META_FILE', 'VERSION', 'DemoDatasetExistsError', 'generate_demo_dataset',
    'read_demo_meta', 'render_demo_image', 'Identity', 'identity_rng',
    'sample_identity', 'PART_IDS', 'render_person', 'Pose', 'sample_pose'
]
