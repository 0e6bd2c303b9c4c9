# Copyright (c) mmreid contributors. All rights reserved.
"""Generate the procedural demo dataset (Market-1501 layout + keypoints).

Examples::

    python tools/misc/make_demo_dataset.py data/demo
    python tools/misc/make_demo_dataset.py data/demo_small \\
        --num-train-ids 20 --num-test-ids 20 --images-per-id 8 \\
        --contact-sheet work_dirs/demo_contact.png
"""
import argparse
import json
import os.path as osp
import sys

sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

from mmreid.datasets.demo.contact_sheet import \
    draw_contact_sheet  # noqa: E402
from mmreid.datasets.demo.generate import generate_demo_dataset  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Generate the mmreid demo dataset: procedurally drawn '
        'persons in Market-1501 layout with exact COCO-17 keypoints.')
    parser.add_argument(
        'root', nargs='?', default='data/demo', help='output folder')
    parser.add_argument('--num-train-ids', type=int, default=100)
    parser.add_argument('--num-test-ids', type=int, default=100)
    parser.add_argument('--num-cameras', type=int, default=6)
    parser.add_argument(
        '--images-per-id',
        type=int,
        nargs='+',
        default=[12, 16],
        metavar='N',
        help='images per identity: one number, or MIN MAX (inclusive)')
    parser.add_argument(
        '--img-size',
        type=int,
        nargs=2,
        default=[128, 64],
        metavar=('H', 'W'),
        help='image height and width')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--num-distractors', type=int, default=20)
    parser.add_argument('--num-junk', type=int, default=10)
    parser.add_argument(
        '--overwrite',
        action='store_true',
        help='replace a demo dataset made with other parameters')
    parser.add_argument(
        '--contact-sheet',
        metavar='PATH',
        help='also write a PNG of some identities with their keypoints')
    args = parser.parse_args(argv)
    if len(args.images_per_id) not in (1, 2):
        parser.error('--images-per-id takes one number or MIN MAX')
    return args


def main(argv=None) -> dict:
    """Generate the dataset and print its summary.

    Args:
        argv (list[str], optional): Arguments (default: ``sys.argv``).

    Returns:
        dict: The generator's summary.
    """
    args = parse_args(argv)
    ipi = args.images_per_id
    summary = generate_demo_dataset(
        args.root,
        num_train_ids=args.num_train_ids,
        num_test_ids=args.num_test_ids,
        num_cameras=args.num_cameras,
        images_per_id=ipi[0] if len(ipi) == 1 else tuple(ipi),
        img_size=tuple(args.img_size),
        seed=args.seed,
        num_distractors=args.num_distractors,
        num_junk=args.num_junk,
        overwrite=args.overwrite)
    state = ('generated in {:.2f} s'.format(summary['seconds'])
             if summary['generated'] else 'already there (same parameters)')
    print(f'demo dataset at {summary["root"]}: {state}')
    for key in sorted(summary):
        print(f'  {key}: {json.dumps(summary[key])}')
    if args.contact_sheet:
        draw_contact_sheet(summary['root'], args.contact_sheet)
        print(f'contact sheet written to {args.contact_sheet}')
    return summary


if __name__ == '__main__':
    main()
