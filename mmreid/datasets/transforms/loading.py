# Copyright (c) mmreid contributors. All rights reserved.
"""Image loading with errors that name the file."""
from typing import Optional

from mmcv.transforms import LoadImageFromFile

from mmreid.registry import TRANSFORMS


class ImageLoadError(IOError):
    """Raised when an image file is missing, empty or cannot be decoded."""


@TRANSFORMS.register_module()
class LoadReIDImage(LoadImageFromFile):
    """:class:`mmcv.transforms.LoadImageFromFile` with clear errors.

    mmcv reports an undecodable file with a bare ``AssertionError``, an
    empty one with an OpenCV assertion that does not name the file, and a
    missing one with a ``FileNotFoundError`` that loses the dataset context.
    This transform raises :class:`ImageLoadError` naming the path and the
    cause instead. All arguments are those of ``LoadImageFromFile``
    (``ignore_empty=True`` still returns None for a bad file).

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
            out = super().transform(results)
        except FileNotFoundError as e:
            raise ImageLoadError(f'image file not found: {path}') from e
        except AssertionError as e:
            raise ImageLoadError(
                f'cannot decode image {path}: the file is corrupt or not an '
                'image') from e
        except Exception as e:
            raise ImageLoadError(
                f'cannot read image {path}: {type(e).__name__}: '
                f'{str(e).strip()}') from e
        return out
