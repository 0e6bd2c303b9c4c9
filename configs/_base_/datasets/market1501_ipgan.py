# Market-1501 (subject, attribute) pairs for IP-GAN at 256 x 128: each
# training image is a subject once per epoch, with an attribute image of
# its identity with probability 0.5 [paper?], the subject image itself with
# probability 0.1 (the full-weight reconstruction pairs of match='image')
# [ours], otherwise of another identity. Flip only (no erasing: the
# attribute image is a reconstruction target). ``ipgan_images`` is the
# test split for generation and identity preservation (identities unseen
# in training).
_base_ = './market1501.py'

ipgan_size = (128, 256)  # (w, h)
pair_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=ipgan_size),
    dict(type='ReIDRandomFlip', prob=0.5),
    dict(type='PackReIDInputs'),
]
gen_pipeline = [
    dict(type='LoadReIDImage'),
    dict(type='ReIDResize', scale=ipgan_size),
    dict(type='PackReIDInputs'),
]
train_dataloader = dict(batch_size=8,
                        num_workers=4,
                        persistent_workers=True,
                        drop_last=True,
                        sampler=dict(_delete_=True,
                                     type='PairSampler',
                                     shuffle=True),
                        dataset=dict(_delete_=True,
                                     type='PairDataset',
                                     pairing='per_anchor',
                                     positive_prob=0.5,
                                     self_prob=0.1,
                                     dataset=dict(
                                         type={{_base_.dataset_type}},
                                         data_root={{_base_.data_root}},
                                         pipeline=pair_pipeline)))
ipgan_images = dict(type={{_base_.dataset_type}},
                    data_root={{_base_.data_root}},
                    test_mode=True,
                    pipeline=gen_pipeline)
