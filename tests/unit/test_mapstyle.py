"""The map style's names (their order, sides and room) and the view it frames by default."""

import dataclasses

from shapely.geometry import box, shape

from dashboard.domain import KEY_PLACES
from dashboard.mapstyle import (
    FIT_METADATA,
    KEY_LABEL_SIZE,
    KEY_TOWN_SIZE,
    LABEL_ANCHORS,
    LABEL_PADDING,
    TOWN_LABEL_SIZE,
    TOWN_SIZE,
    default_bounds,
    label_ranks,
    map_style,
)


def _layers(dataset) -> dict[str, dict]:
    return {layer["id"]: layer for layer in map_style(dataset)["layers"]}


def _mali(dataset):
    (mali,) = [f for f in dataset.countries["features"] if f["properties"]["iso_a3"] == "MLI"]
    return shape(mali["geometry"])


def test_the_default_view_frames_mali_and_every_town(dataset):
    west, south, east, north = default_bounds(dataset)
    framed = box(west, south, east, north)
    # Mali's own box, rounded to 0.001 degree: its borders and every town are inside
    assert framed.buffer(0.001).contains(_mali(dataset))
    assert _mali(dataset).envelope.buffer(0.001).contains(framed)
    for place_id in dataset.control_places:
        place = dataset.places[place_id]
        assert west <= place.lon <= east and south <= place.lat <= north
    assert map_style(dataset)["metadata"] == {FIT_METADATA: [west, south, east, north]}


def test_no_towns_no_framing(dataset):
    assert default_bounds(dataclasses.replace(dataset, periods=())) is None


def test_key_towns_are_named_first_then_the_towns_that_changed_hands_most(dataset):
    ranks = label_ranks(dataset)
    assert sorted(ranks.values()) == list(range(len(dataset.control_places)))
    assert [p for p, _ in sorted(ranks.items(), key=lambda kv: kv[1])][:4] == list(KEY_PLACES)
    changes = {p: sum(1 for c in dataset.periods if c.place == p) for p in ranks}
    others = sorted((p for p in ranks if p not in KEY_PLACES), key=ranks.get)
    assert all(changes[a] >= changes[b] for a, b in zip(others, others[1:], strict=False))
    features = map_style(dataset)["sources"]["labels"]["data"]["features"]
    by_name = {f["properties"]["name"]: f["properties"]["rank"] for f in features}
    assert by_name["Gao"] == 0 and by_name["MALI"] == 0 and by_name["Senegal"] == 1


def test_names_are_placed_by_collision_in_priority_order(dataset):
    layers = _layers(dataset)
    order = [layer["id"] for layer in map_style(dataset)["layers"]]
    # MapLibre places the top layer first: the markers' room, the key towns, the others
    assert (
        order.index("country-label")
        < order.index("town-label")
        < order.index("key-town-label")
        < order.index("town-clearance")
        < order.index("key-town-clearance")
        == len(order) - 1
    )
    for name in ("country-label", "town-label", "key-town-label"):
        layout = layers[name]["layout"]
        assert layout["symbol-sort-key"] == ["get", "rank"]
        assert not layout.get("text-ignore-placement")  # every name takes its room
    assert not layers["town-label"]["layout"].get("text-allow-overlap")
    # a key town's name goes over others only when every side of its town is taken
    assert layers["key-town-label"]["layout"]["text-allow-overlap"] is True


def test_names_keep_off_the_markers_on_every_side(dataset):
    layers = _layers(dataset)
    for label, clearance, size, text in (
        ("town-label", "town-clearance", TOWN_SIZE, TOWN_LABEL_SIZE),
        ("key-town-label", "key-town-clearance", KEY_TOWN_SIZE, KEY_LABEL_SIZE),
    ):
        room = layers[clearance]["layout"]
        assert room["text-allow-overlap"] is True and layers[clearance]["paint"] == {
            "text-opacity": 0
        }
        half = room["text-padding"] + room["text-size"] / 2  # the square kept clear
        assert half >= size[0] / 2  # covers the ring
        offsets = layers[label]["layout"]["text-variable-anchor-offset"]
        anchors = dict(zip(offsets[::2], offsets[1::2], strict=True))
        assert list(anchors) == list(LABEL_ANCHORS)
        for anchor, (x, y) in anchors.items():
            dx, dy = LABEL_ANCHORS[anchor]
            # the name's box (with MapLibre's padding) starts past the square on its side
            assert (x * dx + y * dy) / (abs(dx) + abs(dy)) * text > half + LABEL_PADDING, anchor
