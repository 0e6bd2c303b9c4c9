# AACN step 2 on CUHK03-NP (labeled): the Market-1501 recipe (market_gcn.py).
#   python tools/train.py configs/aacn/cuhk03_gcn.py
_base_ = [
    '../_base_/models/aacn_gcn_inception_v1.py',
    '../_base_/datasets/cuhk03_np.py',
    '../_base_/schedules/aacn_sgd_60e.py',
]
