# Copyright (c) mmreid contributors. All rights reserved.
"""Inference: build a model, embed images, search a gallery."""
from mmreid.structures import FeatureSet
from .feature_extraction import (ImageListDataset, extract_dataset_features,
                                 extract_features)
from .feature_sources import feature_set_from_results, load_feature_source
from .images import IMG_EXTENSIONS, collect_images, list_images
from .model import (CheckpointMismatchError, compare_state_dicts, init_model,
                    load_config)
from .search import SEARCH_BACKENDS, SearchResult, build_faiss_index, search

__all__ = [
    'init_model', 'load_config', 'CheckpointMismatchError',
    'compare_state_dicts', 'extract_features', 'extract_dataset_features',
    'ImageListDataset', 'collect_images', 'list_images', 'IMG_EXTENSIONS',
    'search', 'SearchResult', 'build_faiss_index', 'SEARCH_BACKENDS',
    'FeatureSet', 'feature_set_from_results', 'load_feature_source'
]
