# Copyright (c) mmreid contributors. All rights reserved.
from .classic_trees import (make_cuhk01_tree, make_cuhk03_classic_tree,
                            make_viper_tree)
from .dataset_trees import (CUHK03NP_TREE, DUKE_TREE, FILE_LIST_LISTS,
                            MARKET_TREE, MSMT17_LISTS, make_cuhk03np_tree,
                            make_duke_tree, make_file_list_tree,
                            make_market_tree, make_msmt17_tree, write_images)
from .tiny_models import tiny_baseline_config

__all__ = [
    'MARKET_TREE', 'make_market_tree', 'write_images', 'DUKE_TREE',
    'make_duke_tree', 'MSMT17_LISTS', 'make_msmt17_tree', 'CUHK03NP_TREE',
    'make_cuhk03np_tree', 'FILE_LIST_LISTS', 'make_file_list_tree',
    'make_cuhk01_tree', 'make_cuhk03_classic_tree', 'make_viper_tree',
    'tiny_baseline_config'
]
