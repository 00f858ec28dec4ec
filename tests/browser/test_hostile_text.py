"""Text from the data is text everywhere: a data folder (and an imported ACLED export) whose
every text field holds markup and script is shown, hovered and opened in a real browser,
and nothing runs and nothing is injected."""

import csv
import shutil
from urllib.parse import urlparse

import pytest

from dashboard.data import GEODATA
from tests.browser.conftest import Recorder, serve
from tests.browser.helpers import click_map_at, click_timeline_bar, wait_for_day

#: What each text field holds: a script, an image whose error runs script, a link to
#: another site and a javascript: URL; each would set window.__pwned if it ran.
HOSTILE = (
    '<script>window.__pwned="script"</script>'
    "<img src=x onerror=\"window.__pwned='img'\">"
    '<a href="https://evil.example">evil</a> javascript:window.__pwned="js"'
)
DAY = "2013-01-10"


def _named(what: str) -> str:
    return f"{what} {HOSTILE}"


def _write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory):
    """A data folder of two towns, one event and one moment, every text field hostile."""
    root = tmp_path_factory.mktemp("hostile")
    shutil.copy(GEODATA / "countries.geojson", root)
    _write(
        root / "sources.csv",
        ["id", "title", "publisher", "published", "url"],
        [
            ["s-1", _named("Title"), _named("Publisher"), "2013-01-10", "https://127.0.0.1/a"],
            # a URL with markup in it stays an attribute: React sets it as text
            ["s-2", _named("Title 2"), _named("Wire"), "", 'https://127.0.0.1/"><b>x</b>'],
            # refused when loading (not http(s)); the problem is listed at the top, as text
            ["s-3", _named("Title 3"), _named("Blog"), "", "javascript:window.__pwned='url'"],
        ],
    )
    _write(
        root / "groups.csv",
        ["id", "name", "short_name", "kind", "color", "aliases", "description"],
        [
            ["g-a", _named("Group A"), _named("GA"), "rebel", "#d55e00", "", _named("About A")],
            ["g-b", _named("Group B"), _named("GB"), "state", "#0072b2", "", _named("About B")],
        ],
    )
    _write(
        root / "places.csv",
        ["id", "name", "name_fr", "lat", "lon", "country_iso3", "kind", "source"],
        [
            ["gao", _named("Gao"), _named("Gao fr"), "16.2667", "-0.05", "MLI", "city", "s-1"],
            ["timbuktu", _named("Timbuktu"), "", "16.7735", "-3.0074", "MLI", "city", "s-1"],
        ],
    )
    _write(
        root / "control.csv",
        ["place", "start", "end", "groups", "status", "confidence", "sources", "note"],
        [
            ["gao", "2012-01-01", "2013-01-05", "g-b", "held", "high", "s-1", _named("Note")],
            ["gao", "2013-01-05", "", "g-a", "held", "high", "s-1;s-2", _named("Note 2")],
            ["timbuktu", "2012-01-01", "", "g-a;g-b", "shared", "low", "s-2", _named("Note 3")],
        ],
    )
    header = [
        "event_id", "event_date", "end_date", "event_type", "sub_event_type", "actor1",
        "actor2", "country", "admin1", "location", "latitude", "longitude", "geo_precision",
        "fatalities", "notes", "sources",
    ]  # fmt: skip
    _write(
        root / "events.csv",
        header,
        [
            [
                "E1", DAY, "", "Battles", "Armed clash", _named("Actor one"), _named("Actor two"),
                "Mali", _named("Admin"), _named("Place"), "14.5", "-4.5", "1", "", _named("Notes"),
                "s-1;s-2",
            ]
        ],
    )  # fmt: skip
    _write(
        root / "moments.csv",
        ["id", "date", "title", "caption", "lat", "lon", "zoom", "window", "events", "sources"],
        [["m-1", DAY, _named("Title"), _named("Caption"), "16.2", "-0.05", "6", "30", "E1", "s-1"]],
    )
    # an analyst's ACLED export: event types and sub-types are free text there
    with open(GEODATA.parent / "tests/fixtures/import/acled_current.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    row = {
        **rows[0],
        "event_id_cnty": "HOSTILE1",
        "event_date": "2013-01-09",
        "latitude": "14.8",
        "longitude": "-1.5",
    }
    for name in ("event_type", "sub_event_type", "actor1", "actor2", "admin1", "location"):
        row[name] = _named(name)
    row["notes"], row["source"] = _named("ACLED notes"), _named("ACLED source")
    _write(root / "acled.csv", list(row), [list(row.values())])
    return root


