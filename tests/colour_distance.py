"""How different two colours look: CIEDE2000 colour difference, also under colour blindness.

``delta_e`` converts sRGB hex colours to CIELAB (D65 white) and returns the
CIEDE2000 difference (Sharma, Wu and Dalal 2005); about 2 is just noticeable,
above 10 two colours are told apart at a glance. With *vision* the colours are
first seen as a person with protanopia, deuteranopia or tritanopia would see
them (Machado, Oliveira and Fernandes 2009, full severity, in linear RGB).
``hue_chroma_distance`` leaves lightness out: a low value means one colour is a
lighter or darker version of the other, which a legend swatch does not show well.
"""

from __future__ import annotations

import math

from matplotlib.colors import to_rgb

Lab = tuple[float, float, float]

# Machado et al. (2009), severity 1.0: linear RGB as the dichromat sees it.
_SIMULATION = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
VISIONS: tuple[str, ...] = tuple(_SIMULATION)
# sRGB (linear) to XYZ, and the D65 white point.
_TO_XYZ = (
    (0.4124564, 0.3575761, 0.1804375),
    (0.2126729, 0.7151522, 0.0721750),
    (0.0193339, 0.1191920, 0.9503041),
)
_WHITE = (0.95047, 1.0, 1.08883)


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _times(matrix: tuple[tuple[float, ...], ...], v: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(sum(m * x for m, x in zip(row, v, strict=True)) for row in matrix)


def _f(t: float) -> float:
    d = 6 / 29
    return t ** (1 / 3) if t > d**3 else t / (3 * d * d) + 4 / 29


def lab(colour: str, vision: str | None = None) -> Lab:
    """*colour* (``#RRGGBB``) in CIELAB, as seen with *vision* (None: normal vision)."""
    rgb = tuple(_linear(c) for c in to_rgb(colour))
    if vision is not None:
        rgb = tuple(min(1.0, max(0.0, c)) for c in _times(_SIMULATION[vision], rgb))
    x, y, z = (_f(c / w) for c, w in zip(_times(_TO_XYZ, rgb), _WHITE, strict=True))
    return 116 * y - 16, 500 * (x - y), 200 * (y - z)


def ciede2000(one: Lab, two: Lab) -> float:
    """The CIEDE2000 difference of two CIELAB colours."""
    (l1, a1, b1), (l2, a2, b2) = one, two
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2)) % 360 if c2 else 0.0
    dh = 0.0
    if c1 * c2:
        dh = h2 - h1
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    d_hue = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if not c1 * c2:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    rotation = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(c_mean**7 / (c_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * c_mean
    s_h = 1 + 0.015 * c_mean * t
    r_t = -math.sin(math.radians(2 * rotation)) * r_c
    dl, dc, dhh = (l2 - l1) / s_l, (c2 - c1) / s_c, d_hue / s_h
    return math.sqrt(dl**2 + dc**2 + dhh**2 + r_t * dc * dhh)


def delta_e(one: str, two: str, *, vision: str | None = None) -> float:
    """CIEDE2000 difference of two hex colours, as seen with *vision* (None: normal)."""
    return ciede2000(lab(one, vision), lab(two, vision))


def hue_chroma_distance(one: str, two: str) -> float:
    """CIEDE2000 difference of two hex colours with their lightness made equal."""
    (_, a1, b1), (_, a2, b2) = lab(one), lab(two)
    return ciede2000((50.0, a1, b1), (50.0, a2, b2))
