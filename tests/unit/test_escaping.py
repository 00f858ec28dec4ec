"""Text from the data reaches Plotly's hover and labels escaped: Plotly reads HTML in them."""

from dataclasses import replace
from types import MappingProxyType

from dashboard.data import load_dataset
from dashboard.figures import town_marker
from dashboard.legend import _static_body
from dashboard.timeline import make_timeline_figure

LINK = '<a href="https://evil.example">Gao</a>'


def _hostile(tiny):
    data = load_dataset(tiny)
    places = {k: replace(p, name=LINK) for k, p in data.places.items()}
    groups = {
        k: replace(g, short_name=f"<img src=x onerror=alert(1)>{k}") for k, g in data.groups.items()
    }
    sources = {k: replace(s, publisher="<b>Wire</b> & co") for k, s in data.sources.items()}
    return replace(
        data,
        places=MappingProxyType(places),
        groups=MappingProxyType(groups),
        sources=MappingProxyType(sources),
    )


def test_a_towns_hover_escapes_its_name_holders_and_source(tiny):
    data = _hostile(tiny)
    period = data.periods[-1]
    hover = town_marker(data, period, data.places[period.place].name).hover
    assert "<a" not in hover and "<img" not in hover and "<b>Wire" not in hover
    assert (
        "&lt;a href=" in hover
        and "&lt;img src=x" in hover
        and "&lt;b&gt;Wire&lt;/b&gt; &amp; co" in hover
    )
    assert hover.startswith("<b>&lt;a href")  # the markup of our own stays
    assert "<a" not in town_marker(data, None, LINK).hover


def test_the_timelines_labels_and_hovers_escape_names(tiny):
    figure = make_timeline_figure(_hostile(tiny))
    bars = [t for t in figure.data if t.orientation == "h"]
    assert bars and all(
        y == '&lt;a href="https://evil.example"&gt;Gao&lt;/a&gt;' for t in bars for y in t.y
    )
    assert all("<a" not in h and "<img" not in h for t in bars for h in t.hovertext)
    assert list(figure.layout.yaxis.categoryarray) == [bars[0].y[0]]


def test_the_legends_event_types_are_text(dataset):
    types = ("Battles", "x\n\n[click](https://evil.example) <script>alert(1)</script>")
    fake = type("Events", (), {"codes": lambda self, column: (None, types)})()
    body = _static_body(replace(dataset, events=fake))
    events = next(c for c in body if getattr(c, "className", "") == "legend-events")
    texts = [item.children[1] for item in events.children]
    assert texts == ["Battles", "x [click](https://evil.example) <script>alert(1)</script>"]
    assert all(isinstance(t, str) for t in texts)  # a Dash component's text: never HTML
