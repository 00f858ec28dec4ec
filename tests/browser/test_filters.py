"""Filters: picked in the page, drawn on the map, counted, kept in the link, checked."""

import re
from urllib.parse import quote, urlparse

import pytest

from tests.browser.conftest import PAGE_TIMEOUT_MS, Recorder
from tests.browser.helpers import go_to_search, open_day, shown_events, wait_for_day

# What the page holds for the events drawn now: their type's name, and the counts.
DRAWN_TYPES = """() => {
    const events = window.SahelAtlas.layer.state.data.events;
    return window.dash_clientside.sahelAtlas.shownEvents()
        .map(e => events.labels.type[events.type[e.i]]);
}"""
# The timeline's weekly bars, summed per event type (trace name).
WEEKLY_SUMS = """() => {
    const gd = document.querySelector('#timeline .js-plotly-plot');
    const out = {};
    gd.data.filter(t => t.orientation !== 'h')
        .forEach(t => { out[t.name] = Array.from(t.y).reduce((a, b) => a + b, 0); });
    return out;
}"""


def _count(page) -> str:
    return page.locator("#filter-count").inner_text()


def _wait_count(page, pattern: str) -> re.Match:
    page.wait_for_function(
        "(p) => new RegExp('^(?:' + p + ')$').test(document.querySelector('#filter-count')?.textContent || '')",
        arg=pattern,
    )
    return re.fullmatch(pattern, _count(page))


