from datetime import date

from dash import html

from dashboard.domain import control_on
from dashboard.layout import build_layout, make_event_detail, make_situation
from dashboard.legend import make_legend, make_legend_groups
from dashboard.palette import FAMILIES, family_of
from tests.conftest import every_event


def text_of(component) -> str:
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return "".join(text_of(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else text_of(children)


def find(component, cls):
    found = []
    if isinstance(component, list | tuple):
        for c in component:
            found += find(c, cls)
        return found
    if cls in (getattr(component, "className", "") or "").split():
        found.append(component)
    children = getattr(component, "children", None)
    if children is not None and not isinstance(children, str):
        found += find(children, cls)
    return found


def town_text(panel, place):
    town = next(t for t in find(panel, "town") if getattr(t, "data-place", None) == place)
    return text_of(town)


def test_situation_on_1_august_2012(dataset):
    panel = make_situation(dataset, date(2012, 8, 1))
    assert "Gao — MUJAO + AQIM held since 28 Jun 2012" in town_text(panel, "gao")
    assert "Konna — FAMa held" in town_text(panel, "konna")


def test_situation_on_11_january_2013_lists_konna_and_its_events(dataset):
    panel = make_situation(dataset, date(2013, 1, 11))
    assert town_text(panel, "konna").startswith("Konna — Ansar Dine + MUJAO + AQIM")
    events = [getattr(e, "data-event-id") for e in find(panel, "event")]
    assert "ML3-0001" in events
    assert events == sorted(
        events,
        key=lambda i: next(e.event_date for e in every_event(dataset) if e.event_id == i),
        reverse=True,
    )


def test_situation_cites_sources_with_links(dataset):
    panel = make_situation(dataset, date(2013, 2, 15))
    town = next(t for t in find(panel, "town") if getattr(t, "data-place", None) == "gao")
    links = [c for c in find(town, "town-source")[0].children if isinstance(c, html.A)]
    assert links and all(a.href.startswith("http") for a in links)


def test_legend_lists_the_day_s_holders_with_colour_and_family(dataset):
    day = date(2013, 1, 11)
    listed = [getattr(li, "data-group") for li in _legend_items(dataset, day)]
    holding = {
        g
        for place in dataset.control_places
        for p in [control_on(dataset.periods, place, day)]
        if p
        for g in p.groups
    }
    assert set(listed) == holding and len(listed) == len(holding)
    assert {"mujao", "aqim", "ansar-dine", "mali", "france"} <= holding
    for li in _legend_items(dataset, day):
        group = dataset.groups[getattr(li, "data-group")]
        swatch, name, family = li.children
        assert swatch.style == {"backgroundColor": group.color}
        assert name.children == group.short_name
        assert family.children == family_of(group).letter
    # grouped by family: the state forces before the jihadists
    assert listed.index("mali") < listed.index("mujao")


def _legend_items(dataset, day):
    (ul,) = make_legend_groups(dataset, day)
    return ul.children


def test_legend_keys_the_marks_event_types_and_families(dataset):
    legend = make_legend(dataset, date(2013, 1, 11))
    assert legend.open is True and legend.children[0].children == "Legend"
    (events,) = find(legend, "legend-events")
    types = [li.to_plotly_json()["props"]["data-event-type"] for li in events.children]
    assert len(types) == 6 and types[0] == "Battles"
    text = text_of(legend)
    for words in ("held", "shared (ring", "contested (double ring)", "holder unknown", "toll"):
        assert words in text
    (families,) = find(legend, "legend-families")
    for family in FAMILIES.values():
        assert f"{family.letter} {family.name}" in text_of(families)
        assert any(getattr(c, "title", None) == family.name for c in families.children)


def test_legend_on_a_day_before_any_known_control(dataset):
    (note,) = make_legend_groups(dataset, date(2011, 6, 1))
    assert "No town" in note.children


def test_event_detail_shows_the_record_and_sources(dataset):
    event = next(e for e in every_event(dataset) if e.event_id == "ML3-0001")
    detail = html.Div(make_event_detail(dataset, event))
    text = text_of(detail)
    assert "Konna" in text and "Fatalities25" in text.replace(" ", "")
    assert "Click an event" in text_of(html.Div(make_event_detail(dataset, None)))


def test_layout_builds_with_every_id(dataset):
    from dashboard import ids

    page = build_layout(dataset)
    seen = set()

    def walk(c):
        if isinstance(c, list | tuple):
            for x in c:
                walk(x)
            return
        if getattr(c, "id", None):
            seen.add(c.id)
        children = getattr(c, "children", None)
        if children is not None and not isinstance(children, str):
            walk(children)

    walk(page)
    wanted = {v for k, v in vars(ids).items() if k.isupper()} - {ids.DATA_PROBLEMS}
    assert wanted <= seen


def test_slider_marks_years_and_changes_and_odd_years_can_shrink(dataset):
    from dashboard.controls import _slider_marks
    from dashboard.figures import data_range

    first, last = data_range(dataset)
    marks = _slider_marks(dataset, first, last)
    years = {m["label"]: m for m in marks.values() if m["label"].isdigit()}
    assert list(years) == [str(y) for y in range(first.year, last.year + 1)]
    # over many years, odd years' labels shrink to nothing on a narrow screen (style.css)
    assert years["2013"]["style"]["fontSize"] == "var(--minor-year-size, inherit)"
    assert "style" not in years["2012"]
    assert any(m["label"] == "▲" for m in marks.values())


def test_no_graph_mode_bar_leads_to_another_host(dataset):
    # Plotly's logo links to plotly.com and "Share chart..." uploads the figure to Chart
    # Studio (on unless turned off): an offline atlas offers neither, on any graph.
    from dash import dcc

    graphs = [c for c in build_layout(dataset)._traverse() if isinstance(c, dcc.Graph)]
    assert {g.id for g in graphs} >= {"map", "timeline"}
    for graph in graphs:
        config = graph.config or {}
        for key in ("displaylogo", "showSendToCloud", "showEditInChartStudio", "showLink"):
            assert config.get(key) is False, (graph.id, key)
        added = {str(b) for b in config.get("modeBarButtonsToAdd", [])}
        assert not added & {"sendChartToCloud", "sendDataToCloud", "editInChartStudio"}
