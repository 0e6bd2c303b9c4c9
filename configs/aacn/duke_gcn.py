# AACN step 2 on DukeMTMC-reID: the Market-1501 recipe (market_gcn.py).
#   python tools/train.py configs/aacn/duke_gcn.py
_base_ = [
    '../_base_/models/aacn_gcn_inception_v1.py',
    '../_base_/datasets/dukemtmc.py',
    '../_base_/schedules/aacn_sgd_60e.py',
]
