# Copyright (c) mmreid contributors. All rights reserved.
"""Turn what a user passes as "images" into a list of paths and arrays."""
import os
import os.path as osp
from typing import List, Sequence, Union

import numpy as np

try:
    from PIL import Image
except ImportError:  # pragma: no cover - PIL comes with torchvision
    Image = None

#: File name endings read as images in a folder (case-insensitive).
IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.ppm', '.pgm', '.tif',
                  '.tiff', '.webp')

ImageInput = Union[str, os.PathLike, np.ndarray, 'Image.Image']


def list_images(folder: str, recursive: bool = True) -> List[str]:
    """The image files of a folder, sorted (the order features come in).

    Args:
        folder (str): The folder.
        recursive (bool): Also look in sub-folders. Defaults to True.

    Returns:
        list[str]: Paths (``folder`` joined with the relative path).

    Raises:
        FileNotFoundError: ``folder`` is not a folder.
        ValueError: It holds no image file.

    Examples:
        >>> import tempfile, cv2
        >>> d = tempfile.mkdtemp()
        >>> img = np.zeros((4, 2, 3), np.uint8)
        >>> for name in ('b.jpg', 'a.png'):
        ...     _ = cv2.imwrite(osp.join(d, name), img)
        >>> _ = open(osp.join(d, 'notes.txt'), 'w').write('not an image')
        >>> [osp.basename(p) for p in list_images(d)]
        ['a.png', 'b.jpg']
    """
    if not osp.isdir(folder):
        raise FileNotFoundError(f'not a folder: {folder}')
    found = []
    for root, dirs, files in os.walk(folder):
        for name in files:
            if name.lower().endswith(IMG_EXTENSIONS):
                found.append(osp.join(root, name))
        if not recursive:
            break
    if not found:
        raise ValueError(
            f'no image files in {folder} (looked for '
            f'{", ".join(IMG_EXTENSIONS)}'
            + (', sub-folders included' if recursive else '') + ')')
    return sorted(found)


def _array_item(img: np.ndarray, where: str) -> np.ndarray:
    """Check an in-memory image (H x W x 3 BGR or H x W grey)."""
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    if img.ndim != 3 or img.shape[2] not in (1, 3) or min(img.shape[:2]) < 1:
        raise ValueError(
            f'{where} is an array of shape {img.shape}; expected H x W x 3 '
            '(BGR, as cv2.imread gives) or H x W')
    if img.shape[2] == 1:
        img = np.repeat(img, 3, axis=2)
    if img.dtype != np.uint8:
        raise ValueError(f'{where} is a {img.dtype} array; expected uint8 '
                         'pixels (0-255)')
    return np.ascontiguousarray(img)


def _pil_item(img: 'Image.Image') -> np.ndarray:
    """A PIL image as a BGR uint8 array."""
    return np.ascontiguousarray(np.asarray(img.convert('RGB'))[..., ::-1])


def collect_images(images: Union[ImageInput, Sequence[ImageInput]]
                   ) -> List[Union[str, np.ndarray]]:
    """Normalise image inputs to a list of file paths and BGR arrays.

    Accepted: an image file, a folder (its images, sorted, sub-folders
    included), a numpy array (H x W x 3 BGR uint8, H x W grey, or a stack
    N x H x W x 3), a PIL image (converted from RGB), or a sequence of any
    of these.

    Args:
        images: See above.

    Returns:
        list[str | np.ndarray]: One entry per image, in order.

    Raises:
        ValueError: No image at all (an empty list, a folder without
            images), or an array of the wrong shape or dtype.
        FileNotFoundError: A path that is neither a file nor a folder.
        TypeError: An item of another type.

    Examples:
        >>> len(collect_images(np.zeros((2, 8, 4, 3), np.uint8)))
        2
        >>> collect_images([])
        Traceback (most recent call last):
        ...
        ValueError: no images given: the list is empty
    """
    if isinstance(images, np.ndarray) and images.ndim == 4:
        images = list(images)
    elif isinstance(images, (str, os.PathLike, np.ndarray)) or (
            Image is not None and isinstance(images, Image.Image)):
        images = [images]
    elif not isinstance(images, Sequence):
        raise TypeError('images must be a path, a folder, an array, a PIL '
                        'image or a sequence of them, got '
                        f'{type(images).__name__}')
    if len(images) == 0:
        raise ValueError('no images given: the list is empty')
    out: List[Union[str, np.ndarray]] = []
    for i, item in enumerate(images):
        where = f'image {i}'
        if isinstance(item, (str, os.PathLike)):
            path = os.fspath(item)
            if osp.isdir(path):
                out += list_images(path)
            elif osp.isfile(path):
                out.append(path)
            else:
                raise FileNotFoundError(
                    f'{where}: no such image file or folder: {path}')
        elif isinstance(item, np.ndarray):
            out.append(_array_item(item, where))
        elif Image is not None and isinstance(item, Image.Image):
            out.append(_pil_item(item))
        else:
            raise TypeError(f'{where} is a {type(item).__name__}; expected '
                            'a path, a numpy array or a PIL image')
    return out
