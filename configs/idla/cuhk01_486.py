# IDLA on CUHK01 with 486 test identities: pretrain on CUHK03 (load_from),
# fine-tune on the 485 training identities (as the paper).
_base_ = ['./cuhk01.py']

num_test_ids = 486
split = dict(num_test_ids=num_test_ids)
train_dataloader = dict(dataset=dict(dataset=split))
val_dataloader = dict(dataset=split)
test_dataloader = val_dataloader
