# AACN (steps 3-4) on Market-1501, the flagship: the GCN of market_gcn.py,
# the frozen PPA of market_ppa.py, attention-aware alignment, visibility-
# weighted composition, identity cross-entropy; 256 x 128, one GPU x 64
# images (P=16 x K=4), SGD 0.01, 60 epochs:
#   python tools/train.py configs/aacn/market_ppa.py
#   python tools/train.py configs/aacn/market_gcn.py
#   python tools/train.py configs/aacn/market.py
_base_ = [
    '../_base_/models/aacn_inception_v1.py',
    '../_base_/datasets/market1501.py',
    '../_base_/schedules/aacn_sgd_60e.py',
]
PPA = 'work_dirs/market_ppa/epoch_30.pth'
GCN = 'work_dirs/market_gcn/epoch_60.pth'

model = dict(
    backbone=dict(
        init_cfg=dict(type='Pretrained', checkpoint=GCN, prefix='backbone.')),
    ppa=dict(
        trunk=dict(init_cfg=None),
        init_cfg=dict(type='Pretrained', checkpoint=PPA)))
