# PABR on Market-1501, the flagship:
#   tools/dist_train.sh configs/pabr/market.py 8
# Inception-v1 (ImageNet, dilation 2) x HRNet-W32 (COCO) part stream,
# compact bilinear pooling to 512-d, L2, all-triplets loss (margin 0.2),
# 160 x 80, flip only, identity-contiguous batches (whole identities),
# SGD 0.01, x0.2 at 20k/40k/60k, 75k iterations.
# Batch: the paper's 250 images (2 GPUs) do not split over 8 GPUs; 8 x 31 =
# 248, one contiguous chunk of the identity stream (the sampler's
# batch_size), and the loss is computed over the gathered batch of all GPUs
# as the original's DataParallel did. For exactly 250: 2 GPUs with
# batch_size=125 (set the sampler's batch_size too).
_base_ = [
    '../_base_/models/pabr_inception_v1_hrnet.py',
    '../_base_/datasets/market1501.py',
    '../_base_/schedules/pabr_sgd_75k.py',
    '../_base_/default_runtime.py',
]

train_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(80, 160)),
    dict(type='ReIDRandomFlip', prob=0.5),
    dict(type='PackReIDInputs'),
]
test_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=(80, 160)),
    dict(type='PackReIDInputs'),
]
# The sampler's batch_size is the dataloader's (per GPU): with it, the
# 31 x (number of GPUs) images of a step are one contiguous chunk of the
# identity stream, the batch of one process with the whole batch. Override
# both together, e.g. --cfg-options train_dataloader.batch_size=B \
#     train_dataloader.sampler.batch_size=B
train_dataloader = dict(
    batch_size=31,
    drop_last=True,
    sampler=dict(
        _delete_=True,
        type='IdentityContiguousSampler',
        max_per_id=None,
        batch_size=31),
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

# iteration-based schedule: checkpoints and logs by iteration
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(by_epoch=False, interval=5000, max_keep_ckpts=3))
log_processor = dict(by_epoch=False)

# SyncBN under DDP (MMEngine converts every BatchNorm when distributed and
# reverts SyncBN in one process): per-GPU statistics would be taken over
# 31 images, about three identities; synchronised, they are taken over the
# whole global batch, as on one GPU with batch 31 x GPUs. PyTorch's
# SyncBatchNorm needs CUDA: for CPU processes (gloo) add
# --cfg-options sync_bn=None.
sync_bn = 'torch'
