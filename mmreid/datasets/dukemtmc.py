# Copyright (c) mmreid contributors. All rights reserved.
"""DukeMTMC-reID (Zheng et al., ICCV 2017; Ristani et al., ECCVW 2016)."""
from mmreid.registry import DATASETS
from .market_style import MarketStyleDataset


@DATASETS.register_module()
class DukeMTMCReID(MarketStyleDataset):
    """DukeMTMC-reID: 1,404 identities (+408 distractor ids), 8 cameras.

    Layout under ``data_root`` (the ``DukeMTMC-reID`` folder), Market-1501
    style; names are ``<pid>_c<camera>_f<frame>.jpg``::

        bounding_box_train/0005_c2_f0046985.jpg   702 ids, 16,522 images
        query/0005_c2_f0046985.jpg                 702 ids, 2,228 images
        bounding_box_test/0005_c1_f0046965.jpg     1,110 ids, 17,661 images

    The gallery's 408 extra identities (distractors) have real pids that no
    query has, so they are ordinary negatives. The official release has no
    junk (pid -1) and no pid-0 images; if present they follow the
    Market-1501 conventions (junk dropped and counted in
    ``metainfo['num_junk']``, pid 0 allowed in the gallery only).

    Args:
        data_root (str): The ``DukeMTMC-reID`` folder.
        **kwargs: See :class:`BaseReIDDataset`.

    Examples:
        >>> from mmreid.testing import make_duke_tree
        >>> import tempfile
        >>> root = make_duke_tree(tempfile.mkdtemp())
        >>> ds = DukeMTMCReID(data_root=root)
        >>> ds.metainfo['num_classes'], len(ds), ds.metainfo['num_cameras']
        (3, 5, 4)
        >>> ds = DukeMTMCReID(data_root=root, test_mode=True)
        >>> ds.metainfo['num_query'], ds.metainfo['num_gallery']
        (2, 4)
    """

    METAINFO = dict(dataset_name='dukemtmc')