@pytest.fixture(scope="module")
def hostile_url(hostile_folder, tmp_path_factory):
    cache = tmp_path_factory.mktemp("hostile-cache")
    args = ["app.py", "--data", str(hostile_folder), "--events", str(hostile_folder / "acled.csv")]
    proc, url = serve([*args, "--cache", str(cache)])
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def hostile_page(browser, hostile_url):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.recorder = Recorder(page)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_default_timeout(60_000)  # a cold page on a busy machine: conditions, not sleeps
    yield page
    foreign = page.recorder.foreign_requests(urlparse(hostile_url).hostname)
    console = list(page.recorder.console)
    context.close()
    assert not dialogs, f"a dialog opened: {dialogs}"
    assert not foreign, f"requests left the host: {foreign}"
    assert not console, f"console errors or warnings: {console}"


# Every element or link the payloads would have made, anywhere in the page (SVG included).
INJECTED = """() => {
    const found = [];
    for (const el of document.querySelectorAll('*')) {
        for (const attr of el.attributes) {
            const name = attr.name.toLowerCase(), value = attr.value.trim().toLowerCase();
            const link = name === 'href' || name.endsWith(':href') || name === 'src';
            if (link && (value.startsWith('javascript:') || value.includes('evil.example') || value === 'x')) {
                found.push(`<${el.tagName} ${attr.name}="${attr.value}">`);
            }
            if (name.startsWith('on') && value.includes('pwned')) {
                found.push(`<${el.tagName} ${attr.name}>`);
            }
        }
        if (el.tagName === 'SCRIPT' && el.textContent.includes('pwned')) found.push('<script>');
    }
    const links = [...document.querySelectorAll('a[href]')]
        .map(a => new URL(a.href, location.href).protocol)
        .filter(p => p !== 'http:' && p !== 'https:');
    return {found, links, pwned: window.__pwned === undefined ? null : String(window.__pwned)};
}"""


def _nothing_ran_nor_was_injected(page, where: str) -> None:
    seen = page.evaluate(INJECTED)
    assert seen == {"found": [], "links": [], "pwned": None}, (where, seen)


def _shows_as_text(page, selector: str, what: str) -> None:
    """``what`` and its payload are shown as the characters they are made of, in ``selector``."""
    text = what if "pwned" in what else f"{what} <script>window.__pwned"
    page.wait_for_function(
        "([sel, text]) => [...document.querySelectorAll(sel)].some(e => e.textContent.includes(text))",
        arg=[selector, text],
    )


def test_sa701_hostile_text_is_shown_as_text_and_nothing_runs(hostile_page, hostile_url):
    page = hostile_page
    page.goto(f"{hostile_url}/?date={DAY}")
    wait_for_day(page, DAY)
    # the situation panel, the legend and the list of data problems show it as text
    _shows_as_text(page, "#situation", "Gao")
    _shows_as_text(page, "#legend", "GA")
    _shows_as_text(page, "#legend", "event_type")
    _shows_as_text(page, ".data-problems", "javascript:window.__pwned='url'")
    # the timeline's labels (Plotly's SVG reads a subset of HTML in them)
    page.locator("#timeline").scroll_into_view_if_needed()
    _shows_as_text(page, "#timeline .ytick", "Timbuktu")
    _nothing_ran_nor_was_injected(page, "page")
    # a town: its tooltip on the map (the canvas's, as text), then its record
    page.locator("#map").scroll_into_view_if_needed()
    click_map_at(page, "gao")
    _shows_as_text(page, "#map-tooltip", "Gao")
    _shows_as_text(page, "#event-detail", "Note 2")
    _nothing_ran_nor_was_injected(page, "town hover and record")
    # an event of the canvas layer: its tooltip, then its record
    click_map_at(page, "E1", event=True)
    # its place and actors (its note is wrapped at words, a line break between them)
    _shows_as_text(page, "#map-tooltip", 'Place <script>window.__pwned="script"</script>')
    _shows_as_text(page, "#map-tooltip", "Actor one <script>window.__pwned")
    _shows_as_text(page, "#event-detail", "Actor one")
    _nothing_ran_nor_was_injected(page, "event tooltip and record")
    click_map_at(page, "HOSTILE1", event=True)
    _shows_as_text(page, "#map-tooltip", "event_type")
    _shows_as_text(page, "#event-detail", "ACLED source")
    _nothing_ran_nor_was_injected(page, "imported event")
    # a bar of the timeline: its hover
    click_timeline_bar(page, "2013-01-05")
    _shows_as_text(page, "#timeline .hoverlayer", "Gao")
    _nothing_ran_nor_was_injected(page, "timeline hover")


def test_sa702_presenter_captions_are_text(hostile_page, hostile_url):
    page = hostile_page
    page.goto(f"{hostile_url}/?date={DAY}&present=1")
    page.locator("#presenter").wait_for(state="visible")
    _shows_as_text(page, "#presenter", "Title")
    _shows_as_text(page, "#presenter", "Caption")
    _nothing_ran_nor_was_injected(page, "presenter")
