# FD-GAN stage I on Market-1501: the Siamese ResNet-50 verification
# baseline (E + V), trained alone.
#   tools/dist_train.sh configs/fdgan/market_stage1.py 8
# 8 GPUs x 32 pairs = the paper's 256 pairs per batch.
_base_ = [
    '../_base_/models/fdgan_encoder_resnet50.py',
    '../_base_/datasets/market1501_fdgan.py',
    '../_base_/schedules/fdgan_stage1_sgd_100e.py',
    '../_base_/default_runtime.py',
]

# pairs of single images (no generation targets): 1 positive + 3 negatives
# per anchor
train_dataloader = dict(
    dataset=dict(_delete_=True,
                 type='PairDataset',
                 pairing='per_anchor',
                 neg_per_pos=3,
                 dataset=dict(type={{_base_.dataset_type}},
                              data_root={{_base_.data_root}},
                              pipeline={{_base_.pair_pipeline}})))
