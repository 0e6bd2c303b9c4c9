# PN-GAN's test procedure on Market-1501 (1 GPU): for each query / gallery
# image, ResNet-50-A's feature of the image and ResNet-50-B's features of
# its 8 pose-normalised versions, each L2-normalised, fused by element-wise
# max (model.fusion='avg' / 'concat' for the other variants) and ranked by
# Euclidean distance. The pose-normalised test images are synthesised once
# (cached; evaluation only reads them):
#   python tools/generation/synthesize_poses.py configs/pngan/market_gan.py \
#       work_dirs/market_gan/epoch_20.pth --split test
#   python tools/test.py configs/pngan/market_reid_fused.py
_base_ = './market_reid_a.py'
work_dir = 'work_dirs/market_reid_fused'
# A's and B's architecture (market_reid_a.py) with the 751 training
# identities written out (a test-only config has no training set)
_reid = dict(type='Baseline',
             backbone={{_base_.model.backbone}},
             neck={{_base_.model.neck}},
             head=dict(type='BNNeckHead', in_channels=2048, num_classes=751))
# fusion='max', normalize=True, include_original=True (the paper's test)
# and ImageNet normalisation of every view are PoseNormalizedReID's
# defaults; B has A's architecture (reid_b=None)
model = dict(_delete_=True,
             type='PoseNormalizedReID',
             reid_a=_reid,
             checkpoint_a='work_dirs/market_reid_a/epoch_120.pth',
             checkpoint_b='work_dirs/market_reid_b/epoch_120.pth')
test_dataloader = dict(batch_size=32,
                       dataset=dict(
                           _delete_=True,
                           type='PoseNormalizedDataset',
                           synth_root='work_dirs/market_gan/synth/test',
                           num_poses=8,
                           dataset={{_base_.val_dataloader.dataset}}))
# test only: A and B are trained by their own configs
train_dataloader = None
train_cfg = None
optim_wrapper = None
param_scheduler = None
val_dataloader = None
val_cfg = None
val_evaluator = None
