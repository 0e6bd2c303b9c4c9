# Copyright (c) mmreid contributors. All rights reserved.
"""PN-GAN's test-time fusion of ResNet-50-A and ResNet-50-B features."""
import numpy as np
import pytest
import torch
from torch import nn

from mmreid.models import MultiViewDataPreprocessor, PoseNormalizedReID
from mmreid.utils import register_all_modules

register_all_modules()

NET = dict(type='Baseline',
           backbone=dict(type='mmpretrain.ResNet', depth=18,
                         out_indices=(3, )),
           neck=dict(type='mmpretrain.GlobalAveragePooling'),
           head=dict(type='BNNeckHead', in_channels=512, num_classes=4))


def model(**kwargs):
    torch.manual_seed(0)
    m = PoseNormalizedReID(NET, NET, **kwargs)
    m.init_weights()
    return m.eval()


def reference(feat_a, feats_b, fusion, normalize=True, original=True):
    """The fusion in numpy: L2 per vector, then max / mean / concat."""
    vecs = np.concatenate([feat_a[:, None], feats_b], 1) if original \
        else feats_b
    if normalize:
        vecs = vecs / np.linalg.norm(vecs, axis=-1, keepdims=True)
    if fusion == 'max':
        return vecs.max(1)
    if fusion == 'avg':
        return vecs.mean(1)
    return vecs.reshape(len(vecs), -1)


@pytest.mark.parametrize('fusion', ['max', 'avg', 'concat'])
@pytest.mark.parametrize('original', [True, False])
def test_fused_features_equal_the_formula(fusion, original):
    m = model(fusion=fusion, include_original=original)
    x = torch.randn(3, 9, 3, 64, 32)
    with torch.no_grad():
        got = m(x).numpy()
        fa = m.reid_a.extract_feat(x[:, 0]).numpy()
        fb = torch.stack([m.reid_b.extract_feat(x[:, k])
                          for k in range(1, 9)], 1).numpy()
    want = reference(fa, fb, fusion, original=original)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert got.shape[1] == (512 * (9 if original else 8)
                            if fusion == 'concat' else 512)


def test_a_and_b_are_different_networks():
    m = model()
    x = torch.randn(2, 9, 3, 64, 32)
    with torch.no_grad():
        fa = m.reid_a.extract_feat(x[:, 0])
        fb = m.reid_b.extract_feat(x[:, 0])
    assert not torch.allclose(fa, fb)
    # plain images: f_A, L2-normalised
    with torch.no_grad():
        torch.testing.assert_close(m(x[:, 0]),
                                   torch.nn.functional.normalize(fa))


def test_checkpoints_are_loaded_strictly(tmp_path):
    src = model()
    for name in ('reid_a', 'reid_b'):
        torch.save(dict(state_dict=getattr(src, name).state_dict()),
                   str(tmp_path / f'{name}.pth'))
    torch.manual_seed(1)
    m = PoseNormalizedReID(NET, NET,
                           checkpoint_a=str(tmp_path / 'reid_a.pth'),
                           checkpoint_b=str(tmp_path / 'reid_b.pth'))
    m.init_weights()  # tools/test.py without a checkpoint: reloads them
    for name in ('reid_a', 'reid_b'):
        for k, v in getattr(src, name).state_dict().items():
            torch.testing.assert_close(getattr(m, name).state_dict()[k], v)
    bad = dict(NET, head=dict(NET['head'], num_classes=5))
    ckpt = str(tmp_path / 'reid_a.pth')
    with pytest.raises(RuntimeError, match='size mismatch'):
        PoseNormalizedReID(bad, NET, checkpoint_a=ckpt)


def test_errors():
    with pytest.raises(ValueError, match='fusion'):
        PoseNormalizedReID(NET, NET, fusion='sum')
    m = model()
    with pytest.raises(ValueError, match='1 \\+ K'):
        m(torch.randn(2, 1, 3, 64, 32))
    with pytest.raises(ValueError, match='own configs'):
        m(torch.randn(2, 9, 3, 64, 32), mode='loss')


def test_multi_view_preprocessor_normalises_each_view_like_an_image():
    pre = MultiViewDataPreprocessor(mean=[10, 20, 30], std=[2, 4, 8])
    items = [torch.randint(0, 256, (9, 3, 8, 4), dtype=torch.uint8)
             for _ in range(2)]
    out = pre(dict(inputs=items))['inputs']
    assert out.shape == (2, 9, 3, 8, 4)
    for i in range(2):
        for k in range(9):
            single = pre(dict(inputs=[items[i][k]]))['inputs'][0]
            torch.testing.assert_close(out[i, k], single)
    # RGB order: the BGR input's channel 2 minus the first mean
    torch.testing.assert_close(out[0, 0, 0],
                               (items[0][0, 2].float() - 10) / 2)
    with pytest.raises(ValueError, match='one size'):
        pre(dict(inputs=[items[0], items[0][:5]]))
    assert isinstance(pre, nn.Module)
