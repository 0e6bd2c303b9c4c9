# Copyright (c) mmreid contributors. All rights reserved.
from .cascade import cascade_rescore
from .distance import (DISTANCE_METRICS, compute_distance,
                       iter_distance_chunks, pairwise_distance)
from .evaluate import AQE_DEFAULTS, RERANK_DEFAULTS, evaluate_features
from .fid import (INCEPTION_V3_URL, InceptionFeatureExtractor,
                  feature_statistics, fid_from_features, frechet_distance)
from .identity_preservation import IDENTITY_METRICS, identity_preservation
from .query_expansion import average_query_expansion
from .rank_gallery import rank_gallery
from .ranking import (AP_MODES, JUNK_PID, PROTOCOLS, evaluate_distance_chunks,
                      evaluate_distmat)
from .rerank import iter_k_reciprocal_rerank, k_reciprocal_rerank
from .ssim import SSIM_REDUCTIONS, gaussian_window, ssim
from .topk import smallest_k

__all__ = [
    'DISTANCE_METRICS', 'pairwise_distance', 'iter_distance_chunks',
    'compute_distance', 'PROTOCOLS', 'AP_MODES', 'JUNK_PID',
    'evaluate_distance_chunks', 'evaluate_distmat', 'evaluate_features',
    'RERANK_DEFAULTS', 'AQE_DEFAULTS', 'average_query_expansion',
    'iter_k_reciprocal_rerank', 'k_reciprocal_rerank', 'smallest_k',
    'SSIM_REDUCTIONS', 'gaussian_window', 'ssim', 'INCEPTION_V3_URL',
    'InceptionFeatureExtractor', 'feature_statistics', 'frechet_distance',
    'fid_from_features', 'IDENTITY_METRICS', 'identity_preservation',
    'cascade_rescore', 'rank_gallery'
]
