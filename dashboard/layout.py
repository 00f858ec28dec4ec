"""Component factories: the page, the situation panel and the event detail."""

from __future__ import annotations

from datetime import date, timedelta

from dash import dcc, html

from dashboard import ids
from dashboard.controls import make_controls, make_keys_help
from dashboard.data import Dataset
from dashboard.domain import (
    KEY_PLACES,
    Event,
    Source,
    control_on,
    epoch_day,
    periods_of,
)
from dashboard.figures import (
    WINDOW_DAYS,
    actor_label,
    data_range,
    fmt_day,
    group_label,
    make_map_figure,
    type_color,
)
from dashboard.filters import SEARCH_PATH, EventFilter, select
from dashboard.legend import make_legend
from dashboard.payload import CLIENT_DATA_PATH, EVENT_HOVER_PATH
from dashboard.presenter import make_moments_list, make_presenter
from dashboard.store import Window
from dashboard.timeline import make_timeline_figure

DEFAULT_DAY = date(2013, 1, 11)
#: Every graph's mode bar offers nothing that leads to another host: no Plotly logo (a
#: link to plotly.com), no "Share chart..." (it uploads the figure to Chart Studio, on by
#: default in plotly.js), no "Edit in Chart Studio" or "Edit chart" link. An offline atlas
#: sends nothing out; tests/unit/test_layout.py checks every dcc.Graph of the page.
OFFLINE_GRAPH_CONFIG = {
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
}
ORIGIN_NAMES = {"atlas": "Sahel Atlas", "acled": "ACLED", "ucdp": "UCDP GED"}
#: ACLED's time precision codes, as the event detail names them.
TIME_PRECISION_NAMES = {1: "the day", 2: "the week only", 3: "the month only"}
#: The situation panel lists this many of the window's events, newest first.
MAX_LISTED_EVENTS = 25


def _source_link(source: Source) -> html.A:
    when = f", {fmt_day(source.published)}" if source.published else ""
    return html.A(
        f"{source.publisher}{when}",
        href=source.url,
        title=source.title,
        target="_blank",
        rel="noopener noreferrer",
    )


def _sources(dataset: Dataset, source_ids: tuple[str, ...], limit: int = 2) -> list:
    links: list = []
    for sid in source_ids[:limit]:
        if links:
            links.append("; ")
        links.append(_source_link(dataset.sources[sid]))
    if len(source_ids) > limit:
        links.append(f" (+{len(source_ids) - limit} more)")
    return links


def make_situation(
    dataset: Dataset,
    day: date,
    *,
    window: Window | None = None,
    event_filter: EventFilter | None = None,
) -> list:
    """The situation on one day: each key town's holders and source, then the window's events.

    The window is the 30 days up to the day unless ``window`` says otherwise; the events
    listed are those ``event_filter`` keeps, counted "N of M" when it keeps fewer.
    """
    window = window or Window(WINDOW_DAYS)
    event_filter = event_filter or EventFilter()
    rows = []
    for place_id in KEY_PLACES:
        place = dataset.places.get(place_id)
        period = control_on(dataset.periods, place_id, day)
        if place is None:
            continue
        if period is None:
            rows.append(html.Li([html.B(place.name), " — control unknown"], className="town"))
            continue
        holders = group_label(dataset, period.groups)
        rows.append(
            html.Li(
                [
                    html.Span(
                        className="swatch",
                        style={"backgroundColor": dataset.groups[period.groups[0]].color},
                    ),
                    html.B(place.name, className="town-name"),
                    " — ",
                    html.Span(holders, className="holders"),
                    html.Span(f" {period.status}", className=f"status status-{period.status}"),
                    html.Span(f" since {fmt_day(period.start)}", className="since"),
                    html.Div(
                        [
                            f"confidence {period.confidence} · source: ",
                            *_sources(dataset, period.sources),
                        ],
                        className="town-source",
                    ),
                ],
                className="town",
                **{"data-place": place_id, "data-groups": ";".join(period.groups)},
            )
        )
    store = dataset.events
    start, end = window.span(day, data_range(dataset)[0])
    in_window = store.window(start, end)
    found = store.newest_first(select(store, in_window, event_filter))
    shown = store.events(found[:MAX_LISTED_EVENTS])
    # each row is a button: a click, or Enter, opens the event's record
    # (assets/atlas/chooser.js)
    event_rows = [
        html.Li(
            html.Button(
                [
                    html.Span(
                        className="swatch", style={"backgroundColor": type_color(e.event_type)}
                    ),
                    html.Span(fmt_day(e.event_date), className="event-date"),
                    f" {e.location}: {e.sub_event_type.lower()}",
                    html.Span(
                        f" ({e.fatalities} killed)" if e.fatalities else "",
                        className="event-toll",
                    ),
                ],
                type="button",
                className="event-open",
            ),
            className="event",
            **{"data-event-id": e.event_id},
        )
        for e in shown
    ]
    if len(found) > len(shown):
        event_rows.append(
            html.Li(f"… and {len(found) - len(shown)} earlier events", className="muted")
        )
    counted = f"{len(found)} of {len(in_window)}" if event_filter.active else str(len(found))
    return [
        html.H2(fmt_day(day), className="situation-day"),
        html.Ul(rows, className="towns"),
        html.H3(f"Events {fmt_day(start)} – {fmt_day(end)} ({counted})"),
        html.Ul(event_rows, className="events")
        if event_rows
        else html.P(
            "No events in this window match the filters."
            if event_filter.active
            else "No events recorded in this window.",
            className="muted",
        ),
    ]


