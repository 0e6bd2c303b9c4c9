# IP-GAN stage 1 on the demo dataset (shared 2-core CPU): pre-train the
# identity network with the softmax identity loss l_I alone (no triplet
# loss), a ResNet-18 (last stride 1, BNNeck) from scratch at 128 x 64,
# images normalised to [-1, 1] as the GAN stage sees them. Stage 2 loads
# this checkpoint into both the identity encoder I (frozen) and the
# classifier C (trained on, the paper's "same architecture as I").
#   python tools/train.py configs/ipgan/demo_stage1.py
_base_ = ['../baseline/demo.py']
work_dir = 'work_dirs/ipgan_demo_stage1'

model = dict(
    data_preprocessor=dict(mean=[127.5] * 3, std=[127.5] * 3),
    head=dict(loss_cls=dict(type='mmpretrain.CrossEntropyLoss'),
              loss_triplet=None))
train_cfg = dict(val_interval=16)
default_hooks = dict(checkpoint=dict(interval=16, max_keep_ckpts=1))
custom_hooks = [dict(type='SyncBuffersHook')]
