# Copyright (c) mmreid contributors. All rights reserved.
"""Embed a folder of images, or a config's test set, into a features file.

    # a gallery folder (its images, sorted, sub-folders included)
    python tools/extract_features.py CONFIG CHECKPOINT \
        --images path/to/gallery --out gallery.pth
    # the config's test set: query + gallery with pid, camid and split
    python tools/extract_features.py CONFIG CHECKPOINT --out test.pth

The file (``mmreid.structures.FeatureSet``: features, image paths,
per-image annotations, the config / checkpoint / test_cfg / metric) is read
back by ``FeatureSet.load``, ``demo/image_search.py --gallery-features``
and ``tools/analysis_tools/visualize_ranks.py``.
"""
import argparse
import time

from mmengine.config import DictAction

from mmreid.apis import extract_dataset_features, extract_features, init_model


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config file or mmreid::name')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', required=True, help='features file')
    parser.add_argument(
        '--images',
        nargs='+',
        help="images or folders (default: the config's test set)")
    parser.add_argument(
        '--split',
        choices=['query', 'gallery'],
        help='keep one split of the test set (default: both)')
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--num-workers', type=int, default=2)
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='key=value overrides of the config (as tools/test.py)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    model = init_model(args.config, args.checkpoint, args.device,
                       args.cfg_options)
    t0 = time.time()
    if args.images:
        if args.split:
            raise SystemExit('--split selects from the test set; it does '
                             'not apply to --images')
        feats = extract_features(model, args.images, args.batch_size,
                                 args.num_workers, progress=True)
    else:
        def keep(info):
            return info.get('split') == args.split

        feats = extract_dataset_features(
            model,
            batch_size=args.batch_size,
            num_workers=args.num_workers,
            progress=True,
            dataset_filter=keep if args.split else None)
    feats.save(args.out)
    print(f'{len(feats)} features ({feats.feats.shape[1]}-d) in '
          f'{time.time() - t0:.1f} s written to {args.out}')


if __name__ == '__main__':
    main()
