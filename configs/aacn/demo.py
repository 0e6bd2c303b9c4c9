# AACN steps 3 and 4 on the generated demo dataset (2-core CPU, a few
# minutes): the GCN of demo_gcn.py and the PPA of demo_ppa.py (frozen),
# attention-aware alignment of the 832 x 8 x 4 map with the 11 attention
# maps (16 x 8, resized), visibility-weighted composition to 512 and the
# BNNeck head (identity cross-entropy + the optional triplet, as
# demo_gcn.py). Same data and schedule as demo_gcn.py (Adam 1e-3). Run
# the two earlier steps first:
#   python tools/train.py configs/aacn/demo_ppa.py
#   python tools/train.py configs/aacn/demo_gcn.py
#   python tools/train.py configs/aacn/demo.py
_base_ = [
    '../_base_/models/aacn_inception_v1.py',
    '../_base_/datasets/demo.py',
    '../_base_/schedules/demo_adam_iters.py',
]
PPA = 'work_dirs/demo_ppa/iter_150.pth'
GCN = 'work_dirs/demo_gcn/iter_100.pth'

model = dict(
    backbone=dict(
        init_cfg=dict(type='Pretrained', checkpoint=GCN, prefix='backbone.')),
    # the light PPA of demo_ppa.py
    ppa=dict(
        trunk=dict(
            _delete_=True,
            type='mmpretrain.ResNet',
            depth=18,
            stem_channels=16,
            base_channels=16,
            num_stages=2,
            strides=(1, 2),
            dilations=(1, 1),
            out_indices=(1, ),
            init_cfg=None),
        head=dict(
            in_channels=32,
            feat_channels=(32, ),
            stage1=dict(num_convs=2, kernel_size=3, channels=32, hidden=32),
            refine=dict(num_convs=2, kernel_size=3, channels=32, hidden=32)),
        init_cfg=dict(type='Pretrained', checkpoint=PPA)),
    head=dict(
        loss_triplet=dict(_delete_=True, type='TripletLoss', margin=0.3)))

# 100 iterations of P=4 x K=4 = 16 images (the shared 2-core CPU)
train_dataloader = dict(batch_size=16)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[80], gamma=0.1)
]
train_cfg = dict(max_iters=100, val_interval=100)
default_hooks = dict(checkpoint=dict(interval=100))
