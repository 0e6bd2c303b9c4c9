# IDLA on CUHK03 (classic), stage 2: fine-tune on positives + hard
# negatives (1:2) mined by the stage-1 model:
#   python tools/misc/mine_hard_negatives.py configs/idla/cuhk03.py \
#       work_dirs/cuhk03/iter_210000.pth --num-candidates 2000000 \
#       --out work_dirs/cuhk03/hard_negatives.json
_base_ = ['./cuhk03.py']

load_from = 'work_dirs/cuhk03/iter_210000.pth'
train_dataloader = dict(
    dataset=dict(hard_negatives='work_dirs/cuhk03/hard_negatives.json'))
# Fine-tuning length is not given by the paper [D].
train_cfg = dict(max_iters=20000, val_interval=5000)
default_hooks = dict(checkpoint=dict(interval=5000))
