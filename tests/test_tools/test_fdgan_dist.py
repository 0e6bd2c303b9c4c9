# Copyright (c) mmreid contributors. All rights reserved.
"""FD-GAN through the tools: 2 CPU processes (separate DDP per network)."""
import json
import os
import os.path as osp
import sys

from .test_train_test import ROOT, metrics_of, run

TINY = '''
_base_ = ['{root}/configs/fdgan/demo_stage2.py']
demo = dict(num_train_ids=4, num_test_ids=4, num_cameras=2,
            images_per_id=4, num_distractors=1, num_junk=1)
train_dataloader = dict(
    batch_size=2, num_workers=0, persistent_workers=False,
    dataset=dict(dataset=dict(data_root='{data}', **demo)))
val_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(data_root='{data}', **demo))
test_dataloader = val_dataloader
model = dict(encoder=dict(init_cfg=None),
             generator=dict(ngf=8), disc_pose=dict(ndf=8))
train_cfg = dict(max_iters=2, val_interval=2)
default_hooks = dict(logger=dict(interval=1),
                     checkpoint=dict(interval=2))
custom_hooks = [
    dict(type='SyncBuffersHook'),
    dict(type='PoseTransferVisHook', num_samples=2, interval=0,
         dataset=dict(
             type='PoseTransferPairDataset',
             dataset=dict(type='DemoReID', data_root='{data}', **demo,
                          test_mode=True,
                          keypoint_file='keypoints_coco17.json',
                          pipeline=[dict(type='LoadReIDImage'),
                                    dict(type='ReIDResize', scale=(64, 128)),
                                    dict(type='PackReIDInputs')]),
             target_pipeline=[
                 dict(type='LoadReIDImage'),
                 dict(type='ReIDResize', scale=(64, 128)),
                 dict(type='KeypointsToHeatmaps', sigma=2.5,
                      target_format='openpose18', out_key='pose_maps'),
                 dict(type='PackReIDInputs', pose_keys=['pose_maps'])]))
]
'''


def test_stage2_on_two_cpu_processes_matches_single_process_eval(tmp_path):
    cfg = tmp_path / 'tiny_fdgan.py'
    cfg.write_text(TINY.format(root=ROOT, data=tmp_path / 'demo'))
    work_dir = str(tmp_path / 'dist')
    run(['bash', 'tools/dist_train.sh',
         str(cfg), '2', '--work-dir', work_dir],
        env=dict(os.environ, PORT='29523'))
    dist = metrics_of(work_dir)
    assert {'reid/mAP', 'cascade/mAP', 'cascade/rank1'} <= set(dist)
    # rank 0 wrote the grids and the SSIM record, once per moment
    records = json.load(open(osp.join(work_dir, 'vis', 'ssim.json')))
    assert [r['iter'] for r in records] == [0, 2]
    ckpt = osp.join(work_dir, 'iter_2.pth')
    single_dir = str(tmp_path / 'single_eval')
    run([sys.executable, 'tools/test.py', str(cfg), ckpt, '--work-dir',
         single_dir])
    single = metrics_of(single_dir)
    print('FD-GAN 2-process / 1-process evaluation:',
          {k: (dist[k], single[k]) for k in ('reid/mAP', 'cascade/mAP')})
    for key in ('reid/mAP', 'reid/rank1', 'cascade/mAP', 'cascade/rank1'):
        assert dist[key] == single[key], key
