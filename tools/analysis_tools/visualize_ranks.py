# Copyright (c) mmreid contributors. All rights reserved.
"""Draw the top-k gallery of some queries, true and false matches marked.

    # a config's test set, embedded with a checkpoint
    python tools/analysis_tools/visualize_ranks.py CONFIG CHECKPOINT \
        --out ranks.png --num-queries 6 --topk 10 --order worst
    # or features already computed: tools/test.py --out results.pkl,
    # or tools/extract_features.py CONFIG CHECKPOINT --out test.pth
    python tools/analysis_tools/visualize_ranks.py results.pkl --out ranks.png

Rows are queries: evenly spread over the query set (``--order spread``),
the lowest average precision first (``--order worst``), the highest first
(``best``), or the indices of ``--queries``. Each ranked gallery image is
framed green (same identity) or red, with its distance under it; the row
title gives the query's AP and the rank of its first true match. The
gallery is filtered by the evaluation protocol (same-pid-same-camera and
junk images removed), as the metric sees it.
"""
import argparse
import math

import torch

from mmreid.apis import load_feature_source
from mmreid.evaluation.functional import (compute_distance, evaluate_features,
                                          rank_gallery)
from mmreid.visualization import draw_ranked_list


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        'source',
        help='a config (with CHECKPOINT), a results .pkl of tools/test.py '
        '--out, or a features file of tools/extract_features.py')
    parser.add_argument('checkpoint', nargs='?', help='with a config')
    parser.add_argument('--out', required=True, help='output picture')
    parser.add_argument('--num-queries', type=int, default=6)
    parser.add_argument(
        '--queries', type=int, nargs='*', help='query indices to draw')
    parser.add_argument(
        '--order', default='spread', choices=['spread', 'worst', 'best'],
        help='which queries: evenly spread, lowest AP first, highest first')
    parser.add_argument('--topk', type=int, default=10)
    parser.add_argument(
        '--metric',
        choices=['euclidean', 'sqeuclidean', 'cosine'],
        help='default: the one the features record, else euclidean')
    parser.add_argument(
        '--protocol',
        choices=['market', 'no_camera'],
        help='default: market, no_camera for features without cameras')
    parser.add_argument('--device', default='cpu')
    return parser.parse_args(argv)


def split_query_gallery(feats):
    """The query and gallery parts of test-set features."""
    if 'split' not in feats.annotations or 'pid' not in feats.annotations:
        raise ValueError(
            'the features have no split / pid annotations (they have '
            f'{sorted(feats.annotations)}); use a test-set source')
    query = feats.select('split', 'query')
    gallery = feats.select('split', 'gallery')
    if not len(query) or not len(gallery):
        raise ValueError(
            f'the features have {len(query)} query and {len(gallery)} '
            'gallery entries; use the features of a test set')
    return query, gallery


def pick_queries(args, per_query_ap: torch.Tensor):
    """Query indices in drawing order."""
    num = per_query_ap.numel()
    if args.queries:
        bad = [i for i in args.queries if not 0 <= i < num]
        if bad:
            raise ValueError(f'query indices {bad} outside [0, {num})')
        return list(args.queries)
    n = min(args.num_queries, num)
    if args.order == 'spread':
        return torch.linspace(0, num - 1, n).round().long().tolist()
    valid = (~torch.isnan(per_query_ap)).nonzero().flatten()
    ap = per_query_ap[valid]
    # stable: ties keep the query order
    order = torch.sort(ap, stable=True, descending=args.order == 'best')
    return valid[order.indices][:n].tolist()


def main(argv=None):
    args = parse_args(argv)
    feats = load_feature_source(args.source, args.checkpoint, args.device)
    query, gallery = split_query_gallery(feats)
    metric = args.metric or feats.metainfo.get('metric') or 'euclidean'
    has_cams = 'camid' in query.annotations
    protocol = args.protocol or ('market' if has_cams else 'no_camera')
    q_pids = torch.tensor(query.annotations['pid'])
    g_pids = torch.tensor(gallery.annotations['pid'])
    q_cams = torch.tensor(query.annotations['camid']) if has_cams else None
    g_cams = torch.tensor(gallery.annotations['camid']) if has_cams else None
    res = evaluate_features(
        query.feats, gallery.feats, q_pids, g_pids, q_cams, g_cams,
        metric=metric, protocol=protocol, return_per_query=True)
    per_query = res['per_query']
    picks = pick_queries(args, per_query['ap'])
    if not picks:
        raise ValueError('no query to draw (no query has a valid match)')
    sel = torch.tensor(picks)
    dist = compute_distance(query.feats[sel], gallery.feats, metric)
    out = rank_gallery(dist, q_pids[sel], g_pids,
                       None if q_cams is None else q_cams[sel], g_cams,
                       protocol=protocol, topk=args.topk)
    gallery_paths = [[gallery.img_paths[j] for j in row]
                     for row in out['ranked']]
    matches = out['matches']
    labels = [[f'{v:.3f}' for v in row] for row in out['dists']]
    titles = []
    for i in picks:
        ap = float(per_query['ap'][i])
        first = int(per_query['first_rank'][i])
        cam = f', cam {query.annotations["camid"][i]}' if has_cams else ''
        titles.append(
            f'query {i} (pid {query.annotations["pid"][i]}{cam}) '
            + (f'AP {100 * ap:.1f}, first match at rank {first + 1}'
               if not math.isnan(ap) else 'no valid match'))
    draw_ranked_list([query.img_paths[i] for i in picks],
                     gallery_paths,
                     matches,
                     out_file=args.out,
                     titles=titles,
                     item_labels=labels)
    print(f'ranked lists of {len(picks)} queries ({metric}, {protocol}, '
          f'mAP {100 * res["mAP"]:.2f} over {res["num_valid_queries"]} '
          f'queries) written to {args.out}')


if __name__ == '__main__':
    main()
