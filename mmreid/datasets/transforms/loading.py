# Copyright (c) mmreid contributors. All rights reserved.
"""Image loading with errors that name the file."""
from typing import Optional

import mmcv
import numpy as np
from mmcv.transforms import LoadImageFromFile
from mmengine import fileio

from mmreid.registry import TRANSFORMS


class ImageLoadError(IOError):
    """Raised when an image file is missing, empty or cannot be decoded."""


@TRANSFORMS.register_module()
class LoadReIDImage(LoadImageFromFile):
    """:class:`mmcv.transforms.LoadImageFromFile` with clear errors.

    mmcv reports an undecodable file with a bare ``AssertionError``, an
    empty one with an OpenCV assertion that does not name the file, and a
    missing one with a ``FileNotFoundError`` that loses the dataset context;
    a *truncated* JPEG (a copy cut short) it decodes without complaint,
    the missing rows grey. This transform raises :class:`ImageLoadError`
    naming the path and the cause instead, truncated JPEGs included (a JPEG
    must end with its end-of-image marker). All arguments are those of
    ``LoadImageFromFile`` (``ignore_empty=True`` still returns None for a
    bad file).

    Required Keys:

    - img_path

    Modified Keys:

    - img
    - img_shape
    - ori_shape

    Examples:
        >>> import tempfile, os.path as osp
        >>> bad = osp.join(tempfile.mkdtemp(), 'bad.jpg')
        >>> _ = open(bad, 'w').write('not an image')
        >>> try:
        ...     LoadReIDImage()(dict(img_path=bad))
        ... except ImageLoadError as e:
        ...     print('bad.jpg' in str(e))
        True
    """

    def transform(self, results: dict) -> Optional[dict]:
        """Load ``results['img_path']``.

        Args:
            results (dict): The result dict.

        Returns:
            dict | None: The results with ``img``; None if the file is bad
            and ``ignore_empty`` is set.
        """
        path = results.get('img_path')
        try:
            img = self._decode(path, self._read(path))
        except ImageLoadError:
            if self.ignore_empty:
                return None
            raise
        if self.to_float32:
            img = img.astype(np.float32)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results

    def _read(self, path: str) -> bytes:
        """The file's bytes, or an :class:`ImageLoadError` naming it."""
        try:
            if self.file_client_args is not None:
                client = fileio.FileClient.infer_client(
                    self.file_client_args, path)
                data = client.get(path)
            else:
                data = fileio.get(path, backend_args=self.backend_args)
        except FileNotFoundError as e:
            raise ImageLoadError(f'image file not found: {path}') from e
        except Exception as e:
            raise ImageLoadError(
                f'cannot read image {path}: {type(e).__name__}: '
                f'{str(e).strip()}') from e
        if not data:
            raise ImageLoadError(f'image file {path} is empty (0 bytes)')
        # a JPEG ends with its end-of-image marker (a few bytes of padding
        # after it are tolerated)
        if data[:2] == b'\xff\xd8' and b'\xff\xd9' not in data[-16:]:
            raise ImageLoadError(
                f'image file {path} is a truncated JPEG ({len(data)} bytes, '
                'no end-of-image marker): re-copy or re-extract it')
        return data

    def _decode(self, path: str, data: bytes) -> np.ndarray:
        """Decode ``data``, or raise an :class:`ImageLoadError`."""
        try:
            img = mmcv.imfrombytes(
                data, flag=self.color_type, backend=self.imdecode_backend)
        except Exception as e:
            raise ImageLoadError(
                f'cannot decode image {path}: {type(e).__name__}: '
                f'{str(e).strip()}') from e
        if img is None:
            raise ImageLoadError(
                f'cannot decode image {path}: the file is corrupt or not an '
                'image')
        return img
