"""Comparing two days: the towns that changed hands and the events between."""

from datetime import date

from dashboard.compare import comparison, make_comparison


def test_gao_and_timbuktu_change_hands_between_spring_and_autumn_2012(dataset):
    c = comparison(dataset, date(2012, 3, 1), date(2012, 8, 1))
    changed = {t.place: t for t in c.towns}
    assert {"gao", "timbuktu", "kidal"} <= set(changed)
    gao = changed["gao"]
    assert gao.before.groups == ("mali",)
    assert "mujao" in gao.after.groups
    assert [p.start for p in gao.steps][-1] == gao.after.start
    assert all(date(2012, 3, 1) < p.start <= date(2012, 8, 1) for p in gao.steps)


def test_the_order_of_the_days_does_not_matter(dataset):
    a = comparison(dataset, date(2012, 3, 1), date(2012, 8, 1))
    b = comparison(dataset, date(2012, 8, 1), date(2012, 3, 1))
    assert a == b


def test_the_events_between_are_counted_on_the_columns(dataset):
    first, last = date(2013, 1, 1), date(2013, 1, 31)
    c = comparison(dataset, first, last)
    shown = dataset.events_in(first, last)
    assert c.events == len(shown)
    assert c.fatalities == sum(e.fatalities or 0 for e in shown)
    assert sum(c.by_type.values()) == len(shown)
    assert c.by_type == {t: sum(e.event_type == t for e in shown) for t in c.by_type}
    assert sum(c.by_country.values()) == len(shown)
    for group, n in c.by_group.items():
        assert n == sum((e.group1 == group) + (e.group2 == group) for e in shown)


def test_the_same_day_changes_nothing(dataset):
    c = comparison(dataset, date(2013, 1, 11), date(2013, 1, 11))
    assert c.towns == ()


def test_the_section_names_the_towns_and_totals(dataset):
    text = str(make_comparison(dataset, date(2012, 3, 1), date(2012, 8, 1)))
    assert "Compared with 1 Mar 2012" in text
    assert "Gao" in text and "→" in text
    assert "By type" in text and "By group" in text and "By country" in text
