# Copyright (c) mmreid contributors. All rights reserved.
import pytest
import torch

from mmreid.structures import FeatureSet


def test_save_load_round_trip(tmp_path):
    feats = torch.randn(4, 5)
    fs = FeatureSet(feats, ['a', 'b', None, 'd'],
                    dict(pid=torch.tensor([1, 1, 2, 3]),
                         split=['query', 'gallery', 'gallery', 'gallery']),
                    dict(checkpoint='x.pth', test_cfg=dict(flip=True)))
    path = str(tmp_path / 'sub' / 'f.pth')
    fs.save(path)
    back = FeatureSet.load(path)
    assert torch.equal(back.feats, feats)
    assert back.img_paths == ['a', 'b', None, 'd']
    assert back.annotations == dict(
        pid=[1, 1, 2, 3], split=['query', 'gallery', 'gallery', 'gallery'])
    assert back.metainfo == dict(checkpoint='x.pth', test_cfg=dict(flip=True))
    gallery = back.select('split', 'gallery')
    assert gallery.img_paths == ['b', None, 'd']
    assert torch.equal(gallery.feats, feats[1:])
    assert back[torch.tensor([True, False, False, True])].img_paths == [
        'a', 'd'
    ]
    assert back[1:3].annotations['pid'] == [1, 2]


def test_invalid_sets_and_files(tmp_path):
    with pytest.raises(ValueError, match='N x D'):
        FeatureSet(torch.zeros(3))
    with pytest.raises(ValueError, match='2 image paths for 3 features'):
        FeatureSet(torch.zeros(3, 2), ['a', 'b'])
    with pytest.raises(ValueError, match="annotation 'pid' has 1 values"):
        FeatureSet(torch.zeros(3, 2), annotations=dict(pid=[1]))
    with pytest.raises(KeyError, match='no annotation'):
        FeatureSet(torch.zeros(3, 2)).select('split', 'query')
    with pytest.raises(FileNotFoundError, match='features file not found'):
        FeatureSet.load(str(tmp_path / 'none.pth'))
    ckpt = str(tmp_path / 'epoch_1.pth')
    torch.save(dict(state_dict=dict(w=torch.zeros(1)), meta=dict()), ckpt)
    with pytest.raises(ValueError, match='not an mmreid features file'):
        FeatureSet.load(ckpt)
    text = tmp_path / 'text.pth'
    text.write_text('hello')
    with pytest.raises(ValueError, match='not an mmreid features file'):
        FeatureSet.load(str(text))
