# PN-GAN's GAN on DukeMTMC-reID: the Market-1501 recipe (market_gan.py),
# 1 GPU x 32 pairs, 20 epochs; keypoints and canonical poses computed once
# for this dataset:
#   python tools/misc/cluster_poses.py configs/pngan/duke_gan.py
_base_ = [
    '../_base_/models/pngan.py',
    '../_base_/datasets/dukemtmc_pngan.py',
    '../_base_/schedules/pngan_20e.py',
    '../_base_/default_runtime.py',
]
work_dir = 'work_dirs/duke_gan'
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
