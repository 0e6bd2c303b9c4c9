# Copyright (c) mmreid contributors. All rights reserved.
"""A pairwise method (IDLA) through tools/dist_train.sh on 2 CPU processes:
the ranks' pair batches are disjoint and cover each epoch, and the
2-process evaluation with the model's pairwise distances equals the
1-process one."""
import json
import os
import os.path as osp
import sys
from collections import Counter

from .test_train_test import ROOT, metrics_of, run

TINY = '''
_base_ = ['{root}/configs/idla/demo.py']
custom_imports = dict(imports=['tests.test_engine.fault_hooks'],
                      allow_failed_imports=False)
demo = dict(num_train_ids=5, num_test_ids=5, num_cameras=2,
            images_per_id=4, img_size=(160, 60), num_distractors=1,
            num_junk=0)
train_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(dataset=dict(data_root='{data}', **demo)))
val_dataloader = dict(
    batch_size=4, num_workers=0, persistent_workers=False,
    dataset=dict(data_root='{data}', **demo))
test_dataloader = val_dataloader
train_cfg = dict(_delete_=True, type='ResumableEpochBasedTrainLoop',
                 max_epochs=2, val_interval=2)
param_scheduler = []
default_hooks = dict(logger=dict(interval=1),
                     checkpoint=dict(by_epoch=True, interval=2))
log_processor = dict(by_epoch=True)
custom_hooks = [dict(type='RecordBatchesHook')]
'''


def test_idla_two_processes(tmp_path):
    cfg = tmp_path / 'tiny_idla.py'
    cfg.write_text(TINY.format(root=ROOT, data=tmp_path / 'demo'))
    work_dir = str(tmp_path / 'dist')
    run(['bash', 'tools/dist_train.sh', str(cfg), '2', '--work-dir',
         work_dir], env=dict(os.environ, PORT='29533'))
    ranks = [json.load(open(osp.join(work_dir, f'batches_rank{r}.json')))
             for r in (0, 1)]
    assert len(ranks[0]) == len(ranks[1]) > 0  # same number of steps
    from mmengine.config import Config

    from mmreid.registry import DATASETS
    from mmreid.utils import register_all_modules
    register_all_modules()
    pairs_of = DATASETS.build(
        Config.fromfile(str(cfg)).train_dataloader.dataset)
    for epoch in (0, 1):
        # PairSampler's epoch list: the drawn pairs, shuffled, padded by
        # repeating its start to a multiple of the 2 ranks
        drawn = [tuple(p) for p in pairs_of.draw_pairs(epoch, 0)]
        padded = Counter(drawn + drawn[:len(drawn) % 2])
        seen = [
            Counter(tuple(k) for b in batches if b['epoch'] == epoch
                    for k in b['keys']) for batches in ranks
        ]
        assert seen[0] + seen[1] == padded  # together: the epoch, once
        assert sum(seen[0].values()) == sum(seen[1].values())
    dist = metrics_of(work_dir)
    ckpt = osp.join(work_dir, 'epoch_2.pth')
    single_dir = str(tmp_path / 'single_eval')
    run([sys.executable, 'tools/test.py', str(cfg), ckpt, '--work-dir',
         single_dir])
    single = metrics_of(single_dir)
    print('IDLA 2-process / 1-process evaluation:',
          {k: (dist[k], single[k]) for k in ('reid/mAP', 'reid/rank1')})
    for key in ('reid/mAP', 'reid/rank1', 'reid/rank5'):
        assert dist[key] == single[key], key
