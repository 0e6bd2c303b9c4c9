# Copyright (c) mmreid contributors. All rights reserved.
import os.path as osp

import cv2
import numpy as np
import pytest

from mmreid.datasets.transforms.loading import ImageLoadError, LoadReIDImage


def test_load_ok(tmp_path):
    path = str(tmp_path / 'a.png')
    cv2.imwrite(path, np.full((6, 3, 3), 9, np.uint8))
    out = LoadReIDImage()(dict(img_path=path))
    assert out['img'].shape == (6, 3, 3) and out['ori_shape'] == (6, 3)


@pytest.mark.parametrize('content', [b'garbage', b'', None])
def test_bad_image_names_the_file(tmp_path, content):
    path = osp.join(str(tmp_path), 'bad_0001_c1.jpg')
    if content is not None:
        with open(path, 'wb') as f:
            f.write(content)
    with pytest.raises(ImageLoadError, match='bad_0001_c1.jpg'):
        LoadReIDImage()(dict(img_path=path))
    if content != b'garbage':  # mmcv ignores unreadable, not undecodable
        assert LoadReIDImage(ignore_empty=True)(dict(img_path=path)) is None
