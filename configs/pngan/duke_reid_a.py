# PN-GAN's ResNet-50-A on DukeMTMC-reID: the re-ID network trained on real
# images, the baseline recipe (configs/baseline/duke.py: ImageNet ResNet-50,
# last stride 1, BNNeck, label-smoothed CE + batch-hard triplet, 1 GPU x 64
# images, 120 epochs). duke_reid_fused.py loads its last checkpoint.
_base_ = '../baseline/duke.py'
work_dir = 'work_dirs/duke_reid_a'
