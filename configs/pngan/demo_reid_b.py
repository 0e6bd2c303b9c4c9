# PN-GAN's ResNet-50-B on the demo dataset: the ResNet-50-A network
# (demo_reid_a.py) trained on the pose-normalised synthetic images: every
# demo training image drawn by the demo GAN in each of the 8 canonical
# poses, labelled with its source identity, made once by
#   python tools/generation/synthesize_poses.py configs/pngan/demo_gan.py \
#       work_dirs/demo_gan/iter_120.pth --split train
# (list.txt of work_dirs/demo_gan/synth/train). For the shared CPU's budget
# B starts from A's weights (the paper trains it from ImageNet weights like
# A) and trains 40 iterations (1,280 synthetic images) at A's last lr,
# 1e-4. Validated on the real test images.
_base_ = './demo_reid_a.py'
work_dir = 'work_dirs/demo_reid_b'
synth_root = 'work_dirs/demo_gan/synth/train'

model = dict(init_cfg=dict(type='Pretrained',
                           checkpoint='work_dirs/demo_reid_a/epoch_3.pth'))
train_dataloader = dict(dataset=dict(_delete_=True,
                                     type='FileListReID',
                                     data_root=synth_root,
                                     train_list='list.txt',
                                     pipeline={{_base_.train_pipeline}}))
optim_wrapper = dict(optimizer=dict(lr=1e-4))
param_scheduler = []
train_cfg = dict(_delete_=True,
                 type='ResumableIterBasedTrainLoop',
                 max_iters=40,
                 val_interval=40)
default_hooks = dict(checkpoint=dict(by_epoch=False,
                                     interval=40,
                                     max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
