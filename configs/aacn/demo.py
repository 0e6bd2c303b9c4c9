# AACN steps 3 and 4 on the generated demo dataset (2-core CPU, a few
# minutes): the GCN of demo_gcn.py and the PPA of demo_ppa.py (frozen),
# attention-aware alignment of the 832 x 8 x 4 map with the 11 attention
# maps (16 x 8, resized), visibility-weighted composition to 512 and the
# BNNeck head (identity cross-entropy + the optional triplet, as
# demo_gcn.py). Same data as demo_gcn.py, Adam 1e-3, 150 iterations. Run
# the two earlier steps first:
#   python tools/train.py configs/aacn/demo_ppa.py
#   python tools/train.py configs/aacn/demo_gcn.py
#   python tools/train.py configs/aacn/demo.py
_base_ = [
    '../_base_/models/aacn_inception_v1.py',
    '../_base_/datasets/demo.py',
    '../_base_/schedules/demo_adam_iters.py',
]
PPA = 'work_dirs/demo_ppa/iter_500.pth'
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
            stem_channels=32,
            base_channels=32,
            num_stages=2,
            strides=(1, 2),
            dilations=(1, 1),
            out_indices=(1, ),
            init_cfg=None),
        head=dict(
            in_channels=64,
            feat_channels=(64, ),
            stage1=dict(num_convs=2, kernel_size=3, channels=64, hidden=128),
            refine=dict(num_convs=3, kernel_size=5, channels=64, hidden=64)),
        init_cfg=dict(type='Pretrained', checkpoint=PPA)),
    head=dict(
        loss_triplet=dict(_delete_=True, type='TripletLoss', margin=0.3)))

# 150 iterations of P=4 x K=4 = 16 images (the shared 2-core CPU)
train_dataloader = dict(batch_size=16)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[120], gamma=0.1)
]
train_cfg = dict(max_iters=150, val_interval=150)
default_hooks = dict(checkpoint=dict(interval=150))
