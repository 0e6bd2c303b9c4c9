# Copyright (c) mmreid contributors. All rights reserved.
"""Export a re-ID embedding model to ONNX and verify it with onnxruntime.

    python tools/deployment/pytorch2onnx.py CONFIG CHECKPOINT \
        --out model.onnx [--images FOLDER] [--mode predict|tensor]

The graph takes ``img``: N x 3 x H x W float32, the test pipeline's output
(resized, BGR, 0-255, as ``PackReIDInputs`` packs it), and returns
``feat``: N x D, with a dynamic batch axis N. It contains the data
preprocessor (channel order, mean / std) and the model's features:
``--mode predict`` (default) the ranking features of the ``'predict'``
mode (``test_cfg``: flip averaging, L2 normalisation), ``--mode tensor``
the raw ``'tensor'``-mode features. The graph is traced at batch 2 and
simplified with onnxsim when it is installed.

Verification: the same images (``--images``, or the first images of the
config's test set) go through PyTorch (data preprocessor + model, the
path of ``mmreid.apis.extract_features``) and onnxruntime at batch 1 and
at batch 16; the largest absolute feature difference of each is printed,
and the tool exits non-zero if one exceeds ``--atol``.
"""
import argparse
import os
import os.path as osp
import sys

import numpy as np
import torch
from mmengine.config import DictAction
from torch import nn

from mmreid.apis import ImageListDataset, init_model

VERIFY_BATCHES = (1, 16)
TRACE_BATCH = 2


class EmbeddingGraph(nn.Module):
    """Data preprocessor + features of a re-ID model, for export.

    Args:
        model (nn.Module): A re-ID model (``BaseReID``).
        mode (str): ``'predict'`` (the ranking features, ``test_cfg``
            applied) or ``'tensor'`` (raw features).
    """

    def __init__(self, model: nn.Module, mode: str = 'predict') -> None:
        super().__init__()
        if mode not in ('predict', 'tensor'):
            raise ValueError(f"mode must be 'predict' or 'tensor', got "
                             f'{mode!r}')
        self.model = model
        self.mode = mode

    def forward(self, img: torch.Tensor) -> torch.Tensor:
        x = self.model.data_preprocessor(dict(inputs=img), False)['inputs']
        if self.mode == 'predict':
            return self.model.predict_feat(x)
        return self.model(x, mode='tensor')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config file or mmreid::name')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', required=True, help='output .onnx file')
    parser.add_argument(
        '--images',
        nargs='+',
        help='images or folders to verify on (default: the first images '
        "of the config's test set)")
    parser.add_argument(
        '--mode', default='predict', choices=['predict', 'tensor'])
    parser.add_argument('--opset', type=int, default=17)
    parser.add_argument(
        '--atol',
        type=float,
        default=1e-4,
        help='largest absolute feature difference accepted')
    parser.add_argument(
        '--no-simplify', action='store_true', help='skip onnxsim')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='key=value overrides of the config (as tools/test.py)')
    return parser.parse_args(argv)


def verification_inputs(model: nn.Module, images, num: int) -> torch.Tensor:
    """``num`` pipeline outputs (uint8, N x 3 x H x W), cycling through the
    images if there are fewer."""
    if images:
        dataset = ImageListDataset(images, model.cfg)
    else:
        from mmengine.registry import DefaultScope

        from mmreid.registry import DATASETS
        with DefaultScope.overwrite_default_scope('mmreid'):
            dataset = DATASETS.build(model.cfg.test_dataloader.dataset)
    if len(dataset) == 0:
        raise ValueError('no images to verify on')
    items = [dataset[i % len(dataset)]['inputs']
             for i in range(min(num, len(dataset)))]
    while len(items) < num:
        items.append(items[len(items) % len(dataset)])
    return torch.stack(items)


