# Runtime settings shared by every mmreid config.
default_scope = 'mmreid'
# ReIDRunner fills num_classes from the training set and runs DDP on CPU
# processes (gloo) when there is no GPU.
runner_type = 'ReIDRunner'

# Checkpoints: every `interval` epochs (iterations with by_epoch=False) and
# at the end of training (epoch_N.pth / iter_N.pth; the work dir's
# `last_checkpoint` file names the latest), the last `max_keep_ckpts` kept.
# Results are reported with the last checkpoint: there is no save_best,
# since the val_dataloader is the test query / gallery, and picking the
# best evaluation on it would tune the reported number on the test set.
# For best-checkpoint selection, validate on identities held out of the
# training set (dataset option num_val_ids) and set save_best there, as in
# configs/baseline/market_val.py.
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=10, max_keep_ckpts=2),
    sampler_seed=dict(type='DistSamplerSeedHook'),
)

# Under DDP each process keeps its own BatchNorm statistics; average them
# before every evaluation so all ranks (and the saved checkpoint) agree.
custom_hooks = [dict(type='SyncBuffersHook')]

# malloc_cfg: glibc keeps freed memory for the next step instead of
# mapping and zero-filling it again (page faults; see
# mmreid.utils.set_malloc_thresholds; None leaves malloc as it is)
env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
    malloc_cfg=dict(mmap_threshold=1 << 30, trim_threshold=1 << 30),
)

vis_backends = [dict(type='LocalVisBackend')]
# MMEngine's Visualizer, its matplotlib figure made when first drawn on
visualizer = dict(type='ReIDVisualizer', vis_backends=vis_backends)

log_processor = dict(by_epoch=True)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0, deterministic=False)
