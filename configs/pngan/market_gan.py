# PN-GAN's GAN on Market-1501 as the official code trains it: 1 GPU x 32
# ordered same-identity pairs, 256 x 128, ResNet generator (9 blocks) and
# PatchGAN discriminator with InstanceNorm, LSGAN + 10 x L1, Adam 2e-4
# (0.5, 0.999), 20 epochs (constant 10, then linear decay to 0), G updated
# before D. D's real sample is the target image (d_real='source' for the
# code's source image).
#
# Before training: keypoints (tools/misc/extract_keypoints.py) and the 8
# canonical poses, computed once into this config's work dir:
#   python tools/misc/cluster_poses.py configs/pngan/market_gan.py
# After training, the synthesis step (cached, with a progress bar):
#   python tools/generation/synthesize_poses.py configs/pngan/market_gan.py \
#       work_dirs/market_gan/epoch_20.pth --split train   # ResNet-50-B data
#   python tools/generation/synthesize_poses.py configs/pngan/market_gan.py \
#       work_dirs/market_gan/epoch_20.pth --split test    # test views
_base_ = [
    '../_base_/models/pngan.py',
    '../_base_/datasets/market1501_pngan.py',
    '../_base_/schedules/pngan_20e.py',
    '../_base_/default_runtime.py',
]
work_dir = 'work_dirs/market_gan'
canonical_poses = work_dir + '/canonical_poses/canonical_poses.json'
synth_root_train = work_dir + '/synth/train'
synth_root_test = work_dir + '/synth/test'

default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=2))
custom_hooks = [
    dict(type='PoseTransferVisHook',
         dataset={{_base_.held_out_transfers}},
         num_samples=8,
         interval=2000),
]
