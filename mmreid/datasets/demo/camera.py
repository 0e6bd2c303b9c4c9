# Copyright (c) mmreid contributors. All rights reserved.
"""Cameras of the demo dataset: scene, light, colour cast, blur, noise.

A camera depends only on ``(seed, camera index)``. It fixes a background
scene (wall and floor colours and textures, rendered once as a canvas
larger than an image), a colour cast, brightness, contrast, a horizontal
light gradient, blur, sensor noise, the typical person scale and the mix of
walking directions (views) seen from it. Each image then crops the canvas
at a random offset, adds background clutter and jitters the light.
"""
from dataclasses import dataclass, field
from typing import Optional, Tuple

import cv2
import numpy as np

from .identity import CLOTH_PALETTE

TEXTURES: Tuple[str, ...] = ('tiles', 'bricks', 'panels', 'plain')


@dataclass
class Camera:
    """The fixed properties of one camera.

    Args:
        index (int): 1-based camera number (as in the ``c<cam>`` names).
        wall (tuple): Wall colour (BGR).
        floor (tuple): Floor colour (BGR).
        horizon (float): Where the floor starts (fraction of the height).
        texture (str): One of :data:`TEXTURES`.
        cast (tuple): Per-channel gains (BGR), the colour cast.
        brightness (float): Global gain.
        contrast (float): Contrast around mid-grey.
        light (float): Strength of a left-to-right light gradient.
        blur (float): Gaussian blur sigma in pixels at 128 px height.
        noise (float): Sensor noise standard deviation (grey levels).
        person_scale (float): Typical person height / image height.
        view_probs (tuple): Probabilities of the four views
            (front, back, side-left, side-right).
        canvas (np.ndarray, optional): The background canvas (BGR uint8),
            made by :func:`make_camera`.
        noise_tile (np.ndarray, optional): Standard normal noise of the
            canvas' size (float32), cropped per image (faster than drawing
            fresh noise for every image).
    """

    index: int
    wall: Tuple[int, int, int]
    floor: Tuple[int, int, int]
    horizon: float
    texture: str
    cast: Tuple[float, float, float]
    brightness: float
    contrast: float
    light: float
    blur: float
    noise: float
    person_scale: float
    view_probs: Tuple[float, float, float, float]
    canvas: Optional[np.ndarray] = field(default=None, repr=False)
    noise_tile: Optional[np.ndarray] = field(default=None, repr=False)


def _random_color(rng: np.random.Generator, sat: Tuple[float, float],
                  val: Tuple[float, float]) -> Tuple[int, int, int]:
    """A random BGR colour with saturation and value in the given ranges."""
    hsv = np.array([[[
        rng.uniform(0, 180),
        rng.uniform(*sat) * 255,
        rng.uniform(*val) * 255
    ]]]).astype(np.uint8)
    bgr = cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)[0, 0]
    return tuple(int(c) for c in bgr)


