# Copyright (c) mmreid contributors. All rights reserved.
"""A tiny baseline config for tests and docstrings (no download)."""
from typing import Optional

from mmengine.config import Config


def tiny_baseline_config(data_root: Optional[str] = None,
                         num_classes: Optional[int] = 4,
                         base_channels: int = 8,
                         test_cfg: Optional[dict] = None) -> Config:
    """The baseline of ``configs/baseline`` at toy size.

    A ResNet-18 layout with ``base_channels`` channels in the stem and the
    first stage (64-d features for 8), 64 x 32 inputs, a BNNeck head, and
    the demo dataset (6 + 6 identities, 3 cameras) as train and test set
    when ``data_root`` is given.

    Args:
        data_root (str, optional): Where the tiny demo dataset is (or is
            generated). Without it the config has no dataloaders (enough
            for :func:`mmreid.apis.init_model` and array inputs).
        num_classes (int, optional): Identity classifier rows (None: the
            training-set marker).
        base_channels (int): Width of the first ResNet stage.
        test_cfg (dict, optional): The model's test_cfg. Defaults to
            ``dict(normalize=True)``, as the baseline configs.

    Returns:
        Config: The config.

    Examples:
        >>> cfg = tiny_baseline_config()
        >>> cfg.model.head.in_channels
        64
    """
    pipeline = [
        dict(type='LoadReIDImage'),
        dict(type='ReIDResize', scale=(32, 64)),
        dict(type='PackReIDInputs'),
    ]
    cfg = dict(
        default_scope='mmreid',
        model=dict(
            type='Baseline',
            data_preprocessor=dict(
                type='ReIDDataPreprocessor',
                mean=[123.675, 116.28, 103.53],
                std=[58.395, 57.12, 57.375],
                to_rgb=True),
            backbone=dict(
                type='mmpretrain.ResNet',
                depth=18,
                stem_channels=base_channels,
                base_channels=base_channels,
                strides=(1, 2, 2, 1),
                out_indices=(3, )),
            neck=dict(type='mmpretrain.GlobalAveragePooling'),
            head=dict(
                type='BNNeckHead',
                in_channels=base_channels * 8,
                num_classes=('train_set.num_classes'
                             if num_classes is None else num_classes)),
            test_cfg=dict(normalize=True) if test_cfg is None else test_cfg),
        test_pipeline=pipeline,
        test_evaluator=dict(
            type='ReIDMetric', metric='euclidean', protocol='market'))
    if data_root is not None:
        demo = dict(
            type='DemoReID',
            data_root=data_root,
            num_train_ids=6,
            num_test_ids=6,
            num_cameras=3,
            images_per_id=4,
            img_size=(64, 32),
            num_distractors=2,
            num_junk=2)
        cfg['train_dataloader'] = dict(
            batch_size=8,
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=True),
            dataset=dict(**demo, pipeline=pipeline))
        cfg['test_dataloader'] = dict(
            batch_size=8,
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            dataset=dict(**demo, test_mode=True, pipeline=pipeline))
    return Config(cfg)
