# IDLA on VIPeR: 10 random 316/316 splits (split_id=0..9, seeded). The
# paper pretrains on CUHK03 + CUHK01 and fine-tunes on the 316 training
# ids; here fine-tuning starts from the CUHK03 model (load_from) [D].
# VIPeR is plain images (cam_a/, cam_b/): no converter needed.
_base_ = ['./cuhk03.py']

dataset_type = 'VIPeR'
data_root = 'data/viper'
split_id = 0

train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            _delete_=True,
            type=dataset_type,
            data_root=data_root,
            num_test_ids=316,
            split_id=split_id,
            pipeline={{_base_.train_pipeline}})))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        num_test_ids=316,
        split_id=split_id,
        test_mode=True,
        pipeline={{_base_.test_pipeline}}))
test_dataloader = val_dataloader

load_from = 'work_dirs/cuhk03/iter_210000.pth'
# Fine-tuning length is not given by the paper [D].
train_cfg = dict(max_iters=20000, val_interval=5000)
default_hooks = dict(checkpoint=dict(interval=5000))
