# Copyright (c) mmreid contributors. All rights reserved.
"""The subjects x attributes grid of identity / attribute recombination
(IP-GAN)."""
import numpy as np


def draw_identity_attribute_grid(subjects: np.ndarray,
                                 attributes: np.ndarray,
                                 generated: np.ndarray,
                                 pad: int = 2) -> np.ndarray:
    """A header row of attribute images, a header column of subjects, and
    in cell ``(i, j)`` the image generated from subject ``i`` with the
    attributes of image ``j``.

    Args:
        subjects (np.ndarray): S x H x W x 3 uint8 RGB subject images.
        attributes (np.ndarray): A x H x W x 3 uint8 RGB attribute images.
        generated (np.ndarray): S x A x H x W x 3 uint8 RGB generations.
        pad (int): White pixels between tiles (and twice that after the
            headers). Defaults to 2.

    Returns:
        np.ndarray: The grid, uint8 **BGR** (for ``cv2`` /
        ``mmcv.imwrite``), ``(S + 1)`` tiles high and ``(A + 1)`` wide.

    Examples:
        >>> s = np.zeros((2, 8, 4, 3), np.uint8)
        >>> a = np.full((3, 8, 4, 3), 255, np.uint8)
        >>> g = np.zeros((2, 3, 8, 4, 3), np.uint8)
        >>> draw_identity_attribute_grid(s, a, g, pad=1).shape
        (29, 22, 3)
    """
    num_s, num_a = len(subjects), len(attributes)
    if generated.shape[:2] != (num_s, num_a):
        raise ValueError(f'generated must be {num_s} x {num_a} images, got '
                         f'{generated.shape[:2]}')
    h, w = subjects.shape[1:3]
    if attributes.shape[1:3] != (h, w) or generated.shape[2:4] != (h, w):
        raise ValueError('all images must have the same size')

    def offset(k, size):
        # tile k (0 = header) starts after the header's extra padding
        return pad + k * (size + pad) + (pad if k > 0 else 0)

    canvas = np.full((offset(num_s + 1, h), offset(num_a + 1, w), 3), 255,
                     np.uint8)

    def put(img, row, col):
        y, x = offset(row, h), offset(col, w)
        canvas[y:y + h, x:x + w] = img[..., ::-1]

    for j in range(num_a):
        put(attributes[j], 0, j + 1)
    for i in range(num_s):
        put(subjects[i], i + 1, 0)
        for j in range(num_a):
            put(generated[i, j], i + 1, j + 1)
    return canvas
