"""Thin callbacks: the date moves in the browser; the server only renders text panels."""

from __future__ import annotations

from urllib.parse import parse_qs

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, html

from dashboard import ids
from dashboard.compare import make_comparison
from dashboard.data import Dataset
from dashboard.domain import Event, Place, epoch_day, from_epoch_day
from dashboard.figures import WINDOW_DAYS, data_range
from dashboard.filters import EventFilter, parse_filter
from dashboard.layout import make_event_detail, make_situation, make_town_detail
from dashboard.legend import make_legend_groups
from dashboard.store import Window

NAMESPACE = "sahelAtlas"
#: The filter controls, in the order updateView (assets/atlas.js) takes and sets them.
FILTER_CONTROLS = (
    ids.FILTER_GROUPS,
    ids.FILTER_TYPES,
    ids.FILTER_SUBTYPES,
    ids.FILTER_COUNTRIES,
    ids.FILTER_ADMIN1,
    ids.FILTER_MIN_FATALITIES,
    ids.FILTER_EXACT,
    ids.FILTER_Q,
)


def _same_point(place: Place, event: Event, tolerance: float = 0.02) -> bool:
    return (
        abs(place.lat - event.latitude) < tolerance and abs(place.lon - event.longitude) < tolerance
    )


def _situation_asked(shown: object, first: int, last: int) -> tuple[int, Window, EventFilter]:
    """The day, window and filters the map shows.

    ``shown`` is ``{"day": n, "window": days or None, "since": n or None, "filters":
    {...} or None}`` or a day (``since``: the first day of a cumulative window).
    Anything else (a hand-made request) falls back to the first day, the default window
    and no filter; a day out of range is clamped to the data's range.
    """
    day, days = (
        (shown.get("day"), shown.get("window", WINDOW_DAYS))
        if isinstance(shown, dict)
        else (shown, WINDOW_DAYS)
    )
    day = day if isinstance(day, int) and not isinstance(day, bool) else first
    if days is not None and not (isinstance(days, int) and 1 <= days <= 3650):
        days = WINDOW_DAYS
    raw = shown.get("filters") if isinstance(shown, dict) else None
    since = shown.get("since") if isinstance(shown, dict) and days is None else None
    if isinstance(since, int) and not isinstance(since, bool):
        window = Window(days=None, since=from_epoch_day(min(max(since, first), last)))
    else:
        window = Window(days=days)
    return min(max(day, first), last), window, parse_filter(raw)


def _compare_asked(shown: object, first: int, last: int) -> int | None:
    """The day the map compares with (``{"compare": n}``), clamped, or None."""
    compare = shown.get("compare") if isinstance(shown, dict) else None
    if not isinstance(compare, int) or isinstance(compare, bool):
        return None
    return min(max(compare, first), last)


def _selection_asked(search: object) -> tuple[str | None, str]:
    """``("event", id)`` or ``("place", id)`` as a URL's query names them, else ``(None, "")``."""
    if not isinstance(search, str):
        return None, ""
    params = parse_qs(search.lstrip("?"), keep_blank_values=False)
    for kind in ("event", "place"):
        if params.get(kind):
            return kind, params[kind][0][:100]
    return None, ""


def _unknown_selection(kind: str, picked: str) -> list:
    """The detail panel's notice for a link that names no such event or town (as text)."""
    return [
        html.P(
            f"This link names the {kind} “{picked}”, which is not in this data; "
            f"click an event or a town on the map to see its record.",
            className="muted selection-notice",
        )
    ]


def _clicked_event(dataset: Dataset, click: object) -> Event | None:
    """The event a click on the event layer names (``{"i": index}``), or None."""
    i = click.get("i") if isinstance(click, dict) else None
    if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(dataset.events):
        return dataset.events.event(i)
    return None


def _picked_on_map(click: object) -> str:
    """The id a click on the map's Plotly traces names (its first point's customdata).

    Anything else (a hand-made request: no dict, no list of points, no string) names
    nothing: ``""``.
    """
    points = click.get("points") if isinstance(click, dict) else None
    first = points[0] if isinstance(points, list) and points else None
    picked = first.get("customdata") if isinstance(first, dict) else None
    return picked if isinstance(picked, str) else ""


