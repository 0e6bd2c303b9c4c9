# IP-GAN stage 2 on the demo dataset (shared 2-core CPU), at 128 x 64:
# I (frozen) and C start from the stage-1 ResNet-18; A, G and D are
# narrower than the paper's (width 32, 5 stride-2 / up-sampling blocks from
# 4 x 2, G width 16, 128-d attribute code). Demo choices [ours]:
# match='identity' (a
# same-person pair gets the full reconstruction weight, half of the pairs;
# the paper's 'image' rarely fires on this small set), l_GD as mean
# feature matching, lambda_GC = 10 (identity over pixels). 16 pairs per
# batch, Adam (0.5, 0.999) at 1e-3 for A and G (a short schedule; l_GR and
# feature matching are regression-like) and 2e-4 for D and C, 600
# iterations (a shared 2-core CPU at load ~4 runs 2-4 s per iteration), a
# checkpoint every 200.
#   python tools/train.py configs/ipgan/demo_stage1.py
#   python tools/train.py configs/ipgan/demo_stage2.py
#   python tools/generation/generate.py configs/ipgan/demo_stage2.py \
#       work_dirs/ipgan_demo_stage2/iter_600.pth --grid-subjects 8 \
#       --grid-attributes 8
_base_ = [
    '../_base_/models/ipgan.py',
    '../_base_/datasets/demo_ipgan.py',
    '../_base_/schedules/ipgan_adam.py',
    '../_base_/default_runtime.py',
]
work_dir = 'work_dirs/ipgan_demo_stage2'
STAGE1 = 'work_dirs/ipgan_demo_stage1/epoch_16.pth'
_reid = dict(backbone=dict(depth=18),
             head=dict(in_channels=512),
             init_cfg=dict(type='Pretrained', checkpoint=STAGE1))
model = dict(identity_encoder=_reid,
             classifier=_reid,
             attribute_encoder=dict(input_size=(128, 64),
                                    base_channels=32,
                                    num_downsamples=5,
                                    latent_dim=128),
             generator=dict(identity_dim=512,
                            attribute_dim=128,
                            output_size=(128, 64),
                            ngf=16,
                            num_upsamples=5),
             discriminator=dict(input_size=(128, 64),
                                ndf=32,
                                num_downsamples=5,
                                feat_dim=256),
             match='identity',
             gd_loss=dict(mode='mean'),
             loss_weights=dict(gc=10.))
train_dataloader = dict(dataset=dict(self_prob=0.))
optim_wrapper = dict(attribute_encoder=dict(optimizer=dict(lr=1e-3)),
                     generator=dict(optimizer=dict(lr=1e-3)))
train_cfg = dict(max_iters=600)
default_hooks = dict(logger=dict(interval=25),
                     checkpoint=dict(by_epoch=False,
                                     interval=200,
                                     max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
# no re-ID evaluation in the GAN stage (I is the stage-1 network)
val_dataloader = val_evaluator = test_dataloader = test_evaluator = None
