# Copyright (c) mmreid contributors. All rights reserved.
"""CUHK03-NP: CUHK03 (Li et al., CVPR 2014) under the new 767/700 protocol.

The protocol is from Zhong et al., "Re-ranking Person Re-identification with
k-reciprocal Encoding", CVPR 2017, who released it as the ``cuhk03-np``
folder in Market-1501 layout.
"""
import os.path as osp

from mmreid.registry import DATASETS
from .market_style import MarketStyleDataset

SUBSETS = ('labeled', 'detected')


@DATASETS.register_module()
class CUHK03NP(MarketStyleDataset):
    """CUHK03-NP: 1,467 identities, 2 cameras per identity (767/700 split).

    Layout under ``data_root`` (the ``cuhk03-np`` folder), one Market-1501
    style tree per bounding-box source; names are
    ``<pid>_c<camera>_<index>.png``::

        labeled/bounding_box_train/0001_c1_1.png   767 ids, 7,368 images
        labeled/query/0003_c1_1.png                700 ids, 1,400 images
        labeled/bounding_box_test/0003_c2_1.png    700 ids, 5,328 images
        detected/bounding_box_train/...            767 ids, 7,365 images
        detected/query/...                         700 ids, 1,400 images
        detected/bounding_box_test/...             700 ids, 5,332 images

    ``labeled`` holds the hand-drawn boxes and ``detected`` the DPM
    detections. There are no junk (pid -1) or distractor (pid 0) images; if
    present they follow the Market-1501 conventions. The classic 20-split
    protocol (1,367/100) is a different dataset class.

    Args:
        data_root (str): The ``cuhk03-np`` folder.
        subset (str): ``'labeled'`` or ``'detected'``. Defaults to
            ``'labeled'``.
        **kwargs: See :class:`BaseReIDDataset`.

    Examples:
        >>> from mmreid.testing import make_cuhk03np_tree
        >>> import tempfile
        >>> root = make_cuhk03np_tree(tempfile.mkdtemp())
        >>> ds = CUHK03NP(data_root=root, subset='detected')
        >>> ds.metainfo['num_classes'], len(ds), ds.metainfo['num_cameras']
        (2, 3, 2)
        >>> ds = CUHK03NP(data_root=root, test_mode=True)
        >>> ds.metainfo['num_query'], ds.metainfo['num_gallery']
        (2, 3)
    """

    METAINFO = dict(dataset_name='cuhk03_np')

    def __init__(self, data_root: str, subset: str = 'labeled',
                 **kwargs) -> None:
        if subset not in SUBSETS:
            raise ValueError(
                f'{type(self).__name__}: subset must be one of {SUBSETS}, '
                f'got {subset!r}')
        self.subset = subset
        super().__init__(data_root=data_root, **kwargs)
        self._metainfo['subset'] = subset

    def split_folder(self, split: str) -> str:
        """The folder of one split, inside the chosen subset."""
        return osp.join(self.data_root, self.subset, self.split_dirs[split])
