# IDLA on CUHK01 with 100 test identities (871 training ids), split 0 of
# 10 random splits (split_id=0..9, seeded). The paper pretrains on
# CUHK03 + CUHK01-train and fine-tunes on CUHK01; here the fine-tuning
# starts from the CUHK03 model (load_from) [D: joint pretraining needs
# disjoint pids across the two datasets, not provided].
# CUHK01 is plain images (campus/NNNNCCC.png): no converter needed.
_base_ = ['./cuhk03.py']

dataset_type = 'CUHK01'
data_root = 'data/cuhk01'
num_test_ids = 100
split_id = 0

train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            _delete_=True,
            type=dataset_type,
            data_root=data_root,
            num_test_ids=num_test_ids,
            split_id=split_id,
            pipeline={{_base_.train_pipeline}})))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        num_test_ids=num_test_ids,
        split_id=split_id,
        test_mode=True,
        pipeline={{_base_.test_pipeline}}))
test_dataloader = val_dataloader

load_from = 'work_dirs/cuhk03/iter_210000.pth'
# Fine-tuning length is not given by the paper [D].
train_cfg = dict(max_iters=20000, val_interval=5000)
default_hooks = dict(checkpoint=dict(interval=5000))
