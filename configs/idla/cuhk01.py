# IDLA on CUHK01 with 100 test identities (871 training ids), split 0 of
# 10 random splits (split_id=0..9, seeded; data:
# _base_/datasets/cuhk01_idla.py). The paper pretrains on CUHK03 +
# CUHK01-train and fine-tunes on CUHK01; here the fine-tuning starts from
# the CUHK03 model (load_from) [D: joint pretraining needs disjoint pids
# across the two datasets, not provided].
_base_ = [
    '../_base_/models/idla.py',
    '../_base_/datasets/cuhk01_idla.py',
    '../_base_/schedules/idla_inv_210k.py',
    '../_base_/default_runtime.py',
]

load_from = 'work_dirs/cuhk03/iter_210000.pth'
# Fine-tuning length is not given by the paper [D].
train_cfg = dict(max_iters=20000, val_interval=5000)
log_processor = dict(by_epoch=False)
default_hooks = dict(
    logger=dict(interval=100),
    checkpoint=dict(
        by_epoch=False,
        interval=5000,
        max_keep_ckpts=2))
