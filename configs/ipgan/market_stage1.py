# IP-GAN stage 1 on Market-1501: the identity network I (and the start of
# C), an ImageNet ResNet-50 (last stride 1, BNNeck) trained with the
# softmax identity loss l_I alone [paper: softmax; ours: the re-ID
# backbone], 256 x 128 images normalised to [-1, 1] as stage 2 sees them,
# the baseline's schedule (P x K = 16 x 4 batches, Adam, 120 epochs).
_base_ = ['../baseline/market.py']
work_dir = 'work_dirs/ipgan_market_stage1'
model = dict(
    data_preprocessor=dict(mean=[127.5] * 3, std=[127.5] * 3),
    head=dict(loss_cls=dict(type='mmpretrain.CrossEntropyLoss'),
              loss_triplet=None))
