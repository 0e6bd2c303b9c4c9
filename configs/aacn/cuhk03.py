# AACN (steps 3-4) on CUHK03-NP (labeled): the Market-1501 recipe
# (market.py) with the GCN of cuhk03_gcn.py and the PPA of market_ppa.py
# (a pose network, shared by the datasets):
#   python tools/train.py configs/aacn/market_ppa.py
#   python tools/train.py configs/aacn/cuhk03_gcn.py
#   python tools/train.py configs/aacn/cuhk03.py
_base_ = [
    '../_base_/models/aacn_inception_v1.py',
    '../_base_/datasets/cuhk03_np.py',
    '../_base_/schedules/aacn_sgd_60e.py',
]
PPA = 'work_dirs/market_ppa/epoch_30.pth'
GCN = 'work_dirs/cuhk03_gcn/epoch_60.pth'

model = dict(
    backbone=dict(
        init_cfg=dict(type='Pretrained', checkpoint=GCN, prefix='backbone.')),
    ppa=dict(
        trunk=dict(init_cfg=None),
        init_cfg=dict(type='Pretrained', checkpoint=PPA)))
