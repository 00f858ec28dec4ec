"""How groups are told apart: colour differences (CIEDE2000) and the families of groups.

Pure (no Dash, no files). The palette test computes, over the data, every two groups that
appear together on the map and checks their colours with ``ciede2000``; the legend and
the situation panel show each group's family letter, a cue that does not rely on colour.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from dashboard.domain import ControlPeriod, Group


@dataclass(frozen=True)
class Family:
    """A family of groups, named in the legend, with the letter shown beside each group."""

    letter: str
    name: str


#: The families, in the legend's order, and the group kinds of each.
FAMILIES = {
    "state": Family("S", "state forces"),
    "foreign": Family("F", "foreign and international forces"),
    "rebel": Family("R", "rebels"),
    "militia": Family("M", "militias"),
    "jihadist": Family("J", "jihadists"),
}
FAMILY_OF_KIND = {
    "state": "state",
    "foreign-state": "foreign",
    "international": "foreign",
    "mercenary": "foreign",
    "rebel": "rebel",
    "militia": "militia",
    "jihadist": "jihadist",
}
#: The smallest CIEDE2000 difference between two groups that appear together.
MIN_DIFFERENCE = 20.0


def family_of(group: Group) -> Family:
    """The family of a group, from its kind (an unknown kind counts as a militia)."""
    return FAMILIES[FAMILY_OF_KIND.get(group.kind, "militia")]


def hex_to_lab(color: str) -> tuple[float, float, float]:
    """CIELAB (D65 white) of an sRGB colour ``#rrggbb``.

    Uses the sRGB transfer curve of IEC 61966-2-1 and the sRGB-to-XYZ matrix for D65.
    """
    rgb = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b
    white = (0.95047, 1.0, 1.08883)

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(v / w) for v, w in zip((x, y, z), white, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def ciede2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """The CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1).

    Follows equations (1)-(22) of Sharma, Wu and Dalal, "The CIEDE2000 color-difference
    formula: implementation notes, supplementary test data, and mathematical
    observations", Color Research and Application 30 (1), 2005.
    """
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0

    dl = l2 - l1
    dc = c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    elif h2p - h1p > 180:
        dh = h2p - h1p - 360
    else:
        dh = h2p - h1p + 360
    dh_big = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))

    l_mean = (l1 + l2) / 2
    cp_mean = (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_mean = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hp_mean = (h1p + h2p + 360) / 2
    else:
        hp_mean = (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hp_mean - 30))
        + 0.24 * math.cos(math.radians(2 * hp_mean))
        + 0.32 * math.cos(math.radians(3 * hp_mean + 6))
        - 0.20 * math.cos(math.radians(4 * hp_mean - 63))
    )
    d_theta = 30 * math.exp(-(((hp_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt(
        (dl / s_l) ** 2 + (dc / s_c) ** 2 + (dh_big / s_h) ** 2 + r_t * (dc / s_c) * (dh_big / s_h)
    )


def color_difference(color1: str, color2: str) -> float:
    """The CIEDE2000 difference of two sRGB colours ``#rrggbb``."""
    return ciede2000(hex_to_lab(color1), hex_to_lab(color2))


def groups_together(periods: Iterable[ControlPeriod]) -> set[tuple[str, str]]:
    """Every two groups that appear on the map together, as sorted id pairs.

    Two groups appear together when they share a town in one control period, or when
    each holds (or shares) a town on a same day: their markers are then on the map at
    once and a reader must tell them apart.
    """
    periods = list(periods)
    pairs: set[tuple[str, str]] = set()
    for p in periods:
        pairs.update(combinations(sorted(set(p.groups)), 2))
    for p, q in combinations(periods, 2):
        if _overlap(p, q):
            pairs.update(tuple(sorted((a, b))) for a in p.groups for b in q.groups if a != b)
    return pairs


def _overlap(p: ControlPeriod, q: ControlPeriod) -> bool:
    return (q.end is None or p.start < q.end) and (p.end is None or q.start < p.end)
