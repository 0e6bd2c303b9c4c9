# PN-GAN's GAN on the demo dataset (shared 2-core CPU), at 64 x 32 with a
# smaller generator (ngf 16, 6 residual blocks; the paper's is ngf 64, 9
# blocks at 256 x 128) and discriminator (ndf 16, 2 stride-2 convs instead
# of 3, the two last convs unpadded as the paper's: output 1 x 10 x 2).
# 8 ordered same-identity pairs per batch, Adam 2e-4 (0.5, 0.999) for 4000
# iterations (about 16 minutes on 2 CPU cores): constant for the first
# half, then linear decay to 0. PoseTransferVisHook writes held-out
# (test-identity) sample grids and their SSIM (32 transfers) at the start,
# every 1000 iterations and at the end (work_dirs/demo_gan/vis).
#   python tools/misc/cluster_poses.py configs/pngan/demo_gan.py
#   python tools/train.py configs/pngan/demo_gan.py
_base_ = [
    '../_base_/models/pngan.py',
    '../_base_/datasets/demo_pngan.py',
    '../_base_/schedules/pngan_20e.py',
    '../_base_/default_runtime.py',
]
work_dir = 'work_dirs/demo_gan'
canonical_poses = work_dir + '/canonical_poses/canonical_poses.json'
synth_root_train = work_dir + '/synth/train'
synth_root_test = work_dir + '/synth/test'

model = dict(generator=dict(ngf=16, num_blocks=6),
             discriminator=dict(ndf=16, num_layers=2))
_decay = [
    dict(type='LinearLR',
         start_factor=1.,
         end_factor=0.,
         by_epoch=False,
         begin=2000,
         end=4000)
]
param_scheduler = dict(generator=_decay, discriminator=_decay)
train_cfg = dict(
    _delete_=True, type='ResumableIterBasedTrainLoop', max_iters=4000)
default_hooks = dict(logger=dict(interval=100),
                     checkpoint=dict(by_epoch=False,
                                     interval=1000,
                                     max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
custom_hooks = [
    dict(type='PoseTransferVisHook',
         dataset={{_base_.held_out_transfers}},
         num_samples=32,
         columns=4,
         interval=1000),
]
