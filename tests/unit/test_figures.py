from datetime import date

import pytest

from dashboard.domain import control_on, epoch_day
from dashboard.figures import (
    CONTESTED,
    CONTESTED_GAP,
    EVENT_TYPE_COLORS,
    TRACE_INDEX,
    TRACES,
    event_hover,
    event_size,
    make_map_figure,
    town_marker,
)
from dashboard.mapstyle import (
    GEO_PATHS,
    KEY_TOWN_SIZE,
    MAP_FONT,
    TOWN_SIZE,
    map_style,
)
from dashboard.payload import decode_events, encode_events, make_client_data
from dashboard.timeline import make_timeline_figure
from tests.conftest import every_event

D = date.fromisoformat


@pytest.fixture(scope="module")
def jan11(dataset):
    return make_map_figure(dataset, D("2013-01-11"))


def trace(fig, name):
    return fig.data[TRACE_INDEX[name]]


def test_traces_come_in_the_declared_order(jan11):
    # events and town markers are not traces: the browser draws them on its canvas
    assert [t.name for t in jan11.data] == list(TRACES) == ["town-hit"]
    assert all(t.type == "scattermap" for t in jan11.data)


def test_the_town_trace_only_takes_clicks(dataset, jan11):
    # transparent, on top of every layer, with no hover of Plotly's: the canvas draws the
    # towns and its tooltip speaks for them; a click gives the town's id to clickData
    hit = trace(jan11, "town-hit")
    assert hit.below == "" and hit.hoverinfo == "none"
    assert hit.marker.color == "rgba(0,0,0,0)"
    assert list(hit.customdata) == list(dataset.control_places)


def test_client_data_knows_where_the_town_markers_are_and_their_sizes(dataset, jan11):
    data = make_client_data(dataset)
    hit = trace(jan11, "town-hit")
    for k, town in enumerate(data["towns"]):
        assert town["id"] == hit.customdata[k]
        assert (town["lon"], town["lat"]) == (hit.lon[k], hit.lat[k])
        assert town["radius"] == hit.marker.size[k] / 2
        ring, gap, core = town["sizes"]
        assert ring > gap > core and ring == hit.marker.size[k]
    assert {t["radius"] for t in data["towns"]} == {KEY_TOWN_SIZE[0] / 2, TOWN_SIZE[0] / 2}


def look_on(town: dict, day: date) -> dict:
    """A town's look on ``day`` as the browser picks it (assets/atlas/marks.js periodOf)."""
    n = epoch_day(day)
    for p in town["periods"]:
        if p["start"] <= n and (p["end"] is None or n < p["end"]):
            return p
    return town["unknown"]


def test_map_needs_no_remote_host(dataset, jan11):
    style = jan11.layout.map.style
    assert style == map_style(dataset)
    assert style["glyphs"].startswith("/assets/glyphs/")
    urls = {src["data"] for src in style["sources"].values() if isinstance(src["data"], str)}
    assert urls == {"/" + path for path in GEO_PATHS.values()}
    assert all(
        layer.get("layout", {}).get("text-font", [MAP_FONT]) == [MAP_FONT]
        for layer in style["layers"]
    )
    assert not jan11.layout.map.layers
    for t in jan11.data:
        if t.mode and "text" in t.mode:
            assert t.textfont.family == MAP_FONT
    assert jan11.layout.uirevision


def test_map_under_a_url_prefix_asks_only_below_it(dataset):
    fig = make_map_figure(dataset, D("2013-01-11"), "/sahel/")
    style = fig.layout.map.style
    assert style["glyphs"] == "/sahel/assets/glyphs/{fontstack}/{range}.pbf"
    urls = [src["data"] for src in style["sources"].values() if isinstance(src["data"], str)]
    assert urls and all(url.startswith("/sahel/geo/") for url in urls)


def test_town_markers_wear_their_holders_colours(dataset):
    towns = {t["id"]: t for t in make_client_data(dataset)["towns"]}
    day = D("2013-01-11")
    unknown = set()
    for place_id, town in towns.items():
        look = look_on(town, day)
        period = control_on(dataset.periods, place_id, day)
        if period is None:
            assert look["lines"][1] == "control unknown"
            unknown.add(place_id)
            continue
        assert look["core"] == dataset.groups[period.groups[0]].color
        if period.status == "contested":
            assert look["ring"] == CONTESTED
            assert look["gap"] == CONTESTED_GAP  # a double ring
        else:
            assert look["gap"] == look["ring"]  # one ring
    gao = look_on(towns["gao"], day)
    assert gao["core"] == dataset.groups["mujao"].color
    assert gao["lines"][0] == "Gao — MUJAO + AQIM since 28 Jun 2012"
    assert "<b>Gao — MUJAO + AQIM since 28 Jun 2012</b>" in gao["hover"]
    assert gao["lines"][1].startswith("confidence high")
    assert unknown == {"anefis", "hombori"}
    # contested on 11 Jan 2013 (their first sourced periods start later)
    assert look_on(towns["konna"], day)["gap"] == CONTESTED_GAP
    labels = [
        f["properties"]["name"] for f in map_style(dataset)["sources"]["labels"]["data"]["features"]
    ]
    assert "Gao" in labels and "MALI" in labels and "Niger" not in labels


