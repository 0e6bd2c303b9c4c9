# Copyright (c) mmreid contributors. All rights reserved.
from .dataset_trees import MARKET_TREE, make_market_tree, write_images

__all__ = ['MARKET_TREE', 'make_market_tree', 'write_images']
