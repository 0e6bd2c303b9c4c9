# Copyright (c) mmreid contributors. All rights reserved.
import pytest
import torch

from mmreid.apis import CheckpointMismatchError, init_model, load_config
from mmreid.testing import tiny_baseline_config
from .conftest import save_checkpoint


def assert_same_state(a, b):
    sa, sb = a.state_dict(), b.state_dict()
    assert list(sa) == list(sb)
    for k in sa:
        assert torch.equal(sa[k], sb[k]), k


def test_loads_checkpoint_in_eval_mode(tiny_model, tiny_ckpt):
    model = init_model(tiny_baseline_config(), tiny_ckpt)
    assert not model.training
    assert model.checkpoint_path == tiny_ckpt
    assert model.dataset_meta == dict(num_classes=4)
    assert_same_state(model, tiny_model)
    x = torch.rand(2, 3, 64, 32)
    with torch.no_grad():
        assert torch.equal(model(x), tiny_model(x))


def test_config_file_and_cfg_options(tiny_ckpt, tmp_path):
    path = str(tmp_path / 'tiny.py')
    tiny_baseline_config().dump(path)
    model = init_model(path, tiny_ckpt,
                       cfg_options={'model.test_cfg.flip': True})
    assert model.test_cfg == dict(normalize=True, flip=True)
    assert model.cfg.filename == path


def test_fills_train_set_markers_from_checkpoint_meta(tmp_path):
    five = init_model(tiny_baseline_config(num_classes=5))
    ckpt = save_checkpoint(five, str(tmp_path / 'five.pth'),
                           dict(num_classes=5))
    model = init_model(tiny_baseline_config(num_classes=None), ckpt)
    assert model.head.classifier.weight.shape == (5, 64)
    assert_same_state(model, five)


def test_marker_without_meta_or_train_set_is_a_clear_error(tmp_path):
    cfg = tiny_baseline_config(num_classes=None)
    with pytest.raises(ValueError, match='train_set.*no train_dataloader'):
        init_model(cfg)
    model = init_model(tiny_baseline_config(num_classes=3))
    torch.save(dict(state_dict=model.state_dict()), tmp_path / 'bare.pth')
    with pytest.raises(ValueError, match='no meta\\["dataset_meta"\\]'):
        init_model(cfg, str(tmp_path / 'bare.pth'))


def test_marker_from_the_config_train_set(tmp_path):
    # no checkpoint meta: the training set of the config is counted, as
    # ReIDRunner does (the tiny demo set has 6 training identities)
    cfg = tiny_baseline_config(data_root=str(tmp_path / 'demo'),
                               num_classes=None)
    model = init_model(cfg)
    assert model.head.classifier.weight.shape == (6, 64)


def test_checkpoint_of_a_wider_model_lists_shapes(tmp_path):
    wide = init_model(tiny_baseline_config(base_channels=16))
    ckpt = save_checkpoint(wide, str(tmp_path / 'wide.pth'))
    with pytest.raises(CheckpointMismatchError) as err:
        init_model(tiny_baseline_config(), ckpt)
    msg = str(err.value)
    assert 'wide.pth' in msg and "'Baseline' model" in msg
    assert 'have another shape in the checkpoint' in msg
    assert ('backbone.conv1.weight: model (8, 3, 7, 7), checkpoint '
            '(16, 3, 7, 7)') in msg
    assert 'Is it a checkpoint of this config?' in msg


def test_checkpoint_of_another_model_groups_keys(tiny_model, tmp_path):
    # an image classifier: the same backbone, a linear head instead of the
    # BNNeck head
    state = {k: v for k, v in tiny_model.state_dict().items()
             if k.startswith('backbone.')}
    state['head.fc.weight'] = torch.zeros(10, 64)
    state['head.fc.bias'] = torch.zeros(10)
    path = str(tmp_path / 'classifier.pth')
    torch.save(dict(state_dict=state,
                    meta=dict(cfg="model = dict(type='ImageClassifier')")),
               path)
    with pytest.raises(CheckpointMismatchError) as err:
        init_model(tiny_baseline_config(), path)
    msg = str(err.value)
    assert "(its config built a 'ImageClassifier' model)" in msg
    assert ('6 weights of the model are not in the checkpoint:\n'
            '  head.bn.{weight, bias, running_mean, running_var, '
            'num_batches_tracked}\n'
            '  head.classifier.weight') in msg
    assert ('2 weights of the checkpoint are not in the model:\n'
            '  head.fc.{weight, bias}') in msg


def test_ddp_prefix_and_not_a_checkpoint(tiny_model, tmp_path):
    wrapped = {'module.' + k: v for k, v in tiny_model.state_dict().items()}
    torch.save(dict(state_dict=wrapped), tmp_path / 'ddp.pth')
    model = init_model(tiny_baseline_config(), str(tmp_path / 'ddp.pth'))
    assert_same_state(model, tiny_model)
    torch.save(torch.zeros(3), tmp_path / 'tensor.pth')
    with pytest.raises(CheckpointMismatchError, match='holds a Tensor'):
        init_model(tiny_baseline_config(), str(tmp_path / 'tensor.pth'))


def test_package_config_names():
    # a 'package::path' name resolves in the installed package (mmpretrain
    # ships its configs the OpenMMLab way)
    cfg = load_config('mmpretrain::resnet/resnet50_8xb32_in1k.py')
    assert cfg.model.type == 'ImageClassifier'
    assert cfg.filename.endswith(
        'mmpretrain/.mim/configs/resnet/resnet50_8xb32_in1k.py')
    with pytest.raises((FileNotFoundError, ValueError)):
        load_config('mmpretrain::no_such/config.py')
    with pytest.raises(TypeError, match='config must be'):
        load_config(3)
