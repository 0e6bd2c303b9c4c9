# Copyright (c) mmreid contributors. All rights reserved.
"""Features of a set of images, with their paths and annotations."""
import os
import os.path as osp
from typing import Any, Dict, Optional, Sequence, Union

import torch
from torch import Tensor

#: The ``format`` tag written into every features file.
FEATURE_FILE_FORMAT = 'mmreid.FeatureSet'
FEATURE_FILE_VERSION = 1


class FeatureSet:
    """N features, the image each came from and per-image annotations.

    What :func:`mmreid.apis.extract_features` returns and what a gallery
    is saved as, so that a gallery is embedded once and searched many
    times (:func:`mmreid.apis.search`).

    Args:
        feats (Tensor): N x D features.
        img_paths (Sequence[str | None], optional): The image of each row
            (None for an image given as an array). Defaults to N Nones.
        annotations (dict[str, Sequence], optional): Per-image values, each
            a sequence of N (e.g. ``pid``, ``camid``, ``split``).
        metainfo (dict, optional): About the whole set: the config, the
            checkpoint, the model's ``test_cfg``, the metric to rank with.

    Examples:
        >>> import tempfile, os.path as osp
        >>> fs = FeatureSet(torch.eye(3), ['a.jpg', 'b.jpg', 'c.jpg'],
        ...                 annotations=dict(pid=[1, 1, 2]),
        ...                 metainfo=dict(metric='cosine'))
        >>> f = osp.join(tempfile.mkdtemp(), 'gallery.pth')
        >>> fs.save(f)
        >>> back = FeatureSet.load(f)
        >>> len(back), back.img_paths[2], back.annotations['pid']
        (3, 'c.jpg', [1, 1, 2])
        >>> back[[0, 2]].img_paths
        ['a.jpg', 'c.jpg']
    """

    def __init__(self,
                 feats: Tensor,
                 img_paths: Optional[Sequence[Optional[str]]] = None,
                 annotations: Optional[Dict[str, Sequence]] = None,
                 metainfo: Optional[Dict[str, Any]] = None) -> None:
        feats = torch.as_tensor(feats)
        if feats.ndim != 2:
            raise ValueError('features must be N x D, got shape '
                             f'{tuple(feats.shape)}')
        num = feats.shape[0]
        self.feats = feats
        self.img_paths = [None] * num if img_paths is None else \
            list(img_paths)
        if len(self.img_paths) != num:
            raise ValueError(f'{len(self.img_paths)} image paths for {num} '
                             'features')
        self.annotations = {}
        for key, values in (annotations or {}).items():
            values = values.tolist() if hasattr(values, 'tolist') else \
                list(values)
            if len(values) != num:
                raise ValueError(f'annotation {key!r} has {len(values)} '
                                 f'values for {num} features')
            self.annotations[key] = values
        self.metainfo = dict(metainfo or {})

    def __len__(self) -> int:
        return self.feats.shape[0]

    def __repr__(self) -> str:
        return (f'FeatureSet({len(self)} x {self.feats.shape[1]}, '
                f'annotations={sorted(self.annotations)}, '
                f'metainfo={sorted(self.metainfo)})')

    def __getitem__(self, index: Union[int, slice, Sequence[int],
                                       Tensor]) -> 'FeatureSet':
        """The rows ``index`` (a slice, indices or a bool mask), as a new
        set with the same metainfo."""
        if isinstance(index, int):
            index = [index]
        rows = torch.arange(len(self))[torch.as_tensor(index)] \
            if not isinstance(index, slice) else \
            torch.arange(len(self))[index]
        rows = rows.tolist()
        return FeatureSet(
            self.feats[rows], [self.img_paths[i] for i in rows],
            {k: [v[i] for i in rows]
             for k, v in self.annotations.items()}, self.metainfo)

    def select(self, key: str, value: Any) -> 'FeatureSet':
        """The rows whose annotation ``key`` equals ``value``.

        Examples:
            >>> fs = FeatureSet(torch.zeros(3, 2),
            ...                 annotations=dict(split=['query', 'gallery',
            ...                                         'gallery']))
            >>> len(fs.select('split', 'gallery'))
            2
        """
        if key not in self.annotations:
            raise KeyError(f'the features have no annotation {key!r} (they '
                           f'have {sorted(self.annotations)})')
        return self[[
            i for i, v in enumerate(self.annotations[key]) if v == value
        ]]

    def save(self, file: str) -> None:
        """Write the set to ``file`` (a ``torch.save`` dict of tensors,
        lists and plain values, read back by :meth:`load`)."""
        folder = osp.dirname(osp.abspath(file))
        os.makedirs(folder, exist_ok=True)
        torch.save(
            dict(
                format=FEATURE_FILE_FORMAT,
                version=FEATURE_FILE_VERSION,
                feats=self.feats.detach().cpu(),
                img_paths=self.img_paths,
                annotations=self.annotations,
                metainfo=self.metainfo), file)

    @classmethod
    def load(cls, file: str) -> 'FeatureSet':
        """Read a set written by :meth:`save`.

        Raises:
            FileNotFoundError: No such file.
            ValueError: The file is not a features file (e.g. a
                checkpoint).
        """
        if not osp.isfile(file):
            raise FileNotFoundError(f'features file not found: {file}')
        try:
            data = torch.load(file, map_location='cpu', weights_only=True)
        except Exception as e:
            raise ValueError(f'{file} is not an mmreid features file: '
                             f'{type(e).__name__}: {e}') from e
        if not isinstance(data, dict) or \
                data.get('format') != FEATURE_FILE_FORMAT:
            what = sorted(data)[:8] if isinstance(data, dict) else \
                type(data).__name__
            raise ValueError(
                f'{file} is not an mmreid features file (no format tag '
                f'{FEATURE_FILE_FORMAT!r}; it holds {what}); write one with '
                'FeatureSet.save or tools/extract_features.py')
        if data.get('version', 0) > FEATURE_FILE_VERSION:
            raise ValueError(f'{file} has features file version '
                             f'{data["version"]}; this mmreid reads up to '
                             f'{FEATURE_FILE_VERSION}')
        return cls(data['feats'], data['img_paths'], data['annotations'],
                   data['metainfo'])
