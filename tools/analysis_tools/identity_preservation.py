# Copyright (c) mmreid contributors. All rights reserved.
"""Identity preservation of IP-GAN's open-set generations, judged by an
independent re-ID model.

    python tools/analysis_tools/identity_preservation.py IPGAN_CONFIG \\
        IPGAN_CHECKPOINT --judge-config JUDGE_CONFIG \\
        --judge-checkpoint JUDGE_CHECKPOINT [--attributes-per-subject 6] \\
        [--seed 0] [--out-dir DIR]

Trials: every identity of the IP-GAN config's ``ipgan_images`` (the test
split: identities unseen in training; distractor / junk pids <= 0 skipped)
is a subject once, with one seeded subject image, and is recombined with
``--attributes-per-subject`` seeded attribute images of other test
identities. A judge re-ID model that IP-GAN did not train on (e.g. the
baseline demo checkpoint) embeds every test image and every generated
image. For each trial the query is

- the generated image (``generated``),
- the attribute image itself (``attribute``, the baseline: what an image
  without the subject's identity scores),
- the subject image (``subject``, the upper reference),

and its rank is the position of the subject's identity among all test
identities, by cosine similarity to each identity's mean judge feature
(features L2-normalised, means re-normalised), the trial's subject and
attribute images left out of the means. Reported: rank-1 and top-5 rates
(%) and the mean rank, written to ``<out-dir>/identity_preservation.json``
and a markdown table (``identity_preservation.md``).
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

GEN_DIR = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))),
                   'generation')


def identity_ranks(queries: np.ndarray, true_ids: Sequence[int],
                   gallery: np.ndarray, gallery_ids: Sequence[int],
                   exclude: Optional[Sequence[Sequence[int]]] = None
                   ) -> np.ndarray:
    """Rank of each query's true identity among the gallery identities.

    Each identity is represented by the mean of its (L2-normalised)
    gallery features, re-normalised; a query's rank is 1 + the number of
    identities more similar (cosine) to it than its true one.

    Args:
        queries (np.ndarray): Q x D query features.
        true_ids (Sequence[int]): The Q true identities.
        gallery (np.ndarray): G x D gallery features.
        gallery_ids (Sequence[int]): The G gallery identities.
        exclude (Sequence[Sequence[int]], optional): Per query, gallery
            indices left out of the identity means.

    Returns:
        np.ndarray: Q int ranks (1 = the true identity is the nearest).

    Examples:
        >>> g = np.array([[1., 0.], [0., 1.]])
        >>> identity_ranks(np.array([[0.9, 0.1], [0.9, 0.1]]), [0, 1], g,
        ...                [0, 1]).tolist()
        [1, 2]
    """
    def unit(x):
        return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True),
                              1e-12)

    gallery = unit(np.asarray(gallery, np.float64))
    queries = unit(np.asarray(queries, np.float64))
    gallery_ids = np.asarray(gallery_ids)
    ids = np.unique(gallery_ids)
    col = np.searchsorted(ids, gallery_ids)
    sums = np.zeros((len(ids), gallery.shape[1]))
    np.add.at(sums, col, gallery)
    counts = np.bincount(col, minlength=len(ids)).astype(np.float64)
    ranks = np.empty(len(queries), np.int64)
    for q, (feat, true) in enumerate(zip(queries, true_ids)):
        s, c = sums.copy(), counts.copy()
        for g in (exclude[q] if exclude is not None else ()):
            s[col[g]] -= gallery[g]
            c[col[g]] -= 1
        keep = c > 0
        t = np.searchsorted(ids, true)
        if t >= len(ids) or ids[t] != true or not keep[t]:
            raise ValueError(f'query {q}: identity {true} has no gallery '
                             'image left')
        sim = unit(s[keep]) @ feat
        true_sim = sim[np.flatnonzero(np.flatnonzero(keep) == t)[0]]
        ranks[q] = 1 + int(np.sum(sim > true_sim))
    return ranks


def rank_summary(ranks: np.ndarray) -> Dict[str, float]:
    """rank-1 and top-5 rates (%) and the mean rank of ``ranks``."""
    ranks = np.asarray(ranks)
    return dict(rank1=float(np.mean(ranks == 1) * 100),
                top5=float(np.mean(ranks <= 5) * 100),
                mean_rank=float(np.mean(ranks)),
                num_trials=int(len(ranks)))


def draw_trials(pids: Sequence[int], per_subject: int,
                seed: int) -> List[Tuple[int, int]]:
    """(subject image, attribute image) trials: one seeded subject image
    per identity (pid > 0), ``per_subject`` attribute images of other
    identities (seeded, distinct identities)."""
    pids = np.asarray(pids)
    ids = np.unique(pids[pids > 0])
    if len(ids) <= per_subject:
        raise ValueError(f'{len(ids)} identities: too few for '
                         f'{per_subject} attribute identities per subject')
    rng = np.random.default_rng(seed)
    trials = []
    for pid in ids:
        subject = int(rng.choice(np.flatnonzero(pids == pid)))
        others = rng.choice(ids[ids != pid], per_subject, replace=False)
        for other in others:
            trials.append(
                (subject, int(rng.choice(np.flatnonzero(pids == other)))))
    return trials


def markdown_table(results: Dict[str, Dict[str, float]]) -> str:
    """The results as a markdown table."""
    lines = ['| query | rank-1 (%) | top-5 (%) | mean rank | trials |',
             '|---|---|---|---|---|']
    for name in ('generated', 'attribute', 'subject'):
        r = results[name]
        lines.append(f'| {name} | {r["rank1"]:.1f} | {r["top5"]:.1f} | '
                     f'{r["mean_rank"]:.2f} | {r["num_trials"]} |')
    return '\n'.join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Identity preservation of IP-GAN open-set generations '
        'under an independent re-ID judge.')
    parser.add_argument('config', help='IP-GAN config')
    parser.add_argument('checkpoint', help='IP-GAN checkpoint')
    parser.add_argument('--judge-config', required=True)
    parser.add_argument('--judge-checkpoint', required=True)
    parser.add_argument('--attributes-per-subject', type=int, default=6)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--dataset-key', default='ipgan_images')
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--out-dir', default=None)
    parser.add_argument('--device', default='cpu')
    return parser.parse_args(argv)


def judge_features(judge, images: Sequence, batch_size: int) -> np.ndarray:
    """The judge's test features of uint8 BGR C x H x W images."""
    import torch
    feats = []
    for start in range(0, len(images), batch_size):
        chunk = list(images[start:start + batch_size])
        with torch.no_grad():
            x = judge.data_preprocessor(dict(inputs=chunk), False)['inputs']
            feats.append(judge.predict_feat(x).cpu().numpy())
    return np.concatenate(feats)


