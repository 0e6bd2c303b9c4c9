# IP-GAN stage 2 on Market-1501 at 256 x 128 with the paper's settings
# (configs/_base_/models/ipgan.py lists each choice and its source):
# match='image', all loss weights 1, per-pair feature matching, Adam 2e-4
# (0.5, 0.999), 8 GPUs x 8 pairs (batch 64 [paper?]), 100k iterations
# [ours]. I and C start from the stage-1 checkpoint.
#   python tools/train.py configs/ipgan/market_stage1.py
#   bash tools/dist_train.sh configs/ipgan/market_stage2.py 8
_base_ = [
    '../_base_/models/ipgan.py',
    '../_base_/datasets/market1501_ipgan.py',
    '../_base_/schedules/ipgan_adam.py',
    '../_base_/default_runtime.py',
]
work_dir = 'work_dirs/ipgan_market_stage2'
STAGE1 = 'work_dirs/ipgan_market_stage1/epoch_120.pth'
_init = dict(init_cfg=dict(type='Pretrained', checkpoint=STAGE1))
model = dict(identity_encoder=_init, classifier=_init)
default_hooks = dict(logger=dict(interval=100),
                     checkpoint=dict(by_epoch=False,
                                     interval=5000,
                                     max_keep_ckpts=2))
log_processor = dict(by_epoch=False)
# no re-ID evaluation in the GAN stage (I is the stage-1 network)
val_dataloader = val_evaluator = test_dataloader = test_evaluator = None
