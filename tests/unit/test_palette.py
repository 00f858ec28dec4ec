"""The palette: CIEDE2000 against its published data, and the shipped colours over the data."""

from datetime import date

import pytest

from dashboard.domain import GROUP_KINDS, ControlPeriod, Group
from dashboard.figures import FOCUS_FILL
from dashboard.palette import (
    FAMILIES,
    MIN_DIFFERENCE,
    ciede2000,
    color_difference,
    family_of,
    groups_together,
    hex_to_lab,
)

# The 34 pairs of Table 1 in Sharma, Wu and Dalal, Color Research and Application 30 (1),
# 2005 (also ciede2000testdata.txt on G. Sharma's CIEDE2000 page): L*a*b* 1, 2 and ΔE00.
SHARMA_2005 = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 3.1571, -77.2803), (50.0000, 0.0000, -82.7485), 2.8615),
    ((50.0000, 2.8361, -74.0200), (50.0000, 0.0000, -82.7485), 3.4412),
    ((50.0000, -1.3802, -84.2814), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -1.1848, -84.8006), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -0.9009, -85.5211), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, -1.0000, 2.0000), (50.0000, 0.0000, 0.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0010), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0011), 7.2195),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0012), 7.2195),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0009, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0010, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0011, -2.4900), 4.7461),
    ((50.0000, 2.5000, 0.0000), (50.0000, 0.0000, -2.5000), 4.3065),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((50.0000, 2.5000, 0.0000), (61.0000, -5.0000, 29.0000), 22.8977),
    ((50.0000, 2.5000, 0.0000), (56.0000, -27.0000, -3.0000), 31.9030),
    ((50.0000, 2.5000, 0.0000), (58.0000, 24.0000, 15.0000), 19.4535),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.1736, 0.5854), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2972, 0.0000), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 1.8634, 0.5757), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2592, 0.3350), 1.0000),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((61.2901, 3.7196, -5.3901), (61.4292, 2.2480, -4.9620), 1.8731),
    ((35.0831, -44.1164, 3.7933), (35.0232, -40.0716, 1.5901), 1.8645),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((36.4612, 47.8580, 18.3852), (36.2715, 50.5065, 21.2231), 1.4146),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
    ((6.7747, -0.2908, -2.4247), (5.8714, -0.0985, -2.2286), 0.6377),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA_2005)
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=5e-5)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=5e-5)


@pytest.mark.parametrize(
    ("color", "lab"),
    [
        ("#ffffff", (100.0, 0.0, 0.0)),
        ("#000000", (0.0, 0.0, 0.0)),
        ("#ff0000", (53.24, 80.09, 67.20)),
        ("#00ff00", (87.73, -86.18, 83.18)),
        ("#0000ff", (32.30, 79.19, -107.86)),
        ("#808080", (53.59, 0.0, 0.0)),
    ],
)
def test_srgb_to_lab(color, lab):
    assert hex_to_lab(color) == pytest.approx(lab, abs=0.01)


def _period(place, start, end, *groups, status="held"):
    return ControlPeriod(place, date(*start), end and date(*end), groups, status, "high", ())


def test_groups_appear_together_when_they_share_a_town_or_hold_towns_on_a_day():
    periods = [
        _period("gao", (2012, 1, 1), (2012, 6, 1), "a", "b", status="shared"),
        _period("kidal", (2012, 5, 1), (2012, 7, 1), "c"),
        _period("konna", (2012, 6, 1), None, "d"),  # starts the day Gao's period ends
        _period("menaka", (2013, 1, 1), (2013, 2, 1), "d", "e"),
    ]
    assert groups_together(periods) == {
        ("a", "b"),  # one town
        ("a", "c"),  # the same days, two towns
        ("b", "c"),
        ("c", "d"),
        ("d", "e"),  # coalition, and d with itself is no pair
    }


def test_every_two_groups_seen_together_have_clearly_different_colours(dataset):
    pairs = groups_together(dataset.periods)
    assert len(pairs) > 50  # the shipped data: 18 groups hold towns, 96 pairs meet
    close = sorted(
        (round(color_difference(dataset.groups[a].color, dataset.groups[b].color), 1), a, b)
        for a, b in pairs
        if color_difference(dataset.groups[a].color, dataset.groups[b].color) < MIN_DIFFERENCE
    )
    assert not close, f"colours too close (CIEDE2000 < {MIN_DIFFERENCE}): {close}"


def test_every_holder_stands_out_from_the_land_it_sits_on(dataset):
    holders = {g for p in dataset.periods for g in p.groups}
    faint = [
        g for g in holders if color_difference(dataset.groups[g].color, FOCUS_FILL) < MIN_DIFFERENCE
    ]
    assert not faint


def test_every_kind_of_group_has_a_family_with_its_own_letter():
    kinds = {kind: family_of(Group("x", "X", "X", kind, "#000000")) for kind in GROUP_KINDS}
    assert set(kinds.values()) == set(FAMILIES.values())
    assert len({f.letter for f in FAMILIES.values()}) == len(FAMILIES)
    assert kinds["jihadist"].letter == "J" and kinds["international"] == kinds["foreign-state"]
