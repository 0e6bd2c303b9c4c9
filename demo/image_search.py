# Copyright (c) mmreid contributors. All rights reserved.
"""Find a person in a folder of images: query image(s) + gallery folder ->
a ranked-list picture.

    python demo/image_search.py QUERY.jpg GALLERY_FOLDER CONFIG CHECKPOINT \
        --out search.png --topk 10 [--gallery-features gallery.pth]

The gallery is embedded once: with ``--gallery-features FILE`` the features
are read from FILE when it exists (made by a previous run or by
tools/extract_features.py), else computed and written there. Each row is a
query with its ``--topk`` closest gallery images and their distances
(frames are grey: the identities are unknown).
"""
import argparse
import os.path as osp

from mmreid.apis import extract_features, init_model, search
from mmreid.structures import FeatureSet
from mmreid.visualization import draw_ranked_list


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('query', nargs='+', help='query image(s)')
    parser.add_argument('gallery', help='gallery folder')
    parser.add_argument('config', help='config file or mmreid::name')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', default='search.png', help='picture')
    parser.add_argument('--topk', type=int, default=10)
    parser.add_argument(
        '--metric',
        choices=['euclidean', 'sqeuclidean', 'cosine'],
        help="default: the config's test metric")
    parser.add_argument('--backend', default='torch',
                        choices=['torch', 'faiss'])
    parser.add_argument(
        '--gallery-features', help='features file of the gallery (cache)')
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--device', default='cpu')
    return parser.parse_args(argv)


def gallery_features(model, args) -> FeatureSet:
    """The gallery's features: from the cache file, else computed."""
    cache = args.gallery_features
    if cache and osp.isfile(cache):
        feats = FeatureSet.load(cache)
        print(f'gallery: {len(feats)} features read from {cache}')
        return feats
    feats = extract_features(model, args.gallery, args.batch_size)
    print(f'gallery: {len(feats)} images of {args.gallery} embedded')
    if cache:
        feats.save(cache)
        print(f'gallery features written to {cache}')
    return feats


def main(argv=None):
    args = parse_args(argv)
    model = init_model(args.config, args.checkpoint, args.device)
    gallery = gallery_features(model, args)
    query = extract_features(model, args.query, args.batch_size)
    result = search(query, gallery, args.topk, args.metric, args.backend)
    labels = [[f'{d:.3f}' for d in row] for row in result.distances.tolist()]
    titles = [f'{osp.basename(p)}: top {len(row)} of {len(gallery)} '
              f'({result.metric})'
              for p, row in zip(query.img_paths, result.indices)]
    draw_ranked_list(query.img_paths, result.img_paths, None,
                     out_file=args.out, titles=titles, item_labels=labels)
    for p, paths, dists in zip(query.img_paths, result.img_paths,
                               result.distances.tolist()):
        print(f'{p}:')
        for rank, (g, d) in enumerate(zip(paths, dists), 1):
            print(f'  {rank:>3}  {d:.4f}  {g}')
    print(f'ranked list written to {args.out}')


if __name__ == '__main__':
    main()
