# PN-GAN's ResNet-50-B on Market-1501: the ResNet-50-A recipe
# (market_reid_a.py, 1 GPU x 64 images, 120 epochs) on the pose-normalised
# synthetic images: every training image in each of the 8 canonical poses,
# labelled with its source identity, made once by
#   python tools/generation/synthesize_poses.py configs/pngan/market_gan.py \
#       work_dirs/market_gan/epoch_20.pth --split train
# Validated on the real test images.
_base_ = './market_reid_a.py'
work_dir = 'work_dirs/market_reid_b'
synth_root = 'work_dirs/market_gan/synth/train'

train_dataloader = dict(dataset=dict(_delete_=True,
                                     type='FileListReID',
                                     data_root=synth_root,
                                     train_list='list.txt',
                                     pipeline={{_base_.train_pipeline}}))