def _low_freq_noise(rng: np.random.Generator, h: int, w: int,
                    cell: int) -> np.ndarray:
    """Smooth noise in about [-1, 1] of size (h, w)."""
    small = rng.normal(size=(max(2, h // cell), max(2, w // cell)))
    return cv2.resize(
        small.astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)


def make_camera(seed: int, index: int,
                img_size: Tuple[int, int] = (128, 64)) -> Camera:
    """Sample a camera and render its background canvas.

    Args:
        seed (int): The dataset seed.
        index (int): 1-based camera number.
        img_size (tuple[int, int]): Image (height, width).

    Returns:
        Camera: The camera, with a canvas of twice the image size.

    Examples:
        >>> cam = make_camera(0, 1, (64, 32))
        >>> cam.canvas.shape, cam.texture in TEXTURES
        ((128, 64, 3), True)
    """
    rng = np.random.default_rng([int(seed), 2, int(index)])
    alpha = rng.dirichlet([0.8] * 4)
    view_probs = tuple(float(p) for p in 0.7 * alpha + 0.3 * 0.25)
    cast = rng.uniform(0.78, 1.22, size=3)
    cast = cast / cast.mean()
    cam = Camera(
        index=int(index),
        wall=_random_color(rng, (0.05, 0.5), (0.3, 0.9)),
        floor=_random_color(rng, (0.0, 0.35), (0.2, 0.7)),
        horizon=float(rng.uniform(0.45, 0.8)),
        texture=str(TEXTURES[int(rng.integers(len(TEXTURES)))]),
        cast=tuple(float(c) for c in cast),
        brightness=float(rng.uniform(0.7, 1.2)),
        contrast=float(rng.uniform(0.75, 1.1)),
        light=float(rng.uniform(-0.25, 0.25)),
        blur=float(rng.uniform(0.0, 1.1)),
        noise=float(rng.uniform(1.5, 6.0)),
        person_scale=float(rng.uniform(0.76, 0.9)),
        view_probs=view_probs)
    cam.canvas = _make_canvas(cam, rng, img_size)
    cam.noise_tile = rng.standard_normal(cam.canvas.shape, dtype=np.float32)
    return cam


def _make_canvas(cam: Camera, rng: np.random.Generator,
                 img_size: Tuple[int, int]) -> np.ndarray:
    """Render a camera's background canvas (twice the image size)."""
    h, w = 2 * img_size[0], 2 * img_size[1]
    unit = img_size[0] / 128.0
    canvas = np.empty((h, w, 3), np.float32)
    # The crop offset of an image is at most 0.3 image heights (see
    # :func:`background`): the horizon moves by +-0.15 around its place.
    hz = int(round((cam.horizon + 0.15) * img_size[0]))
    canvas[:hz] = cam.wall
    canvas[hz:] = cam.floor
    tex = rng.uniform(10, 30)
    dark = np.array(cam.wall, np.float32) * 0.7
    if cam.texture == 'bricks':
        step = max(3, int(round(rng.uniform(7, 12) * unit)))
        for i, y in enumerate(range(0, hz, step)):
            canvas[y:y + 1] = dark
            off = (step if i % 2 else 0)
            for x in range(off, w, 2 * step):
                canvas[y:min(y + step, hz), x:x + 1] = dark
    elif cam.texture == 'panels':
        step = max(4, int(round(rng.uniform(14, 30) * unit)))
        for x in range(int(rng.integers(step)), w, step):
            canvas[:hz, x:x + max(1, int(unit * 2))] = dark
    elif cam.texture == 'tiles':
        step = max(4, int(round(rng.uniform(10, 20) * unit)))
        fdark = np.array(cam.floor, np.float32) * 0.75
        for x in range(int(rng.integers(step)), w, step):
            canvas[hz:, x:x + 1] = fdark
        y, gap = hz, float(step) * 0.5
        while y < h:
            canvas[int(y):int(y) + 1] = fdark
            gap *= 1.25
            y += gap
    canvas += tex * _low_freq_noise(rng, h, w, max(4, int(16 * unit)))[...,
                                                                       None]
    # A skirting line between wall and floor.
    canvas[max(0, hz - 1):hz + 1] *= 0.6
    return np.clip(canvas, 0, 255).astype(np.uint8)


def background(cam: Camera, rng: np.random.Generator,
               img_size: Tuple[int, int]) -> np.ndarray:
    """Crop a background from a camera's canvas and add clutter.

    Args:
        cam (Camera): The camera (with its canvas).
        rng (np.random.Generator): The image's random generator.
        img_size (tuple[int, int]): Image (height, width).

    Returns:
        np.ndarray: A (height, width, 3) BGR uint8 image.
    """
    h, w = img_size
    ch, cw = cam.canvas.shape[:2]
    y0 = int(rng.integers(0, int(0.3 * h) + 1))
    x0 = int(rng.integers(0, cw - w + 1))
    img = cam.canvas[y0:y0 + h, x0:x0 + w].copy()
    # Clutter: poles, signs, bins and far-away people-sized blobs.
    for _ in range(int(rng.integers(0, 4))):
        if rng.random() < 0.5:
            color = CLOTH_PALETTE[int(rng.integers(len(CLOTH_PALETTE)))][::-1]
        else:
            color = _random_color(rng, (0.0, 0.8), (0.15, 0.95))
        color = tuple(int(c) for c in color)
        kind = rng.random()
        if kind < 0.4:  # a pole
            x = int(rng.integers(0, w))
            bw = max(1, int(rng.uniform(0.03, 0.1) * w))
            cv2.rectangle(img, (x, 0), (x + bw, h), color, -1)
        elif kind < 0.75:  # a sign or a box
            x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
            bw, bh = int(rng.uniform(0.1, 0.4) * w), int(
                rng.uniform(0.05, 0.2) * h)
            cv2.rectangle(img, (x, y), (x + bw, y + bh), color, -1)
        else:  # a blob
            c = (int(rng.integers(0, w)), int(rng.integers(0, h)))
            ax = (int(rng.uniform(0.05, 0.2) * w) + 1,
                  int(rng.uniform(0.05, 0.2) * h) + 1)
            cv2.ellipse(img, c, ax, 0, 0, 360, color, -1)
    return img


def apply_camera(img: np.ndarray, cam: Camera,
                 rng: np.random.Generator) -> np.ndarray:
    """Apply a camera's light, colour cast, blur and noise to an image.

    Args:
        img (np.ndarray): A BGR uint8 image (scene with the person).
        cam (Camera): The camera.
        rng (np.random.Generator): The image's random generator (for
            per-image jitter of brightness, blur and noise).

    Returns:
        np.ndarray: The BGR uint8 image as the camera sees it.
    """
    h, w = img.shape[:2]
    out = img.astype(np.float32)
    gain = np.asarray(cam.cast, np.float32) * (
        cam.brightness * rng.uniform(0.88, 1.12))
    light = cam.light + rng.uniform(-0.05, 0.05)
    ramp = 1.0 + light * np.linspace(-1, 1, w, dtype=np.float32)
    out *= ramp[None, :, None] * gain[None, None, :]
    out = (out - 128.0) * cam.contrast + 128.0
    sigma = (cam.blur + rng.uniform(-0.2, 0.3)) * h / 128.0
    if sigma > 0.25:
        out = cv2.GaussianBlur(out, (0, 0), sigma)
    th, tw = cam.noise_tile.shape[:2]
    y, x = int(rng.integers(0, th - h + 1)), int(rng.integers(0, tw - w + 1))
    out += cam.noise_tile[y:y + h, x:x + w] * np.float32(cam.noise)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)
