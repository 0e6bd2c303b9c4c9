# AACN step 2 on the generated demo dataset (2-core CPU, a few minutes):
# the GCN alone (Inception-v1 to inception_4e, 832 x 8 x 4 for the demo's
# native 128 x 64, trained from scratch: no download), global average
# pooling and the BNNeck head with the identity cross-entropy plus the
# optional batch-hard triplet (margin 0.3), which a short run from scratch
# needs. The demo's pipeline (flip, pad-crop, random erasing), Adam 1e-3.
_base_ = [
    '../_base_/models/aacn_gcn_inception_v1.py',
    '../_base_/datasets/demo.py',
    '../_base_/schedules/demo_adam_iters.py',
]

model = dict(
    backbone=dict(init_cfg=None),
    head=dict(
        loss_triplet=dict(_delete_=True, type='TripletLoss', margin=0.3)))

# 100 iterations of P=4 x K=4 = 16 images (the shared 2-core CPU)
train_dataloader = dict(batch_size=16)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[80], gamma=0.1)
]
train_cfg = dict(max_iters=100, val_interval=100)
default_hooks = dict(checkpoint=dict(interval=100))
