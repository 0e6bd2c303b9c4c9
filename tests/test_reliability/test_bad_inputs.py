# Copyright (c) mmreid contributors. All rights reserved.
"""Every bad input ends in an error that names the problem and the file or
key, or in a logged skip with its count: nothing is dropped silently.

Each case builds the bad input in a temporary folder and returns what
happened. ``python tests/test_reliability/test_bad_inputs.py`` prints the
table of cases and messages (docs/en/reliability.md holds a copy).
"""
import logging
import os
import os.path as osp
import tempfile

import numpy as np
import pytest
import torch
from mmengine.logging import MMLogger

from mmreid.datasets import Market1501
from mmreid.datasets.keypoint_cache import save_keypoint_cache
from mmreid.registry import DATASETS, HOOKS, METRICS, MODELS
from mmreid.structures import ReIDDataSample
from mmreid.testing import make_market_tree
from mmreid.utils import register_all_modules

register_all_modules()

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

LOAD = [dict(type='LoadReIDImage')]
TRAIN_IMG = 'bounding_box_train/0002_c1s1_000451_03.jpg'
QUERY_IMG = 'query/0001_c1s1_001051_00.jpg'
GALLERY_IMG = 'bounding_box_test/0001_c5s1_000126_01.jpg'


def market(tmp):
    return make_market_tree(osp.join(tmp, 'market'))


def load_image(root, rel, test_mode):
    ds = Market1501(data_root=root, test_mode=test_mode, pipeline=LOAD)
    paths = [ds.get_data_info(i)['img_path'] for i in range(len(ds))]
    return ds[paths.index(osp.join(root, rel))]


def corrupt_train_jpeg(tmp):
    root = market(tmp)
    with open(osp.join(root, TRAIN_IMG), 'wb') as f:
        f.write(np.random.default_rng(0).bytes(600))
    load_image(root, TRAIN_IMG, test_mode=False)