def test_a_town_s_hover_is_text_escaped_for_plotly(dataset):
    place = dataset.places["gao"]
    marker = town_marker(dataset, None, "<img src=x onerror=alert(1)>")
    assert marker.lines[0] == "<img src=x onerror=alert(1)>"  # the browser sets it as text
    assert "<img" not in marker.hover and "&lt;img" in marker.hover
    assert place.name == "Gao"


def test_shared_town_shows_second_group_as_ring(dataset):
    gao = look_on(
        next(t for t in make_client_data(dataset)["towns"] if t["id"] == "gao"), D("2012-05-01")
    )
    assert gao["core"] == dataset.groups["mnla"].color
    assert gao["ring"] == dataset.groups["mujao"].color


def test_unknown_toll_is_drawn_unlike_zero():
    assert event_size(None) != event_size(0)
    assert event_size(0) < event_size(10) < event_size(1000) <= 34


def test_event_hover_names_groups_and_marks_unknown_tolls(dataset):
    unknown = next(e for e in every_event(dataset) if e.fatalities is None)
    text = event_hover(dataset, unknown)
    assert "Fatalities: unknown" in text
    konna = next(e for e in every_event(dataset) if e.event_id == "ML3-0001")
    assert "Ansar Dine vs FAMa" in event_hover(dataset, konna)


def test_town_marker_for_unknown_control(dataset):
    marker = town_marker(dataset, None, "Somewhere")
    assert "control unknown" in marker.hover


def test_client_data_matches_the_figure(dataset):
    data = make_client_data(dataset)
    assert data["traces"] == TRACE_INDEX
    assert data["range"][0] <= epoch_day(D("2011-01-01"))
    gao = next(t for t in data["towns"] if t["id"] == "gao")
    assert gao["periods"][0]["core"] == dataset.groups["mali"].color
    assert data["changes"] == sorted(data["changes"])
    assert data["eventCount"] == len(dataset.events)
    assert data["typeColors"]["Battles"] == EVENT_TYPE_COLORS["Battles"]
    # the events are not in the JSON: they travel as binary columns
    assert "events" not in data and data["eventsUrl"].startswith("data/events.bin")


def test_event_columns_round_trip_in_store_order(dataset, events):
    columns, labels = decode_events(encode_events(dataset.events))
    assert len(columns["start"]) == len(dataset.events) == len(events)
    assert list(columns["start"]) == sorted(columns["start"])
    for i, e in enumerate(events):
        assert columns["start"][i] == epoch_day(e.event_date)
        assert columns["last"][i] == epoch_day(e.last_day)
        assert abs(columns["lat"][i] - e.latitude) < 1e-4
        assert columns["fatalities"][i] == (-1 if e.fatalities is None else e.fatalities)
        assert labels["type"][columns["type"][i]] == e.event_type
        assert labels["subtype"][columns["subtype"][i]] == e.sub_event_type
        assert labels["group"][columns["group1"][i]] == e.group1
        assert labels["country"][columns["country"][i]] == e.country
        assert columns["geo"][i] == e.geo_precision


def test_event_columns_are_aligned_for_typed_arrays(dataset):
    import json
    import struct

    body = encode_events(dataset.events)
    assert body[:4] == b"SAEV"
    _, length = struct.unpack("<II", body[4:12])
    header = json.loads(body[12 : 12 + length])
    assert all(c["offset"] % 8 == 0 for c in header["columns"])
    assert header["count"] == len(dataset.events)
    with pytest.raises(ValueError):
        decode_events(b"nope" + body[4:])


def test_timeline_has_a_bar_per_period_and_weekly_counts(dataset):
    fig = make_timeline_figure(dataset)
    bars = [t for t in fig.data if t.orientation == "h"]
    assert sum(len(t.y) for t in bars) == len(dataset.periods)
    for t in bars:
        group = next(g for g in dataset.groups.values() if g.short_name == t.name)
        assert t.marker.color == group.color
    weekly = [t for t in fig.data if t.orientation != "h"]
    assert sum(sum(t.y) for t in weekly) == len(dataset.events)
    # a week's bar jumps to its Sunday, so that the 30-day window shows the whole week
    battles = next(t for t in weekly if t.name == "Battles")
    k = battles.customdata.index("2013-01-13")
    assert battles.hovertext[k].startswith("Week of 7 Jan 2013: ")
    assert all(D(day).weekday() == 6 for t in weekly for day in t.customdata)


def test_event_hover_escapes_what_the_data_says(dataset):
    from dataclasses import replace

    konna = next(e for e in every_event(dataset) if e.event_id == "ML3-0001")
    tricky = replace(konna, location="<img src=x onerror=alert(1)>", notes="a < b & c")
    text = event_hover(dataset, tricky)
    assert "<img" not in text and "&lt;img" in text
    assert "a &lt; b &amp; c" in text
