# Copyright (c) mmreid contributors. All rights reserved.
"""Sampling an identity's appearance for the demo dataset.

Every factor is drawn from a small palette shared by all identities, so any
single cue (upper colour, lower colour, pattern, hair, bag, ...) collides
across many ids; only their combination identifies a person. An identity
depends only on ``(seed, pid)`` (see :func:`identity_rng`), so adding ids
to a dataset does not change the existing ones.
"""
from dataclasses import asdict, dataclass
from typing import Optional, Tuple

import numpy as np

Color = Tuple[int, int, int]

# Colours are RGB here; the renderer converts them to BGR.
CLOTH_PALETTE: Tuple[Color, ...] = (
    (232, 232, 228),  # white
    (32, 32, 36),  # black
    (125, 125, 130),  # grey
    (196, 32, 40),  # red
    (34, 44, 112),  # navy
    (96, 156, 218),  # sky blue
    (40, 128, 62),  # green
    (228, 196, 44),  # yellow
    (226, 128, 168),  # pink
    (226, 118, 32),  # orange
    (108, 52, 138),  # purple
    (190, 168, 120),  # khaki
    (116, 78, 48),  # brown
    (52, 72, 120),  # denim
)
UPPER_COLORS: Tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
LOWER_COLORS: Tuple[int, ...] = (0, 1, 2, 4, 11, 12, 13, 13, 1)
SKIN_PALETTE = ((250, 214, 180), (232, 186, 146), (198, 146, 106),
                (148, 100, 68), (98, 64, 44))
HAIR_PALETTE = ((22, 20, 20), (64, 42, 26), (112, 74, 40), (214, 182, 112),
                (162, 160, 158), (150, 62, 30))
SHOE_PALETTE = ((24, 24, 26), (236, 236, 236), (110, 70, 40), (120, 120, 126),
                (190, 40, 40))
PATTERNS: Tuple[str, ...] = ('plain', 'hstripes', 'vstripes', 'checks', 'logo',
                             'back_print', 'two_tone')
PATTERN_PROBS: Tuple[float, ...] = (0.3, 0.16, 0.1, 0.1, 0.12, 0.1, 0.12)
BAGS: Tuple[str, ...] = ('none', 'backpack', 'shoulder', 'handbag')
BAG_PROBS: Tuple[float, ...] = (0.45, 0.25, 0.18, 0.12)
LOWER_TYPES: Tuple[str, ...] = ('trousers', 'shorts', 'skirt')
LOWER_PROBS: Tuple[float, ...] = (0.72, 0.16, 0.12)
HAIR_STYLES: Tuple[str, ...] = ('short', 'long', 'buzz')
HAIR_PROBS: Tuple[float, ...] = (0.55, 0.3, 0.15)


@dataclass
class Identity:
    """The appearance of one person.

    Colours are RGB tuples; ``*_index`` fields give palette indices so that
    shared factors can be counted.

    Args:
        height (float): Height relative to the camera's person scale.
        width (float): Body width scale.
        leg_ratio (float): Leg length scale.
        gait (float): Stride scale.
        skin (Color): Skin colour.
        hair_style (str): ``'short'``, ``'long'`` or ``'buzz'``.
        hair (Color): Hair colour.
        hat (Color, optional): Cap colour, or None.
        upper_index (int): Index of the upper colour in CLOTH_PALETTE.
        upper (Color): Upper-body clothing colour.
        long_sleeves (bool): Long or short sleeves.
        pattern (str): One of :data:`PATTERNS`.
        pattern_color (Color): Secondary colour of the pattern.
        pattern_period (float): Stripe period (units of height).
        lower_index (int): Index of the lower colour in CLOTH_PALETTE.
        lower (Color): Trousers/shorts/skirt colour.
        lower_type (str): One of :data:`LOWER_TYPES`.
        shoes (Color): Shoe colour.
        bag (str): One of :data:`BAGS`.
        bag_color (Color): Bag colour.
        bag_side (int): +1 (left) or -1 (right): shoulder bag or hand.
    """

    height: float
    width: float
    leg_ratio: float
    gait: float
    skin: Color
    hair_style: str
    hair: Color
    hat: Optional[Color]
    upper_index: int
    upper: Color
    long_sleeves: bool
    pattern: str
    pattern_color: Color
    pattern_period: float
    lower_index: int
    lower: Color
    lower_type: str
    shoes: Color
    bag: str
    bag_color: Color
    bag_side: int

    def to_dict(self) -> dict:
        """Return the identity as a plain dict (JSON-serialisable)."""
        return asdict(self)


def identity_rng(seed: int, pid: int, stream: int = 1) -> np.random.Generator:
    """The random generator of one identity.

    Args:
        seed (int): The dataset seed.
        pid (int): The person id (>= 0).
        stream (int): Separates independent uses (1 = appearance).

    Returns:
        np.random.Generator: Seeded from ``(seed, stream, pid)`` only.
    """
    return np.random.default_rng([int(seed), int(stream), int(pid)])


def _pick(rng: np.random.Generator, items, probs=None):
    """Pick one item of a sequence."""
    return items[int(rng.choice(len(items), p=probs))]


def sample_identity(rng: np.random.Generator) -> Identity:
    """Sample an identity's appearance.

    Args:
        rng (np.random.Generator): E.g. ``identity_rng(seed, pid)``.

    Returns:
        Identity: The sampled appearance.

    Examples:
        >>> a = sample_identity(identity_rng(0, 1))
        >>> b = sample_identity(identity_rng(0, 1))
        >>> a == b, a.pattern in PATTERNS
        (True, True)
    """
    upper_index = int(_pick(rng, UPPER_COLORS))
    lower_index = int(_pick(rng, LOWER_COLORS))
    pattern = _pick(rng, PATTERNS, PATTERN_PROBS)
    # The pattern's colour must contrast with the garment.
    choices = [
        i for i in range(len(CLOTH_PALETTE)) if i != upper_index
        and np.abs(np.subtract(CLOTH_PALETTE[i],
                               CLOTH_PALETTE[upper_index])).sum() > 150
    ]
    pattern_index = int(_pick(rng, choices))
    hair_style = _pick(rng, HAIR_STYLES, HAIR_PROBS)
    bag = _pick(rng, BAGS, BAG_PROBS)
    hat = _pick(rng, CLOTH_PALETTE) if rng.random() < 0.15 else None
    lower_type = _pick(rng, LOWER_TYPES, LOWER_PROBS)
    return Identity(
        height=float(rng.uniform(0.9, 1.04)),
        width=float(rng.uniform(0.82, 1.22)),
        leg_ratio=float(rng.uniform(0.94, 1.05)),
        gait=float(rng.uniform(0.8, 1.2)),
        skin=_pick(rng, SKIN_PALETTE),
        hair_style=hair_style,
        hair=_pick(rng, HAIR_PALETTE),
        hat=hat,
        upper_index=upper_index,
        upper=CLOTH_PALETTE[upper_index],
        long_sleeves=bool(rng.random() < 0.6),
        pattern=pattern,
        pattern_color=CLOTH_PALETTE[pattern_index],
        pattern_period=float(rng.uniform(0.035, 0.06)),
        lower_index=lower_index,
        lower=CLOTH_PALETTE[lower_index],
        lower_type=lower_type,
        shoes=_pick(rng, SHOE_PALETTE),
        bag=bag,
        bag_color=_pick(rng, CLOTH_PALETTE),
        bag_side=int(_pick(rng, (1, -1))))
