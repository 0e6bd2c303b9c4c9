# DPL on the generated demo dataset, sized for a 2-core CPU (about 8 min):
# the demo's native 128 x 64 images (the paper's 160 x 80 costs 1.6x the
# time; the part maps are then 8 x 4 instead of 10 x 5), trained from
# scratch (no ImageNet download), batches of 32 = 8 identities x 4 images
# (identity-contiguous), and Adam 1e-3 as the baseline demo, because the
# paper's SGD 0.01 schedule is for an ImageNet-initialised net over 100k
# iterations. The paper's normalisation (BGR, mean (104, 117, 123), std 1).
_base_ = [
    '../_base_/models/dpl_inception_v1.py',
    '../_base_/datasets/demo_contiguous.py',
    '../_base_/schedules/demo_adam_iters.py',
]

model = dict(
    data_preprocessor=dict(
        mean=[104., 117., 123.], std=[1., 1., 1.], to_rgb=False),
    backbone=dict(init_cfg=None))
