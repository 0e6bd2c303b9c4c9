# PN-GAN's ResNet-50-A on Market-1501: the re-ID network trained on real
# images, the baseline recipe (configs/baseline/market.py: ImageNet ResNet-50,
# last stride 1, BNNeck, label-smoothed CE + batch-hard triplet, 1 GPU x 64
# images, 120 epochs). market_reid_fused.py loads its last checkpoint.
_base_ = '../baseline/market.py'
work_dir = 'work_dirs/market_reid_a'
