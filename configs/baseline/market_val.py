# configs/baseline/market.py with best-checkpoint selection on a validation
# split held out of the training identities, never on the test set:
# - training: the Market-1501 train split minus 100 identities (seeded;
#   651 of the 751 remain, so num_classes = 651);
# - validation (val_dataloader, every val_interval epochs): those 100
#   identities as query (one image per camera) + gallery (the rest), with
#   the Market-1501 protocol; the CheckpointHook keeps the best of them by
#   validation mAP (best_reid_mAP_epoch_*.pth) besides the last ones;
# - test (test_dataloader): the real query / gallery, untouched: report
#   tools/test.py configs/baseline/market_val.py \
#       work_dirs/market_val/best_reid_mAP_epoch_N.pth
# The same num_val_ids / val_seed must be given to both datasets (they
# then draw the same identities, so the two sets are disjoint). The
# option works for every mmreid dataset (BaseReIDDataset).
_base_ = './market.py'

num_val_ids = 100
val_seed = 0

train_dataloader = dict(
    dataset=dict(num_val_ids=num_val_ids, val_seed=val_seed))
val_dataloader = dict(
    dataset=dict(num_val_ids=num_val_ids, val_seed=val_seed))
# test_dataloader is the base's, unchanged: the Market-1501 query / gallery.

default_hooks = dict(
    checkpoint=dict(save_best='reid/mAP', rule='greater'))
