# Copyright (c) mmreid contributors. All rights reserved.
"""Draw the ranked gallery of a few queries from dumped test predictions.

    python tools/test.py CONFIG CKPT --out results.pkl
    python tools/analysis_tools/vis_ranked_list.py results.pkl \
        --out ranked_list.png --num-queries 6 --topk 10

Rows are queries (evenly spread over the query set, or ``--queries``); each
ranked gallery image is framed green (same identity) or red. The gallery is
filtered by the evaluation protocol (same-pid-same-camera and junk images
removed), as the metric sees it.
"""
import argparse

import numpy as np
import torch
from mmengine.fileio import load

from mmreid.evaluation.functional import compute_distance
from mmreid.evaluation.functional.ranking import protocol_masks
from mmreid.visualization import draw_ranked_list


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('results', help='pickle written by test.py --out')
    parser.add_argument('--out', required=True, help='output picture')
    parser.add_argument('--num-queries', type=int, default=6)
    parser.add_argument(
        '--queries', type=int, nargs='*', help='query indices to draw')
    parser.add_argument('--topk', type=int, default=10)
    parser.add_argument(
        '--metric', default='euclidean', choices=['euclidean', 'cosine'])
    parser.add_argument(
        '--protocol', default='market', choices=['market', 'no_camera'])
    return parser.parse_args()


def split_results(results):
    """Query and gallery records (dicts with feature, pid, camid, path)."""
    query = [r for r in results if r.get('split') == 'query']
    gallery = [r for r in results if r.get('split') == 'gallery']
    if not query or not gallery:
        raise ValueError(
            f'the results have {len(query)} query and {len(gallery)} gallery '
            'entries; dump them with tools/test.py --out on a test set')
    return query, gallery


def main():
    args = parse_args()
    query, gallery = split_results(load(args.results))
    if args.queries:
        picks = args.queries
    else:
        picks = np.linspace(0, len(query) - 1, args.num_queries).astype(int)
    q = [query[i] for i in picks]
    qf = torch.stack([torch.as_tensor(r['pred_feature']) for r in q]).float()
    gf = torch.stack([torch.as_tensor(r['pred_feature'])
                      for r in gallery]).float()
    dist = compute_distance(qf, gf, args.metric)
    q_pids = torch.tensor([r['pid'] for r in q])
    g_pids = torch.tensor([r['pid'] for r in gallery])
    q_cams = torch.tensor([r['camid'] for r in q])
    g_cams = torch.tensor([r['camid'] for r in gallery])
    valid, pos = protocol_masks(q_pids, q_cams, g_pids, g_cams, args.protocol)
    dist[~valid] = float('inf')
    order = torch.sort(dist, dim=1, stable=True).indices[:, :args.topk]
    gallery_paths = [[gallery[j]['img_path'] for j in row.tolist()]
                     for row in order]
    matches = [[bool(pos[i, j]) for j in row.tolist()]
               for i, row in enumerate(order)]
    titles = [f'query {i} (pid {r["pid"]}, cam {r["camid"]})'
              for i, r in zip(picks, q)]
    draw_ranked_list([r['img_path'] for r in q],
                     gallery_paths,
                     matches,
                     out_file=args.out,
                     titles=titles)
    print(f'ranked list of {len(q)} queries written to {args.out}')


if __name__ == '__main__':
    main()