def test_sa801_a_type_filter_narrows_the_map_counts_and_holds_in_the_link(page, app_url, browser):
    open_day(page, app_url, "2013-01-11")
    every = int(_wait_count(page, r"(\d+) events").group(1))
    page.wait_for_function(
        "(n) => window.dash_clientside.sahelAtlas.shownEvents().length === n", arg=every
    )
    before = page.evaluate(DRAWN_TYPES)
    battles = before.count("Battles")
    assert 0 < battles < every, before
    weekly_before = page.evaluate(WEEKLY_SUMS)
    # pick "Battles" in the Filters block, as a person would
    page.click("#filter-types")
    page.get_by_role("option", name="Battles", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function("() => new URLSearchParams(location.search).get('types') === 'Battles'")
    _wait_count(page, rf"{battles} of {every} events")
    page.wait_for_function(
        "(n) => window.dash_clientside.sahelAtlas.shownEvents().length === n", arg=battles
    )
    assert set(page.evaluate(DRAWN_TYPES)) == {"Battles"}
    # the situation panel (server) follows, and the timeline's weekly bars re-count
    page.locator("#situation h3").get_by_text(f"({battles} of {every})").wait_for()
    page.wait_for_function(
        """() => {
            const gd = document.querySelector('#timeline .js-plotly-plot');
            return gd.data.filter(t => t.orientation !== 'h' && t.name !== 'Battles')
                .every(t => Array.from(t.y).every(v => v === 0));
        }"""
    )
    weekly = page.evaluate(WEEKLY_SUMS)
    assert weekly["Battles"] == weekly_before["Battles"] > 0
    assert sum(weekly_before.values()) > weekly["Battles"]
    filtered_url = page.url
    drawn = sorted(e["i"] for e in shown_events(page))
    # the filter was one history entry: Back shows every event again
    page.go_back()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('types')")
    _wait_count(page, rf"{every} events")
    page.locator("#situation h3").get_by_text(f"({every})").wait_for()
    assert page.locator("#filter-types").inner_text().strip() in ("", "all")
    # the link reopens the same view in a fresh browser context
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    fresh = context.new_page()
    fresh.set_default_timeout(PAGE_TIMEOUT_MS)
    recorder = Recorder(fresh)
    fresh.goto(filtered_url)
    wait_for_day(fresh, "2013-01-11")
    _wait_count(fresh, rf"{battles} of {every} events")
    fresh.wait_for_function(
        "(n) => window.dash_clientside.sahelAtlas.shownEvents().length === n", arg=battles
    )
    assert sorted(e["i"] for e in shown_events(fresh)) == drawn
    assert "Battles" in fresh.locator("#filter-types").inner_text()
    fresh.locator("#situation h3").get_by_text(f"({battles} of {every})").wait_for()
    assert fresh.locator("#view-notice").inner_text() == ""
    context.close()
    host = urlparse(app_url).hostname
    assert not recorder.foreign_requests(host) and not recorder.console, recorder.console


# hostile or malformed filter values, and the words the notice must then hold
HOSTILE = [
    ("types", "Picnics", "is not an event type"),
    ("types", "<script>alert(1)</script>", "is not an event type"),
    ("types", "<img src=x onerror=alert(1)>", "is not an event type"),
    ("groups", "javascript:alert(1)", "is not a group"),
    ("groups", "' OR 1=1 --", "is not a group"),
    ("groups", "x" * 300, "is not a group"),
    ("subtypes", "{{7*7}}", "is not an event sub-type"),
    ("countries", "Atlantis", "is not a country"),
    ("countries", "mali", "is not a country"),
    ("admin1", "../../etc/passwd", "is not a region"),
    ("min_fatalities", "-5", "is not a number of deaths"),
    ("min_fatalities", "abc", "is not a number of deaths"),
    ("min_fatalities", "1e3", "is not a number of deaths"),
    ("min_fatalities", "99999999", "is not a number of deaths"),
    ("min_fatalities", "<b>5</b>", "is not a number of deaths"),
    ("precision", "fuzzy", "is not “exact” or “all”"),
    ("precision", "EXACT", "is not “exact” or “all”"),
    ("precision", "${7*7}", "is not “exact” or “all”"),
]


def test_sa802_hostile_filter_parameters_are_ignored_with_a_notice(page, app_url):
    open_day(page, app_url, "2013-01-11")
    every = _wait_count(page, r"(\d+) events").group(0)
    for name, value, words in HOSTILE:
        go_to_search(page, f"?date=2013-01-11&{name}={quote(value, safe='')}")
        page.wait_for_function(
            """([shown, words]) => {
                const text = document.querySelector('#view-notice')?.textContent || '';
                return text.includes('“' + shown) && text.includes(words);
            }""",
            arg=[value[:40], words],
        )
        # the bad value filtered nothing
        assert _wait_count(page, r"(\d+) events").group(0) == every, (name, value)
    assert page.locator("#view-notice *").count() == 0
    assert page.evaluate("() => document.querySelectorAll('[onerror], img[src=x]').length") == 0
    # known and unknown values together: the known ones are kept, the others named
    go_to_search(page, "?date=2013-01-11&types=Battles,Picnics")
    page.locator("#view-notice").get_by_text("“Picnics” is not an event type").wait_for()
    _wait_count(page, r"\d+ of \d+ events")
    assert "Battles" in page.locator("#filter-types").inner_text()


def test_sa803_words_toll_and_precision_filters_from_the_ui(page, app_url):
    open_day(page, app_url, "2013-01-11")
    every = int(_wait_count(page, r"(\d+) events").group(1))
    # words in the notes: the server names the rows, the page draws only those
    rows = page.evaluate(
        """() => fetch('data/search?q=Konna').then(r => r.arrayBuffer())
            .then(b => Array.from(new Int32Array(b)))"""
    )
    page.fill("#filter-q", "Konna")
    page.press("#filter-q", "Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'Konna'")
    kept = int(_wait_count(page, rf"(\d+) of {every} events").group(1))
    assert 0 < kept < every
    page.wait_for_function(
        "(n) => window.dash_clientside.sahelAtlas.shownEvents().length === n", arg=kept
    )
    assert {e["i"] for e in shown_events(page)} <= set(rows)
    page.locator("#situation h3").get_by_text(f"({kept} of {every})").wait_for()
    # and at least 10 killed, exact place and day only: fewer again, all in the link
    page.fill("#filter-min-fatalities", "10")
    page.press("#filter-min-fatalities", "Enter")
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('min_fatalities') === '10'"
    )
    page.get_by_label("exact place and day only").check()
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('precision') === 'exact'"
    )
    fewer = int(_wait_count(page, rf"(\d+) of {every} events").group(1))
    assert fewer <= kept
    page.wait_for_function(
        """(n) => {
            const shown = window.dash_clientside.sahelAtlas.shownEvents();
            const events = window.SahelAtlas.layer.state.data.events;
            return shown.length === n && shown.every(e => e.precise && events.fatalities[e.i] >= 10);
        }""",
        arg=fewer,
    )
    # Clear filters: every event again, the controls emptied, the link short again
    page.click("#filter-clear")
    _wait_count(page, rf"{every} events")
    page.wait_for_function(
        "() => ['q', 'min_fatalities', 'precision'].every(k => !new URLSearchParams(location.search).has(k))"
    )
    assert page.input_value("#filter-q") == ""
    assert page.input_value("#filter-min-fatalities") == ""
    assert not page.get_by_label("exact place and day only").is_checked()


@pytest.mark.parametrize("page", [{"width": 390, "height": 844}], indirect=True, ids=["phone"])
def test_sa804_the_filters_fit_a_phone(page, app_url):
    open_day(page, app_url, "2013-01-11")
    _wait_count(page, r"\d+ events")
    width = page.viewport_size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    for control in ("#filter-groups", "#filter-types", "#filter-q", "#filter-clear"):
        box = page.locator(control).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, control
