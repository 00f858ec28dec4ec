"""Malformed callback requests: refused with a 400 or answered, never a 500 (Hypothesis)."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.callback_guard import envelope_problem
from dashboard.server import create_app

UPDATE = "/_dash-update-component"
SITUATION = {
    "output": "situation.children",
    "outputs": {"id": "situation", "property": "children"},
    "inputs": [{"id": "situation-day", "property": "data", "value": {"day": 15000}}],
    "changedPropIds": ["situation-day.data"],
    "state": [],
}
DETAIL = {
    "output": "event-detail.children",
    "outputs": {"id": "event-detail", "property": "children"},
    "inputs": [
        {"id": "map", "property": "clickData", "value": None},
        {"id": "event-click", "property": "data", "value": {"i": 0}},
        {"id": "url", "property": "search", "value": "?date=2013-01-11"},
    ],
    "changedPropIds": ["event-click.data"],
    "state": [],
}
# Everything JSON can carry, NaN and infinities included (Python's parser takes them).
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["gao", "timbuktu", "ML1-0048", "2013-01-11", "", "__proto__"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
# Values shaped like what the page sends, with the wrong things inside.
SHAPED = (
    st.fixed_dictionaries({"day": JSON}, optional={"window": JSON})
    | st.fixed_dictionaries({"i": JSON}, optional={"at": JSON})
    | st.fixed_dictionaries(
        {
            "points": st.lists(
                st.dictionaries(st.sampled_from(["customdata", "lat", "pointIndex"]), JSON),
                max_size=3,
            )
            | JSON
        }
    )
)
tried = {"bodies": 0, "statuses": {}}


@pytest.fixture(scope="module")
def app(request):
    yield create_app(strict=True)
    # how many bodies the fuzzing posted and what came back, printed with the results
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\ncallback fuzz: {tried['bodies']} bodies posted, statuses {tried['statuses']}")


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def _post(client, body) -> int:
    raw = body if isinstance(body, bytes) else json.dumps(body)
    status = client.post(UPDATE, data=raw, content_type="application/json").status_code
    tried["bodies"] += 1
    tried["statuses"][status] = tried["statuses"].get(status, 0) + 1
    return status


def test_well_formed_requests_are_answered(client):
    assert _post(client, SITUATION) == 200
    assert _post(client, DETAIL) == 200


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"output": "nope.children"}, "no server callback"),
        ({"output": "..selected-day.data...date-slider.value.."}, "no server callback"),
        ({"outputs": [{"id": "situation", "property": "children"}]}, "outputs"),
        ({"outputs": {"id": "map", "property": "children"}}, "outputs"),
        ({"inputs": []}, "inputs"),
        ({"inputs": [{"id": "situation-day", "property": "style", "value": 1}]}, "inputs"),
        ({"inputs": ["situation-day.data"]}, "inputs"),
        ({"state": [{"id": "url", "property": "search"}]}, "state"),
        ({"changedPropIds": "situation-day.data"}, "changedPropIds"),
        ({"changedPropIds": [["situation-day.data"]]}, "changedPropIds"),
    ],
)
def test_a_malformed_envelope_is_named(app, client, change, reason):
    body = {**SITUATION, **change}
    assert reason in envelope_problem(body, app.callback_map)
    assert _post(client, body) == 400


def test_a_well_formed_envelope_has_no_problem(app):
    assert envelope_problem(SITUATION, app.callback_map) is None
    assert envelope_problem(DETAIL, app.callback_map) is None


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"null",
        b"[]",
        b"{}",
        b"{bad",
        b'"text"',
        b"NaN",
        b"1e999",
        b"[" * 5000,
        b"[" * 50000 + b"]" * 50000,
    ],
)
def test_a_body_that_is_no_request_is_a_400(client, raw):
    assert _post(client, raw) == 400


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    callback=st.sampled_from([SITUATION, DETAIL]),
    values=st.lists(SHAPED | JSON, min_size=2, max_size=2),
    changed=st.lists(
        st.sampled_from(
            ["situation-day.data", "map.clickData", "event-click.data", "url.search", "x.y"]
        ),
        max_size=2,
    ),
)
def test_no_callback_answers_500_whatever_its_inputs_hold(client, callback, values, changed):
    body = json.loads(json.dumps(callback))
    for item, value in zip(body["inputs"], values, strict=False):
        item["value"] = value
    body["changedPropIds"] = changed
    assert _post(client, body) in (200, 204), body


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    callback=st.sampled_from([SITUATION, DETAIL]),
    key=st.sampled_from(["output", "outputs", "inputs", "state", "changedPropIds", "extra"]),
    value=JSON,
)
def test_no_mangled_envelope_answers_500(client, callback, key, value):
    body = {**callback, key: value}
    assert _post(client, body) in (200, 204, 400), body


def test_a_callback_that_raises_says_so_in_the_page_and_the_others_still_answer(
    client, monkeypatch, caplog
):
    from dashboard import callbacks

    def broken(*args, **kwargs):
        raise RuntimeError("a fault injected by the test")

    monkeypatch.setattr(callbacks, "make_situation", broken)
    response = client.post(UPDATE, json=SITUATION)
    assert response.status_code == 200
    body = response.get_json()
    notice = body["sideUpdate"]["callback-notice"]["children"]
    assert notice.startswith("Something went wrong on the server (RuntimeError): the situation")
    assert "situation" not in body.get("response", {})  # the panel is left as it was
    assert "a fault injected by the test" in caplog.text  # the traceback goes to the log
    assert any(r.exc_info for r in caplog.records)
    assert _post(client, DETAIL) == 200  # the other callbacks still answer
