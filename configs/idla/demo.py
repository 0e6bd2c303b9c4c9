# IDLA on a small demo dataset, sized for a 2-core CPU (stage 1: random
# negatives; data: _base_/datasets/demo_idla.py, 2 cameras, 4 images per
# identity, 20 test identities at the paper's 160 x 60, in data/demo_idla).
# Stage 2 (hard-negative mining) is demo_stage2_hnm.py.
_base_ = [
    '../_base_/models/idla.py',
    '../_base_/datasets/demo_idla.py',
    '../_base_/schedules/idla_inv_210k.py',
    '../_base_/default_runtime.py',
]

# 2-core CPU budget: about 6 min of stage-1 training (3 epochs of the
# 1,800 pairs: 600 positives + 1,200 random negatives).
train_cfg = dict(max_iters=168, val_interval=168)
log_processor = dict(by_epoch=False)
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(
        by_epoch=False,
        interval=168,
        max_keep_ckpts=1))