def make_event_detail(dataset: Dataset, event: Event | None) -> list:
    """The full record of one event with links to its sources."""
    if event is None:
        return [html.P("Click an event on the map to see its full record.", className="muted")]
    when = fmt_day(event.event_date) + (f" – {fmt_day(event.end_date)}" if event.end_date else "")
    toll = "unknown" if event.fatalities is None else str(event.fatalities)
    fields = [
        ("Date", when),
        ("Type", f"{event.event_type}: {event.sub_event_type}"),
        ("Actors", " vs ".join(actor_label(dataset, a) for a in (event.actor1, event.actor2) if a)),
        (
            "Place",
            f"{event.location}, {event.admin1}, {event.country} (precision {event.geo_precision})",
        ),
        ("Fatalities", toll),
        ("Event id", f"{event.event_id} ({ORIGIN_NAMES.get(event.origin, event.origin)})"),
    ]
    if event.fatalities_low is not None or event.fatalities_high is not None:
        fields.insert(-1, ("Toll range", f"{event.fatalities_low} – {event.fatalities_high}"))
    if event.time_precision > 1:
        fields.insert(1, ("Dated to", TIME_PRECISION_NAMES.get(event.time_precision, "?")))
    sources = [html.Li(_source_link(dataset.sources[s])) for s in event.sources]
    if event.source_text:
        sources.append(html.Li(event.source_text, className="source-text"))
    return [
        html.H3(f"{event.location}, {when}"),
        html.Dl([c for k, v in fields for c in (html.Dt(k), html.Dd(v))]),
        html.P(event.notes, className="event-notes"),
        html.H4("Sources"),
        html.Ul(sources or [html.Li("none given", className="muted")], className="event-sources"),
    ]


def make_town_detail(dataset: Dataset, place_id: str) -> list:
    """A town's whole control history, each period with its note and sources."""
    place = dataset.places[place_id]
    items = []
    for p in periods_of(dataset.periods, place_id):
        span = f"{fmt_day(p.start)} – {fmt_day(p.end - timedelta(days=1)) if p.end else 'today'}"
        items.append(
            html.Li(
                [
                    html.Span(
                        className="swatch",
                        style={"backgroundColor": dataset.groups[p.groups[0]].color},
                    ),
                    html.B(span),
                    f": {group_label(dataset, p.groups)} ({p.status}, confidence {p.confidence})",
                    html.Div(p.note, className="period-note") if p.note else None,
                    html.Div(
                        ["Sources: ", *_sources(dataset, p.sources, limit=len(p.sources))],
                        className="town-source",
                    ),
                ],
                className="period",
            )
        )
    return [html.H3(f"Control of {place.name}"), html.Ul(items, className="periods")]


