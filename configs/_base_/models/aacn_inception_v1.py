# AACN (steps 3 and 4): the global context network (GCN, Inception-v1 to
# inception_4e: 832 x 16 x 8 for 256 x 128), the step-1 PPA (frozen) for
# the attention maps [R^, N] (11 parts) and the visibility scores, the
# attention-aware alignment f_p = GAP(F o M_p / max M_p), the weighted
# composition concat(GAP(F), w_p f_p) -> linear 512 (w = v / mean v), and a
# BNNeck head with the identity cross-entropy (the paper's softmax loss;
# set loss_triplet for the optional triplet). Method configs set the two
# checkpoints: model.backbone.init_cfg (the GCN of step 2, prefix
# 'backbone.') and model.ppa.init_cfg (the PPA of step 1).
_base_ = './aacn_ppa_vgg19.py'

model = dict(
    _delete_=True,
    type='AACN',
    data_preprocessor={{_base_.aacn_data_preprocessor}},
    backbone=dict(type='InceptionV1', arch='torchvision'),
    ppa={{_base_.aacn_ppa}},
    freeze_ppa=True,
    alignment=dict(type='AttentionAlignment', pooling='gap'),
    composition=dict(
        type='WeightedComposition',
        in_channels=832,
        num_parts=11,
        out_channels=512,
        with_global=True,
        visibility_weighting=True,
        visibility_norm='mean'),
    head=dict(
        type='BNNeckHead',
        in_channels=512,
        num_classes='train_set.num_classes',
        loss_cls=dict(type='mmpretrain.CrossEntropyLoss'),
        loss_triplet=None),
    # ranked by Euclidean distance of L2-normalised features [D]
    test_cfg=dict(normalize=True),
)
