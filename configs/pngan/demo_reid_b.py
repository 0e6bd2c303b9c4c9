# PN-GAN's ResNet-50-B on the demo dataset: the ResNet-50-A network
# (demo_reid_a.py) trained on the pose-normalised synthetic images: every
# demo training image drawn by the demo GAN in each of the 8 canonical
# poses, labelled with its source identity, made once by
#   python tools/generation/synthesize_poses.py configs/pngan/demo_gan.py \
#       work_dirs/demo_gan/iter_4000.pth --split train
# (list.txt of work_dirs/demo_gan/synth/train). B is trained from scratch
# like A (the paper starts both from ImageNet weights) for 4 epochs of the
# 8 x larger synthetic set (warm-up 1 epoch, x0.1 after epoch 3) and
# validated on the real test images.
_base_ = './demo_reid_a.py'
work_dir = 'work_dirs/demo_reid_b'
synth_root = 'work_dirs/demo_gan/synth/train'

train_dataloader = dict(dataset=dict(_delete_=True,
                                     type='FileListReID',
                                     data_root=synth_root,
                                     train_list='list.txt',
                                     pipeline={{_base_.train_pipeline}}))
param_scheduler = [
    dict(type='LinearLR',
         start_factor=0.1,
         by_epoch=True,
         begin=0,
         end=1,
         convert_to_iter_based=True),
    dict(type='MultiStepLR',
         by_epoch=True,
         milestones=[2],
         gamma=0.1,
         begin=1,
         end=4),
]
train_cfg = dict(max_epochs=4, val_interval=4)
default_hooks = dict(checkpoint=dict(interval=4))