def register_callbacks(app: Dash, dataset: Dataset) -> None:
    """Wire the page's components; ``dataset`` is read, never changed."""
    towns = dataset.control_places

    # One callback owns the selected day and moves the whole view with it: a link, Back,
    # the typed date, the timeline, the window and the filters come here, so a change is
    # one trip through Dash and there is no circular chain. The steps of the buttons, the
    # keys, the player and a slider drag take the browser's fast path
    # (assets/atlas/stepper.js), which paints first and tells Dash through the slider's
    # value once the day has settled; that comes here too and brings these outputs up to
    # date. The filters: a change builds the row mask once and repaints, one history entry.
    app.clientside_callback(
        ClientsideFunction(NAMESPACE, "updateView"),
        Output(ids.SELECTED_DAY, "data"),
        Output(ids.DATE_SLIDER, "value"),
        Output(ids.DATE_INPUT, "value"),
        Output(ids.DATE_INPUT, "className"),
        Output(ids.DATE_LABEL, "children"),
        Output(ids.TIMELINE_CURSOR, "style"),
        Output(ids.TIMELINE_CURSOR, "title"),
        Output(ids.TIMELINE, "figure"),
        Output(ids.VIEW_NOTICE, "children"),
        Output(ids.WINDOW_SELECT, "value"),
        Output(ids.WINDOW_SELECT, "options"),
        *(Output(f, "value") for f in FILTER_CONTROLS),
        Output(ids.FILTER_COUNT, "children"),
        Output(ids.COMPARE_INPUT, "value"),
        Output(ids.WINDOW_START, "value"),
        Input(ids.URL, "search"),
        Input(ids.DATE_SLIDER, "value"),
        Input(ids.DATE_INPUT, "value"),
        Input(ids.STEP_BACK_MONTH, "n_clicks"),
        Input(ids.STEP_BACK_DAY, "n_clicks"),
        Input(ids.STEP_FORWARD_DAY, "n_clicks"),
        Input(ids.STEP_FORWARD_MONTH, "n_clicks"),
        Input(ids.PREVIOUS_CHANGE, "n_clicks"),
        Input(ids.NEXT_CHANGE, "n_clicks"),
        Input(ids.TIMELINE, "clickData"),
        Input(ids.TIMELINE, "relayoutData"),
        Input(ids.WINDOW_SELECT, "value"),
        *(Input(f, "value") for f in FILTER_CONTROLS),
        Input(ids.FILTER_CLEAR, "n_clicks"),
        Input(ids.COMPARE_INPUT, "value"),
        Input(ids.WINDOW_START, "value"),
        State(ids.SELECTED_DAY, "data"),
        State(ids.ATLAS_DATA, "data"),
    )
    # The timeline's weekly bars under new filters, re-counted once the map has shown them
    # (a Plotly redraw of the timeline takes a few hundred ms; the map's frame comes first).
    app.clientside_callback(
        ClientsideFunction(NAMESPACE, "weeklyBars"),
        Output(ids.TIMELINE, "figure", allow_duplicate=True),
        Input(ids.WEEKLY_ASK, "data"),
        State(ids.ATLAS_DATA, "data"),
        prevent_initial_call=True,
    )
    # The player runs in the browser (assets/atlas/stepper.js); it takes its speed here.
    app.clientside_callback(
        ClientsideFunction(NAMESPACE, "playSpeed"),
        Output(ids.PLAY, "data-speed"),
        Input(ids.PLAY_SPEED, "value"),
    )

    first, last = (epoch_day(d) for d in data_range(dataset))

    @app.callback(Output(ids.SITUATION, "children"), Input(ids.SITUATION_DAY, "data"))
    def update_situation(shown: object) -> list:
        day, window, event_filter = _situation_asked(shown, first, last)
        panel = make_situation(
            dataset, from_epoch_day(day), window=window, event_filter=event_filter
        )
        compare = _compare_asked(shown, first, last)
        if compare is None:
            return panel
        return panel + make_comparison(dataset, from_epoch_day(compare), from_epoch_day(day))

    @app.callback(Output(ids.LEGEND_GROUPS, "children"), Input(ids.SITUATION_DAY, "data"))
    def update_legend_groups(shown: object) -> list:
        day, _, _ = _situation_asked(shown, first, last)
        return make_legend_groups(dataset, from_epoch_day(day))

    @app.callback(
        Output(ids.EVENT_DETAIL, "children"),
        Input(ids.MAP, "clickData"),
        Input(ids.EVENT_CLICK, "data"),
        Input(ids.URL, "search"),
    )
    def update_event_detail(
        town_click: dict | None, event_click: dict | None, search: object = None
    ) -> list:
        if ctx.triggered_id in (None, ids.URL):
            # a link opened, or Back/Forward: the selection the URL names, if any
            kind, picked = _selection_asked(search)
            if kind is None:
                return make_event_detail(dataset, None)
            if kind == "place":
                if picked in towns:
                    return make_town_detail(dataset, picked)
                return _unknown_selection("town", picked)
            event = dataset.event(picked)
            if event is None:
                return _unknown_selection("event", picked)
        elif ctx.triggered_id == ids.EVENT_CLICK:
            event = _clicked_event(dataset, event_click)
        else:
            picked = _picked_on_map(town_click)
            if picked in towns:
                return make_town_detail(dataset, picked)
            event = dataset.event(picked)
        detail = make_event_detail(dataset, event)
        # Events often sit on a town's own point, under its marker: show its control too.
        town = event and next((t for t in towns if _same_point(dataset.places[t], event)), None)
        return detail + make_town_detail(dataset, town) if town else detail
