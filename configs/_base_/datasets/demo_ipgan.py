# The demo dataset's (subject, attribute) pairs for IP-GAN at its native
# 128 x 64 (see market1501_ipgan.py), 16 pairs per batch for a 2-core CPU.
_base_ = './market1501_ipgan.py'
dataset_type = 'DemoReID'
data_root = 'data/demo'
ipgan_size = (64, 128)
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
train_dataloader = dict(batch_size=16,
                        num_workers=2,
                        dataset=dict(dataset=dict(type=dataset_type,
                                                  data_root=data_root,
                                                  pipeline=pair_pipeline)))
ipgan_images = dict(type=dataset_type,
                    data_root=data_root,
                    test_mode=True,
                    pipeline=gen_pipeline)
