# ResNet-50 baseline (last stride 1, BNNeck, label-smoothed CE + batch-hard
# triplet) on DukeMTMC-reID, 1 GPU x 64 images (P=16 x K=4), 120 epochs.
_base_ = [
    '../_base_/models/resnet50_bnneck.py',
    '../_base_/datasets/dukemtmc.py',
    '../_base_/schedules/bot_adam_120e.py',
    '../_base_/default_runtime.py',
]