def main(argv=None) -> dict:
    args = parse_args(argv)
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmengine.runner import load_checkpoint

    from mmreid.registry import DATASETS, MODELS
    from mmreid.utils import register_all_modules
    sys.path.insert(0, GEN_DIR)
    import generate as gen_tool  # tools/generation/generate.py
    init_default_scope('mmreid')
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(args.config)
    model = gen_tool.build_ipgan(cfg, args.checkpoint, args.device)
    dataset = DATASETS.build(cfg[args.dataset_key])
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    pids = np.asarray([int(d['pid']) for d in infos])
    trials = draw_trials(pids, args.attributes_per_subject, args.seed)
    out = gen_tool.generate_recombined(model, dataset,
                                       [s for s, _ in trials],
                                       [a for _, a in trials],
                                       args.batch_size)
    jcfg = Config.fromfile(args.judge_config)
    jcfg.model.get('backbone', {}).pop('init_cfg', None)
    jcfg.model.init_cfg = None
    if jcfg.model.get('head', {}).get('num_classes') is not None:
        # the classifier is not used; its size comes from the checkpoint
        state = torch.load(args.judge_checkpoint, map_location='cpu')
        state = state.get('state_dict', state)
        w = [
            v for k, v in state.items()
            if k.endswith('head.classifier.weight')
        ]
        jcfg.model.head.num_classes = int(w[0].shape[0]) if w else None
    judge = MODELS.build(jcfg.model)
    load_checkpoint(judge, args.judge_checkpoint, map_location='cpu',
                    strict=True)
    judge = judge.to(args.device).eval()
    valid = np.flatnonzero(pids > 0)
    gallery_imgs = [dataset[int(i)]['inputs'] for i in valid]
    gallery = judge_features(judge, gallery_imgs, args.batch_size)
    pos = {int(i): k for k, i in enumerate(valid)}

    def bgr_chw(rgb):
        return torch.from_numpy(np.ascontiguousarray(
            rgb[..., ::-1].transpose(2, 0, 1)))

    queries = dict(
        generated=judge_features(judge, [bgr_chw(x) for x in out['generated']],
                                 args.batch_size),
        attribute=np.stack([gallery[pos[a]] for _, a in trials]),
        subject=np.stack([gallery[pos[s]] for s, _ in trials]))
    true_ids = [int(pids[s]) for s, _ in trials]
    exclude = [(pos[s], pos[a]) for s, a in trials]
    results = {
        name: rank_summary(
            identity_ranks(q, true_ids, gallery, pids[valid], exclude))
        for name, q in queries.items()
    }
    summary = dict(config=args.config,
                   checkpoint=args.checkpoint,
                   judge_config=args.judge_config,
                   judge_checkpoint=args.judge_checkpoint,
                   num_identities=int(len(np.unique(pids[valid]))),
                   attributes_per_subject=args.attributes_per_subject,
                   seed=args.seed,
                   ranking='cosine to each test identity\'s mean judge '
                   'feature, the trial\'s subject and attribute images left '
                   'out',
                   results=results)
    out_dir = args.out_dir or gen_tool.default_out_dir(cfg, args.config)
    os.makedirs(out_dir, exist_ok=True)
    with open(osp.join(out_dir, 'identity_preservation.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    table = markdown_table(results)
    with open(osp.join(out_dir, 'identity_preservation.md'), 'w') as f:
        f.write(table + '\n')
    print(table)
    return summary


if __name__ == '__main__':
    main()
