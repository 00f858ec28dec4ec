"""Sourcing: which publishers are primary outlets, and the shipped data's share of them."""

import pytest

from dashboard.domain import Source
from dashboard.sourcing import PRIMARY_TARGET, is_primary, primary_share, wikipedia_only
from tests.conftest import every_event


@pytest.mark.parametrize(
    ("publisher", "primary"),
    [
        ("Reuters", True),
        ("abamako.com (AFP)", True),
        ("AP (via Yahoo News)", True),
        ("Fraternité Matin (RFI)", True),
        ("UN OCHA", True),
        ("The Guardian", True),
        ("Wikipedia", False),
        ("WikiMili (Wikipedia mirror)", False),
        ("hadalzone (blog)", False),
        ("APAnews blog", False),
        ("Maliweb", False),
        ("Japan Times", False),
    ],
)
def test_primary_outlets_are_agencies_broadcasters_papers_of_record_and_the_un(publisher, primary):
    assert is_primary(publisher) is primary


def _sources():
    return {
        "r": Source("r", "t", "Reuters", None, "https://example.org/r"),
        "w": Source("w", "t", "Wikipedia", None, "https://example.org/w"),
        "m": Source("m", "t", "Maliweb", None, "https://example.org/m"),
    }


def test_primary_share_counts_records_citing_at_least_one_primary_outlet():
    records = [("r", "w"), ("w",), ("m",), ("m", "r")]
    assert primary_share(records, _sources()) == 0.5
    assert primary_share([], _sources()) == 0.0
    assert wikipedia_only(records, _sources()) == 1


def test_the_shipped_data_meets_the_primary_target(dataset):
    records = [e.sources for e in every_event(dataset)] + [p.sources for p in dataset.periods]
    assert primary_share(records, dataset.sources) >= PRIMARY_TARGET


def test_no_shipped_record_rests_on_wikipedia_alone(dataset):
    records = [e.sources for e in every_event(dataset)] + [p.sources for p in dataset.periods]
    assert wikipedia_only(records, dataset.sources) == 0
