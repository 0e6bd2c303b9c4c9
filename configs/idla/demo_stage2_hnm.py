# IDLA demo, stage 2: hard-negative mining (methods.md 1c). Fine-tune the
# stage-1 model on all positives plus hard negatives (1:2), mined by the
# stage-1 model:
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
    dataset=dict(hard_negatives='work_dirs/idla_demo/hard_negatives.json'))
# One epoch of the 600 positives + 1,200 hard negatives (2-core CPU
# budget).
train_cfg = dict(max_iters=56, val_interval=56)
default_hooks = dict(checkpoint=dict(interval=56))