def build_layout(
    dataset: Dataset, *, day: date = DEFAULT_DAY, prefix: str = "/", data_panel=None
) -> html.Div:
    """The whole page for a dataset, opened on ``day`` (the URL may move it on load).

    ``prefix`` is the app's URL prefix as the browser sees it (``/`` unless it is served
    under a path, e.g. ``/sahel/`` behind a proxy); the app's own URLs start with it.
    """
    first, last = data_range(dataset)
    problems = (
        html.Details(
            [html.Summary(f"{len(dataset.problems)} data problem(s): some rows were not loaded")]
            + [html.Div(str(p)) for p in dataset.problems],
            id=ids.DATA_PROBLEMS,
            className="data-problems",
        )
        if dataset.problems
        else None
    )
    controls = make_controls(dataset, day, first, last, prefix)
    return html.Div(
        className="page",
        children=[
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.SELECTED_DAY, data=epoch_day(day)),
            dcc.Store(
                id=ids.ATLAS_DATA,
                data={
                    "url": prefix + CLIENT_DATA_PATH,
                    "hoverUrl": prefix + EVENT_HOVER_PATH,
                    "searchUrl": prefix + SEARCH_PATH,
                },
            ),
            dcc.Store(id=ids.EVENT_CLICK),
            # set by assets/atlas.js once the map has drawn the day, so that the panel's
            # server round trip does not hold up the map's frame
            dcc.Store(id=ids.SITUATION_DAY, data=epoch_day(day)),
            # set by assets/atlas.js after the map's frame when the filters changed: the
            # timeline's weekly bars are re-counted then, not before the map repaints
            dcc.Store(id=ids.WEEKLY_ASK),
            html.Header(
                className="header",
                children=[
                    html.H1("Sahel Atlas"),
                    html.Div(
                        fmt_day(day),
                        id=ids.DATE_LABEL,
                        className="date-label",
                        **{"aria-live": "polite"},
                    ),
                ],
            ),
            problems,
            # empty (and hidden) until a server callback fails: callback_guard says so here
            html.Div(id=ids.CALLBACK_NOTICE, className="view-notice", role="alert"),
            html.Main(
                className="main",
                children=[
                    html.Div(
                        className="map-wrap",
                        children=[
                            dcc.Graph(
                                id=ids.MAP,
                                figure=make_map_figure(dataset, day, prefix),
                                className="map",
                                config={
                                    **OFFLINE_GRAPH_CONFIG,
                                    "scrollZoom": True,
                                    "modeBarButtonsToRemove": ["toImage"],
                                },
                                responsive=True,
                            ),
                            # Events are drawn by assets/atlas.js, which shows their hover
                            # here and reports clicks through EVENT_CLICK.
                            html.Div(id=ids.MAP_TOOLTIP, className="map-tooltip", role="tooltip"),
                            make_legend(dataset, day),
                        ],
                    ),
                    html.Aside(
                        className="side",
                        children=[
                            html.Section(
                                make_situation(dataset, day),
                                id=ids.SITUATION,
                                className="situation",
                            ),
                            html.Section(
                                make_event_detail(dataset, None),
                                id=ids.EVENT_DETAIL,
                                className="event-detail",
                            ),
                            make_moments_list(dataset),
                            data_panel,
                        ],
                    ),
                ],
            ),
            controls,
            make_keys_help(),
            *make_presenter(),
            html.Div(
                className="timeline-wrap",
                children=[
                    dcc.Graph(
                        id=ids.TIMELINE,
                        figure=make_timeline_figure(dataset),
                        className="timeline",
                        config={**OFFLINE_GRAPH_CONFIG, "scrollZoom": False},
                        responsive=True,
                    ),
                    # An HTML line, moved by the browser: re-laying out the timeline
                    # figure for its cursor would cost tens of milliseconds a step.
                    html.Div(id=ids.TIMELINE_CURSOR, className="timeline-cursor"),
                ],
            ),
            html.Footer(
                "Borders: Natural Earth (public domain) · Towns and events: see the sources "
                "linked on every record · Map text drawn with DejaVu Sans glyphs served by "
                "this app, so the atlas works offline.",
                className="footer",
            ),
        ],
    )
