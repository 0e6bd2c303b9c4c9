# Copyright (c) mmreid contributors. All rights reserved.
"""t-SNE of test-set features, coloured by identity (scikit-learn).

    python tools/analysis_tools/vis_tsne.py CONFIG CHECKPOINT --out tsne.png
    python tools/analysis_tools/vis_tsne.py results.pkl --out tsne.png
    python tools/analysis_tools/vis_tsne.py test.pth --out tsne.png

The query and gallery images of ``--num-ids`` identities (evenly spread
over the test identities; distractors and junk, pid <= 0, left out) are
embedded in 2-D with ``sklearn.manifold.TSNE``; each identity has its
colour, queries are drawn as crosses, gallery images as dots. Features of
a model with ``test_cfg.normalize`` are already on the unit sphere; the
t-SNE input is what the model ranks with.
"""
import argparse

import numpy as np

from mmreid.apis import load_feature_source


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        'source',
        help='a config (with CHECKPOINT), a results .pkl of tools/test.py '
        '--out, or a features file of tools/extract_features.py')
    parser.add_argument('checkpoint', nargs='?', help='with a config')
    parser.add_argument('--out', required=True, help='output picture')
    parser.add_argument(
        '--num-ids', type=int, default=20, help='identities to draw')
    parser.add_argument('--perplexity', type=float, default=30.0)
    parser.add_argument(
        '--metric',
        choices=['euclidean', 'cosine'],
        help='t-SNE input distance (default: the one the features record, '
        'else euclidean)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--device', default='cpu')
    return parser.parse_args(argv)


def pick_identities(pids, num_ids):
    """``num_ids`` identities evenly spread over the sorted real ones."""
    real = sorted({p for p in pids if p > 0})
    if not real:
        raise ValueError('no identity with pid > 0 in the features')
    num = min(num_ids, len(real))
    at = np.linspace(0, len(real) - 1, num).round().astype(int)
    return [real[i] for i in sorted(set(at.tolist()))]


def embed_2d(feats: np.ndarray, metric: str, perplexity: float, seed: int):
    """The t-SNE embedding (perplexity capped below the number of
    points, as scikit-learn requires)."""
    from sklearn.manifold import TSNE
    perplexity = min(perplexity, max(1.0, (len(feats) - 1) / 3))
    tsne = TSNE(
        n_components=2,
        perplexity=perplexity,
        metric=metric,
        init='pca',
        random_state=seed)
    return tsne.fit_transform(feats), perplexity


def main(argv=None):
    args = parse_args(argv)
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    feats = load_feature_source(args.source, args.checkpoint, args.device)
    if 'pid' not in feats.annotations:
        raise ValueError('the features have no pid annotation; use a '
                         'test-set source')
    pids = feats.annotations['pid']
    chosen = pick_identities(pids, args.num_ids)
    rows = [i for i, p in enumerate(pids) if p in set(chosen)]
    if len(rows) < 3:
        raise ValueError(f'only {len(rows)} images of the chosen identities')
    metric = args.metric or feats.metainfo.get('metric') or 'euclidean'
    if metric not in ('euclidean', 'cosine'):
        metric = 'euclidean'
    xy, perplexity = embed_2d(feats.feats[rows].numpy().astype(np.float64),
                              metric, args.perplexity, args.seed)
    splits = feats.annotations.get('split', ['gallery'] * len(pids))
    colours = plt.get_cmap('tab20' if len(chosen) <= 20 else 'gist_ncar')
    fig, ax = plt.subplots(figsize=(8, 8), dpi=100)
    for c, pid in enumerate(chosen):
        for split, marker, size in (('gallery', 'o', 18), ('query', 'x', 50)):
            at = [k for k, i in enumerate(rows)
                  if pids[i] == pid and splits[i] == split]
            if at:
                ax.scatter(xy[at, 0], xy[at, 1], s=size, marker=marker,
                           color=colours(c / max(1, len(chosen) - 1)
                                         if len(chosen) > 20 else c),
                           label=f'pid {pid}' if split == 'gallery' else None)
    ax.set_title(f't-SNE of {len(rows)} test features, {len(chosen)} '
                 f'identities ({metric}, perplexity {perplexity:g}); '
                 'x = query, o = gallery', fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    if len(chosen) <= 20:
        ax.legend(fontsize=7, loc='best', ncol=2, markerscale=0.8)
    fig.tight_layout()
    fig.savefig(args.out)
    print(f't-SNE of {len(rows)} features of {len(chosen)} identities '
          f'written to {args.out}')


if __name__ == '__main__':
    main()
