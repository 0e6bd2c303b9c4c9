# PN-GAN's test procedure on the demo dataset: for each query / gallery
# image, ResNet-50-A's feature of the image and ResNet-50-B's features of
# its 8 pose-normalised versions, each L2-normalised, fused by element-wise
# max (model.fusion='avg' / 'concat' for the other variants) and ranked by
# Euclidean distance. The pose-normalised test images are synthesised once
# (cached; evaluation only reads them):
#   python tools/generation/synthesize_poses.py configs/pngan/demo_gan.py \
#       work_dirs/demo_gan/iter_4000.pth --split test
#   python tools/test.py configs/pngan/demo_reid_fused.py
_base_ = './demo_reid_a.py'
work_dir = 'work_dirs/demo_reid_fused'
# A's and B's architecture (demo_reid_a.py), with the demo's 100 training
# identities written out (a test-only config has no training set to read
# them from)
_reid = dict(type='Baseline',
             backbone={{_base_.model.backbone}},
             neck={{_base_.model.neck}},
             head=dict(type='BNNeckHead', in_channels=512, num_classes=100))
# fusion='max', normalize=True, include_original=True (the paper's test)
# and ImageNet normalisation of every view are PoseNormalizedReID's
# defaults; B has A's architecture (reid_b=None)
model = dict(_delete_=True,
             type='PoseNormalizedReID',
             reid_a=_reid,
             checkpoint_a='work_dirs/demo_reid_a/epoch_16.pth',
             checkpoint_b='work_dirs/demo_reid_b/epoch_4.pth')
test_dataloader = dict(batch_size=16,
                       dataset=dict(
                           _delete_=True,
                           type='PoseNormalizedDataset',
                           synth_root='work_dirs/demo_gan/synth/test',
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
