"""Match the actors of an export to the atlas's groups; give every other actor a group.

An actor matches a group when one of its name forms equals (case and spacing aside) one
of the group's id, short name, name or ``aliases``, or a form of those: ACLED's
``"JNIM: Group for Support of Islam and Muslims"`` is tried whole, then as ``JNIM`` and
as the name after the colon; ``"Military Forces of Mali (2021-)"`` also without its
years. Unmatched actors become groups of kind ``other`` with generated colours, spread
in CIELAB away from each other and from the groups' own colours. Everything here is
deterministic: the same file gives the same ids and colours.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.domain import Group
from dashboard.importers._columns import lookup

#: The kind of a group generated for an unmatched actor.
GENERATED_KIND = "other"
#: Ids of generated groups start with this.
ID_PREFIX = "actor-"
_YEARS = re.compile(r"\s*\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)")
_SHORT = 28
#: Colours generated groups are kept away from besides the groups' own: the page's
#: light background and black text.
_ALSO_AVOID = ("#ffffff", "#000000")


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def name_forms(name: str) -> list[str]:
    """The forms of a name that are tried in turn, as lookup keys (casefolded)."""
    plain = _YEARS.sub("", name).strip()
    forms = [name, plain]
    for form in (name, plain):
        head, colon, tail = form.partition(":")
        if colon and head.strip() and tail.strip():
            forms += [head, tail]
    keys: list[str] = []
    for form in forms:
        key = _key(form)
        if key and key not in keys:
            keys.append(key)
    return keys


def alias_index(groups: Mapping[str, Group]) -> dict[str, str]:
    """Lookup key -> group id, from every group's id, names and aliases and their forms.

    Exact names win over derived forms; among equals, the first group (file order) wins.
    """
    index: dict[str, str] = {}
    derived: dict[str, str] = {}
    for g in groups.values():
        for name in (g.id, g.short_name, g.name, *g.aliases):
            keys = name_forms(name)
            if keys:
                index.setdefault(keys[0], g.id)
            for key in keys[1:]:
                derived.setdefault(key, g.id)
    for key, gid in derived.items():
        index.setdefault(key, gid)
    return index


def match_actor(actor: str, index: Mapping[str, str]) -> str | None:
    """The id of the group an actor stands for, or None."""
    for key in name_forms(actor):
        if key in index:
            return index[key]
    return None


@dataclass(frozen=True)
class ActorGroups:
    """The group of every event's two actors, and how each actor name was resolved."""

    group1: pa.Array | pa.ChunkedArray
    group2: pa.Array | pa.ChunkedArray
    matched: dict[str, str]
    unmatched: dict[str, str]
    new_groups: tuple[Group, ...]


def assign_groups(
    actor1: pa.Array | pa.ChunkedArray,
    actor2: pa.Array | pa.ChunkedArray,
    groups: Mapping[str, Group] | None = None,
) -> ActorGroups:
    """Resolve every distinct actor once, then map the two actor columns to group ids.

    Unmatched actors get generated groups in order of frequency (most events first, then
    by name), so that the most frequent ones get the most distinct colours.
    """
    groups = groups or {}
    both = pa.chunked_array([*_chunks(actor1), *_chunks(actor2)], type=pa.string()).combine_chunks()
    counted = pc.value_counts(both) if len(both) else pa.array([], _COUNT_TYPE)
    names = counted.field("values").to_pylist()
    freq = counted.field("counts").to_pylist()
    ordered = [n for _, n in sorted(zip((-c for c in freq), names, strict=True)) if n]
    index = alias_index(groups)
    matched: dict[str, str] = {}
    pending: list[str] = []
    for name in ordered:
        gid = match_actor(name, index)
        if gid is None:
            pending.append(name)
        else:
            matched[name] = gid
    new_groups = make_groups(pending, taken=groups.keys(), avoid=[g.color for g in groups.values()])
    unmatched = {g.name: g.id for g in new_groups}
    mapping = {**matched, **unmatched, "": ""}
    return ActorGroups(
        group1=lookup(actor1, mapping),
        group2=lookup(actor2, mapping),
        matched=matched,
        unmatched=unmatched,
        new_groups=tuple(new_groups),
    )


_COUNT_TYPE = pa.struct([("values", pa.string()), ("counts", pa.int64())])


