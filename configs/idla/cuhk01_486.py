# IDLA on CUHK01 with 486 test identities: pretrain on CUHK03 (load_from),
# fine-tune on the 485 training identities (as the paper).
_base_ = ['./cuhk01.py']

num_test_ids = 486
train_dataloader = dict(dataset=dict(dataset=dict(num_test_ids=486)))
val_dataloader = dict(dataset=dict(num_test_ids=486))
test_dataloader = val_dataloader
