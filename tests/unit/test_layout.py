from datetime import date

from dash import html

from dashboard.layout import build_layout, make_event_detail, make_legend, make_situation
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


def test_legend_comes_from_groups_csv(dataset):
    import re

    body = make_legend(dataset).children.children
    listed = re.findall(r'data-group="([^"]+)"', body)
    assert set(listed) == {g for p in dataset.periods for g in p.groups}
    for group_id in listed:
        group = dataset.groups[group_id]
        swatch = f'background-color: {group.color}"></span>'
        assert f'{swatch}<span class="legend-name">{group.short_name}<' in body
    assert body.count("data-event-type=") == 6


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