def _chunks(column: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    return column.chunks if isinstance(column, pa.ChunkedArray) else [column]


def make_groups(
    names: Iterable[str], *, taken: Iterable[str] = (), avoid: Iterable[str] = ()
) -> list[Group]:
    """Generated groups for actor names, in the order given (ids unique, colours spread)."""
    names = list(names)
    used = set(taken)
    colors = distinct_colors(len(names), avoid=[*avoid, *_ALSO_AVOID])
    out = []
    for name, color in zip(names, colors, strict=True):
        gid = _unique(slug(name), used)
        used.add(gid)
        out.append(
            Group(
                id=gid,
                name=name,
                short_name=short_name(name),
                kind=GENERATED_KIND,
                color=color,
                aliases=(name,),
                description="An actor of an imported file that matches no group of "
                "groups.csv; its colour was generated.",
            )
        )
    return out


def slug(name: str) -> str:
    """A group id for an actor name: ``actor-`` and its ASCII words joined by ``-``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if len(words) > 48:
        words = words[:48].rsplit("-", 1)[0]
    if not words:
        words = hashlib.sha1(name.encode()).hexdigest()[:8]
    return ID_PREFIX + words


def _unique(gid: str, used: set[str]) -> str:
    if gid not in used:
        return gid
    n = 2
    while f"{gid}-{n}" in used:
        n += 1
    return f"{gid}-{n}"


def short_name(name: str) -> str:
    """A label for the legend: ACLED's acronym before a colon, else the name sans years."""
    head, colon, tail = name.partition(":")
    short = head.strip() if colon and head.strip() and tail.strip() else _YEARS.sub("", name)
    short = " ".join(short.split())
    return short if len(short) <= _SHORT else short[: _SHORT - 1].rstrip() + "…"


# ---- colours -------------------------------------------------------------------------

_WHITE = np.array([0.95047, 1.0, 1.08883])  # D65
_TO_RGB = np.array(
    [
        [3.2404542, -1.5371385, -0.4985314],
        [-0.9692660, 1.8760108, 0.0415560],
        [0.0556434, -0.2040259, 1.0572252],
    ]
)


def _lab_to_rgb(lab: np.ndarray) -> np.ndarray:
    """Convert CIELAB (D65) to sRGB in 0..1 (outside it for colours out of gamut)."""
    fy = (lab[:, 0] + 16) / 116
    f = np.stack([fy + lab[:, 1] / 500, fy, fy - lab[:, 2] / 200], axis=1)
    delta = 6 / 29
    xyz = np.where(f > delta, f**3, 3 * delta**2 * (f - 4 / 29)) * _WHITE
    linear = xyz @ _TO_RGB.T
    return np.where(
        linear <= 0.0031308,
        12.92 * linear,
        1.055 * np.abs(linear) ** (1 / 2.4) * np.sign(linear) - 0.055,
    )


def _rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """Convert sRGB in 0..1 to CIELAB (D65)."""
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = linear @ np.linalg.inv(_TO_RGB).T / _WHITE
    delta = 6 / 29
    f = np.where(xyz > delta**3, np.cbrt(xyz), xyz / (3 * delta**2) + 4 / 29)
    return np.stack(
        [116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1
    )


def _hex_to_rgb(colors: Iterable[str]) -> np.ndarray:
    values = [[int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)] for c in colors]
    return np.array(values, dtype=float).reshape(-1, 3)


def _candidates() -> tuple[np.ndarray, list[str]]:
    """Colours in gamut on a CIELAB grid, light enough for dots and dark enough for text."""
    grid = np.array(
        [
            (L, a, b)
            for L in (38, 48, 58, 68, 78)
            for a in range(-80, 81, 8)
            for b in range(-80, 81, 8)
        ],
        dtype=float,
    )
    rgb = _lab_to_rgb(grid)
    inside = np.all((rgb >= 0) & (rgb <= 1), axis=1)
    rgb = np.clip(rgb[inside], 0, 1)
    hexes = ["#" + "".join(f"{round(v * 255):02x}" for v in row) for row in rgb]
    return _rgb_to_lab(_hex_to_rgb(hexes)), hexes


def distinct_colors(n: int, avoid: Iterable[str] = ()) -> list[str]:
    """``n`` colours (``#rrggbb``), each as far in CIELAB from the others and ``avoid``.

    Greedy farthest-point picking on a fixed grid, so the result is deterministic. Past
    the grid's size (several hundred colours, far beyond what eyes tell apart) the
    sequence repeats.
    """
    if n <= 0:
        return []
    lab, hexes = _candidates()
    avoid_lab = _rgb_to_lab(_hex_to_rgb(list(avoid)))
    nearest = np.full(len(lab), np.inf)
    for point in avoid_lab:
        nearest = np.minimum(nearest, np.linalg.norm(lab - point, axis=1))
    picked: list[int] = []
    for _ in range(min(n, len(lab))):
        i = int(np.argmax(nearest))
        picked.append(i)
        nearest = np.minimum(nearest, np.linalg.norm(lab - lab[i], axis=1))
        nearest[i] = -1.0
    return [hexes[picked[k % len(picked)]] for k in range(n)]
