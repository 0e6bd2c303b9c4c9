# IDLA demo, stage 2: hard-negative mining (docs/en/method_specs.md).
# Fine-tune the stage-1 model on all positives plus negatives (1:2), half
# of them drawn each epoch from the hard negatives mined by the stage-1
# model and half random, at lr 0.001 (a first try with hard negatives
# only at the restarted lr 0.01 lowered rank-1 from 70.8 to 56.8):
#   python tools/train.py configs/idla/demo.py --work-dir work_dirs/idla_demo
#   python tools/misc/mine_hard_negatives.py configs/idla/demo.py \
#       work_dirs/idla_demo/iter_168.pth --num-candidates 8000 \
#       --out work_dirs/idla_demo/hard_negatives.json
#   python tools/train.py configs/idla/demo_stage2_hnm.py \
#       --work-dir work_dirs/idla_demo_stage2
# (override the two paths below with --cfg-options load_from=...
# train_dataloader.dataset.hard_negatives=... for other work dirs).
_base_ = ['./demo.py']

load_from = 'work_dirs/idla_demo/iter_168.pth'
train_dataloader = dict(
    dataset=dict(
        hard_negatives='work_dirs/idla_demo/hard_negatives.json',
        hard_negative_ratio=0.5))
optim_wrapper = dict(optimizer=dict(lr=1e-3))
# One epoch of the 600 positives + 600 hard + 600 random negatives (2-core
# CPU budget).
train_cfg = dict(max_iters=56, val_interval=56)
default_hooks = dict(checkpoint=dict(interval=56))