def pytorch_features(model: nn.Module, batch: torch.Tensor,
                     mode: str) -> np.ndarray:
    """Features of a batch the way the model is evaluated: the data
    preprocessor on the packed images, then the model's mode."""
    with torch.no_grad():
        data = model.data_preprocessor(dict(inputs=list(batch)), False)
        if mode == 'predict':
            samples = model(data['inputs'], mode='predict')
            feats = torch.stack([s.pred_feature for s in samples])
        else:
            feats = model(data['inputs'], mode='tensor')
    if feats.ndim != 2:
        raise ValueError(f'{type(model).__name__} gives features of shape '
                         f'{tuple(feats.shape)}, not N x D: only embedding '
                         'models can be exported')
    return feats.float().numpy()


def export(model: nn.Module, out: str, mode: str, opset: int,
           input_shape, simplify: bool) -> str:
    """Trace and write the graph; return what was done about onnxsim."""
    import onnx
    graph = EmbeddingGraph(model, mode).eval()
    dummy = torch.zeros((TRACE_BATCH, ) + tuple(input_shape))
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            graph,
            dummy,
            out,
            input_names=['img'],
            output_names=['feat'],
            dynamic_axes={'img': {0: 'batch'}, 'feat': {0: 'batch'}},
            opset_version=opset,
            do_constant_folding=True)
    onnx_model = onnx.load(out)
    onnx.checker.check_model(onnx_model)
    if not simplify:
        return 'not simplified (--no-simplify)'
    try:
        import onnxsim
    except ImportError:
        return 'not simplified (onnxsim is not installed)'
    simplified, ok = onnxsim.simplify(onnx_model)
    if not ok:
        return 'onnxsim could not validate the simplified graph: kept the ' \
            'original'
    onnx.save(simplified, out)
    return (f'simplified with onnxsim {onnxsim.__version__}: '
            f'{len(onnx_model.graph.node)} -> {len(simplified.graph.node)} '
            'nodes')


def max_abs_diff(ref: np.ndarray, got: np.ndarray) -> float:
    """The largest absolute difference of two feature arrays."""
    if ref.shape != got.shape:
        raise AssertionError(f'onnxruntime gives shape {got.shape}, PyTorch '
                             f'{ref.shape}')
    return float(np.abs(ref - got).max())


def main(argv=None) -> int:
    args = parse_args(argv)
    import onnxruntime as ort
    model = init_model(
        args.config, args.checkpoint, cfg_options=args.cfg_options)
    inputs = verification_inputs(model, args.images, max(VERIFY_BATCHES))
    # fail early for a model that does not give embeddings
    pytorch_features(model, inputs[:1], args.mode)
    note = export(model, args.out, args.mode, args.opset, inputs.shape[1:],
                  not args.no_simplify)
    print(f'exported {args.out} (opset {args.opset}, mode {args.mode}, '
          f'input N x {" x ".join(map(str, inputs.shape[1:]))}); {note}')
    session = ort.InferenceSession(
        args.out, providers=['CPUExecutionProvider'])
    failed = False
    outputs = {}
    for batch in VERIFY_BATCHES:
        x = inputs[:batch]
        ref = pytorch_features(model, x, args.mode)
        got = session.run(['feat'], {'img': x.float().numpy()})[0]
        outputs[batch] = got
        diff = max_abs_diff(ref, got)
        verdict = 'ok' if diff <= args.atol else 'FAILED'
        failed |= verdict != 'ok'
        print(f'batch {batch:>2}: {got.shape[0]} x {got.shape[1]} features, '
              f'max |pytorch - onnxruntime| = {diff:.3e} '
              f'(atol {args.atol:.1e}) {verdict}')
    small, large = min(VERIFY_BATCHES), max(VERIFY_BATCHES)
    across = float(np.abs(outputs[small] - outputs[large][:small]).max())
    print(f'onnxruntime, same images at batch {small} and batch {large}: '
          f'max abs difference {across:.3e}')
    if not across <= args.atol:
        print(f'FAILED: the features depend on the batch size (> atol '
              f'{args.atol:.1e})')
        failed = True
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