def truncated_query_jpeg(tmp):
    root = market(tmp)
    path = osp.join(root, QUERY_IMG)
    data = open(path, 'rb').read()
    with open(path, 'wb') as f:
        f.write(data[:len(data) // 2])
    load_image(root, QUERY_IMG, test_mode=True)


def zero_byte_gallery_image(tmp):
    root = market(tmp)
    open(osp.join(root, GALLERY_IMG), 'wb').close()
    load_image(root, GALLERY_IMG, test_mode=True)


def missing_split_folder(tmp):
    root = market(tmp)
    os.rename(osp.join(root, 'bounding_box_test'), osp.join(tmp, 'moved'))
    Market1501(data_root=root, test_mode=True)


def malformed_file_name(tmp):
    root = market(tmp)
    os.rename(osp.join(root, TRAIN_IMG),
              osp.join(root, 'bounding_box_train', 'person_2.jpg'))
    Market1501(data_root=root)


def no_query_images(tmp):
    root = market(tmp)
    for name in os.listdir(osp.join(root, 'query')):
        os.remove(osp.join(root, 'query', name))
    Market1501(data_root=root, test_mode=True)


def no_gallery_images(tmp):
    root = market(tmp)
    for name in os.listdir(osp.join(root, 'bounding_box_test')):
        os.remove(osp.join(root, 'bounding_box_test', name))
    Market1501(data_root=root, test_mode=True)


def query_ids_not_in_gallery(tmp):
    """A logged skip with its count (the Market-1501 protocol), and the
    count in the metrics; an error if no query is left."""
    metric = METRICS.build(dict(type='ReIDMetric'))
    samples = []
    for i, (pid, split) in enumerate([(1, 'query'), (9, 'query'),
                                      (1, 'gallery'), (2, 'gallery')]):
        s = ReIDDataSample(metainfo=dict(pid=pid, camid=int(
            split == 'gallery'), split=split, sample_idx=i))
        s.pred_feature = torch.tensor([float(pid), 0.])
        samples.append(s.to_dict())
    metric.process({}, samples)
    return metric.compute_metrics(metric.results)


def keypoint_cache(tmp, change):
    root = market(tmp)
    ds = Market1501(data_root=root)
    rels = [
        osp.relpath(ds.get_data_info(i)['img_path'], root)
        for i in range(len(ds))
    ]
    kpts = {r: np.zeros((17, 3), np.float32) for r in rels}
    if change == 'missing':
        kpts.pop(rels[0])
    elif change == 'extra':
        kpts['bounding_box_train/9999_c1s1_000001_01.jpg'] = np.zeros(
            (17, 3), np.float32)
    save_keypoint_cache(osp.join(root, 'kpts.json'), kpts)
    if change == 'wrong_k':
        import json
        path = osp.join(root, 'kpts.json')
        payload = json.load(open(path))
        payload['keypoints'][rels[0]] = [[0, 0, 0]] * 18
        json.dump(payload, open(path, 'w'))
    Market1501(data_root=root, keypoint_file='kpts.json')


def mistyped_model_key(tmp):
    MODELS.build(
        dict(type='Baseline',
             bakcbone=dict(type='mmpretrain.ResNet', depth=18),
             head=dict(type='BNNeckHead', in_channels=512)))


def mistyped_test_cfg_key(tmp):
    MODELS.build(
        dict(type='Baseline',
             backbone=dict(type='mmpretrain.ResNet', depth=18),
             neck=dict(type='mmpretrain.GlobalAveragePooling'),
             head=dict(type='BNNeckHead', in_channels=512),
             test_cfg=dict(flpi=True)))


def mistyped_dataset_key(tmp):
    DATASETS.build(dict(type='Market1501', data_root=market(tmp),
                        keypoint_fle='kpts.json'))


def mistyped_metric_key(tmp):
    METRICS.build(dict(type='ReIDMetric', metrc='cosine'))


def mistyped_hook_key(tmp):
    HOOKS.build(dict(type='PoseTransferVisHook', dataset=dict(),
                     intervl=10))


def gan_optimizer_keys(tmp):
    from mmengine.config import Config
    from mmengine.optim import OptimWrapper, OptimWrapperDict
    cfg = Config.fromfile(osp.join(ROOT, 'configs/fdgan/demo_stage2.py'))
    cfg.model.encoder.init_cfg = None
    model = MODELS.build(cfg.model)

    def wrap(module):
        return OptimWrapper(torch.optim.SGD(module.parameters(), lr=0.1))

    wrappers = OptimWrapperDict(generator=wrap(model.generator),
                                disc_id=wrap(model.disc_id),
                                disc_pos=wrap(model.disc_pose))
    model.train_step({}, wrappers)


TINY_TEST = """
_base_ = ['{root}/configs/baseline/demo.py']
demo = dict(num_train_ids=4, num_test_ids=3, num_cameras=2,
            images_per_id=4, img_size=(32, 16), num_distractors=0,
            num_junk=0)
train_dataloader = dict(batch_size=4, num_workers=0,
                        persistent_workers=False,
                        dataset=dict(data_root='{data}', **demo))
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = dict(batch_size=4, num_workers=0,
                       persistent_workers=False,
                       dataset=dict(data_root='{data}', **demo))
model = dict(backbone=dict(depth=18), head=dict(in_channels=512))
work_dir = '{work}'
load_from = '{ckpt}'
"""


def checkpoint_of_another_model(tmp):
    """tools/test.py's path: ReIDRunner.test() with a DPL checkpoint on the
    baseline."""
    from mmengine.config import Config
    from mmreid.engine import ReIDRunner
    dpl = Config.fromfile(
        osp.join(ROOT, 'configs/_base_/models/dpl_inception_v1.py')).model
    dpl.backbone.init_cfg = None
    other = MODELS.build(dpl)
    ckpt = osp.join(tmp, 'dpl.pth')
    torch.save(dict(state_dict=other.state_dict(), meta={}), ckpt)
    path = osp.join(tmp, 'cfg.py')
    with open(path, 'w') as f:
        f.write(TINY_TEST.format(root=ROOT, data=osp.join(tmp, 'demo'),
                                 work=osp.join(tmp, 'work'), ckpt=ckpt))
    ReIDRunner.from_cfg(Config.fromfile(path)).test()


CASES = {
    'corrupt JPEG in train': (corrupt_train_jpeg, 'ImageLoadError',
                              ['cannot decode image', TRAIN_IMG]),
    'truncated JPEG in query': (truncated_query_jpeg, 'ImageLoadError',
                                ['truncated JPEG', QUERY_IMG]),
    'zero-byte image in gallery': (zero_byte_gallery_image,
                                   'ImageLoadError',
                                   ['empty (0 bytes)', GALLERY_IMG]),
    'missing split folder': (missing_split_folder, 'FileNotFoundError',
                             ['bounding_box_test', 'does not exist']),
    'malformed file name': (malformed_file_name, 'ValueError',
                            ['malformed file name', 'person_2.jpg']),
    'no query images': (no_query_images, 'DatasetFormatError',
                        ['query split', 'has no images']),
    'no gallery images': (no_gallery_images, 'DatasetFormatError',
                          ['gallery split', 'has no images']),
    'keypoint cache missing entries': (
        lambda t: keypoint_cache(t, 'missing'), 'KeypointCacheError',
        ['misses 1 image(s)', 'kpts.json']),
    'keypoint cache with extra entries': (
        lambda t: keypoint_cache(t, 'extra'), 'KeypointCacheError',
        ['1 entries for images not in the dataset', '9999_c1s1']),
    'keypoint cache, wrong number of keypoints': (
        lambda t: keypoint_cache(t, 'wrong_k'), 'KeypointCacheError',
        ['shape (18, 3)', 'expected (17, 3)']),
    'mistyped model key': (mistyped_model_key, 'TypeError',
                           ['Baseline', 'bakcbone']),
    'mistyped model test_cfg key': (mistyped_test_cfg_key, 'KeyError',
                                    ['flpi', 'valid keys']),
    'mistyped dataset key': (mistyped_dataset_key, 'TypeError',
                             ['Market1501', 'keypoint_fle']),
    'mistyped metric key': (mistyped_metric_key, 'TypeError',
                            ['ReIDMetric', 'metrc']),
    'mistyped hook key': (mistyped_hook_key, 'TypeError',
                          ['PoseTransferVisHook', 'intervl']),
    'GAN optimizer keys not matching its networks': (
        gan_optimizer_keys, 'KeyError', ['disc_pos', 'disc_pose']),
    'checkpoint of another model (test)': (
        checkpoint_of_another_model, 'CheckpointMismatchError',
        ['dpl.pth', 'Baseline', 'are not in the checkpoint',
         'backbone.conv1.weight']),
}


def outcome(fn):
    """Run a case: ``(exception type name, message)``."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            result = fn(tmp)
        except Exception as e:  # noqa: BLE001 - what we report
            return type(e).__name__, str(e)
    return None, repr(result)


@pytest.mark.parametrize('name', list(CASES))
def test_bad_input_is_named(name):
    fn, want_type, parts = CASES[name]
    got_type, message = outcome(fn)
    assert got_type == want_type, (got_type, message)
    for part in parts:
        assert part in message, (part, message)


def test_query_ids_missing_from_gallery_are_counted():
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            metrics = query_ids_not_in_gallery(tmp)
    finally:
        logger.removeHandler(handler)
    assert metrics['num_skipped_queries'] == 1
    assert metrics['rank1'] == 100.
    assert any(r.levelno == logging.WARNING and '1 of 2 queries have no '
               'valid match' in r.getMessage() for r in records)


if __name__ == '__main__':
    print('| bad input | error | message |')
    print('| --- | --- | --- |')
    for case, (fn, _, _) in CASES.items():
        kind, msg = outcome(fn)
        msg = msg.replace('|', '\\|').replace('\n', ' ')
        print(f'| {case} | {kind} | {msg} |')
    _, msg = outcome(query_ids_not_in_gallery)
    print(f'| query identities not in the gallery | (skip, logged) | '
          f'{msg} |')
