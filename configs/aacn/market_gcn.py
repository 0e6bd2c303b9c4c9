# AACN step 2 on Market-1501: the GCN alone (Inception-v1, ImageNet) with
# the identity cross-entropy, 256 x 128, one GPU x 64 images (P=16 x K=4):
#   python tools/train.py configs/aacn/market_gcn.py
_base_ = [
    '../_base_/models/aacn_gcn_inception_v1.py',
    '../_base_/datasets/market1501.py',
    '../_base_/schedules/aacn_sgd_60e.py',
]
