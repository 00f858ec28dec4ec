"""The app's own routes, through Flask's test client (no browser)."""

import gzip
import json

import pytest

from dashboard.server import create_app


@pytest.fixture(scope="module")
def root_client():
    return create_app(strict=True).server.test_client()


def test_borders_and_events_are_served_once_and_cacheable(root_client):
    geo = root_client.get("/geo/countries.geojson")
    assert geo.status_code == 200 and geo.mimetype == "application/geo+json"
    assert json.loads(geo.data)["type"] == "FeatureCollection"
    again = root_client.get(
        "/geo/countries.geojson", headers={"If-None-Match": geo.headers["ETag"]}
    )
    assert again.status_code == 304
    assert root_client.get("/geo/nothing.geojson").status_code == 404
    data = root_client.get("/data/atlas.json")
    assert data.status_code == 200
    url = json.loads(data.data)["eventsUrl"]
    plain = root_client.get(url)
    assert plain.status_code == 200 and plain.data[:4] == b"SAEV"
    assert "immutable" in plain.headers["Cache-Control"]
    packed = root_client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data)
    # an older data set's columns are gone: the page must reload, not mix two
    assert root_client.get("/data/events.bin?v=0000").status_code == 404


def test_an_event_hover_text_is_served_on_demand(root_client):
    hover = root_client.get("/data/event-hover?id=ML1-0048")
    assert hover.status_code == 200
    body = hover.json
    assert body["id"] == "ML1-0048"
    assert "Bamako" in body["hover"] and "Fatalities: unknown" in body["hover"]
    by_index = root_client.get(f"/data/event-hover?i={body['i']}").json
    assert by_index == body
    for bad in ("id=nope", "i=-1", "i=abc", "i=99999999", "i=", ""):
        assert root_client.get(f"/data/event-hover?{bad}").status_code == 404, bad


def test_the_app_can_live_under_a_path(monkeypatch):
    # e.g. https://example.org/sahel/ behind a proxy; Dash reads the prefix from the env
    monkeypatch.setenv("DASH_URL_BASE_PATHNAME", "/sahel/")
    client = create_app(strict=True).server.test_client()
    for path in (
        "/sahel/",
        "/sahel/geo/countries.geojson",
        "/sahel/data/atlas.json",
        "/sahel/data/event-hover?id=ML1-0048",
    ):
        assert client.get(path).status_code == 200, path
    assert client.get("/geo/countries.geojson").status_code == 404
    layout = json.dumps(client.get("/sahel/_dash-layout").json)  # Dash escapes "/" as \u002f
    assert "/sahel/data/atlas.json" in layout and '"/data/atlas.json"' not in layout
    assert "/sahel/geo/countries.geojson" in layout
    assert "/sahel/data/event-hover" in layout
    assert "/sahel/assets/glyphs/" in layout


def test_the_page_says_its_language(root_client):
    page = root_client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page


def test_every_server_callback_answers_the_situation_day(root_client):
    """The situation panel and the legend both follow situation-day: each answers 200."""
    import json as _json

    from dashboard import ids

    for output in (f"{ids.SITUATION}.children", f"{ids.LEGEND_GROUPS}.children"):
        body = {
            "output": output,
            "outputs": {"id": output.split(".")[0], "property": "children"},
            "inputs": [
                {
                    "id": ids.SITUATION_DAY,
                    "property": "data",
                    "value": {"day": 15716, "window": 30, "filters": None, "compare": 15400},
                }
            ],
            "changedPropIds": [f"{ids.SITUATION_DAY}.data"],
            "state": [],
        }
        reply = root_client.post(
            "/_dash-update-component", data=_json.dumps(body), content_type="application/json"
        )
        assert reply.status_code == 200, (output, reply.data[:300])


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("?date=2013-01-11&event=ML1-0048", "Bamako"),
        ("?place=konna", "Control of Konna"),
        ("?event=%3Cscript%3Ealert(1)%3C/script%3E", "which is not in this data"),
        ("?place=atlantis", "atlantis"),
        ("?date=2013-01-11", "Click an event on the map"),
    ],
)
def test_a_link_reopens_its_selection(root_client, search, expected):
    import json as _json

    from dashboard import ids

    body = {
        "output": f"{ids.EVENT_DETAIL}.children",
        "outputs": {"id": ids.EVENT_DETAIL, "property": "children"},
        "inputs": [
            {"id": ids.MAP, "property": "clickData", "value": None},
            {"id": ids.EVENT_CLICK, "property": "data", "value": None},
            {"id": ids.URL, "property": "search", "value": search},
        ],
        "changedPropIds": [f"{ids.URL}.search"],
        "state": [],
    }
    reply = root_client.post(
        "/_dash-update-component", data=_json.dumps(body), content_type="application/json"
    )
    assert reply.status_code == 200
    text = reply.get_data(as_text=True)
    assert expected in text
    assert "<script>" not in text  # a hostile id stays text (JSON-escaped, never markup)
