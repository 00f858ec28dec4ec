"""Thin callbacks: the date moves in the browser; the server only renders text panels."""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State, ctx

from dashboard import ids
from dashboard.data import Dataset
from dashboard.domain import Event, Place, from_epoch_day
from dashboard.layout import make_event_detail, make_situation, make_town_detail

NAMESPACE = "sahelAtlas"


def _same_point(place: Place, event: Event, tolerance: float = 0.02) -> bool:
    return (
        abs(place.lat - event.latitude) < tolerance and abs(place.lon - event.longitude) < tolerance
    )


def register_callbacks(app: Dash, dataset: Dataset) -> None:
    """Wire the page's components; ``dataset`` is read, never changed."""
    towns = dataset.control_places

    # One callback owns the selected day and moves the whole view with it: the slider,
    # the typed date, the buttons, the player, the timeline and the URL all come here, so
    # a step is one trip through Dash and there is no circular chain.
    app.clientside_callback(
        ClientsideFunction(NAMESPACE, "updateView"),
        Output(ids.SELECTED_DAY, "data"),
        Output(ids.DATE_SLIDER, "value"),
        Output(ids.DATE_INPUT, "value"),
        Output(ids.DATE_INPUT, "className"),
        Output(ids.DATE_LABEL, "children"),
        Output(ids.PLAY_TIMER, "disabled", allow_duplicate=True),
        Output(ids.MAP, "figure"),
        Output(ids.TIMELINE_CURSOR, "style"),
        Output(ids.TIMELINE_CURSOR, "title"),
        Output(ids.TIMELINE, "figure"),
        Input(ids.URL, "search"),
        Input(ids.DATE_SLIDER, "value"),
        Input(ids.DATE_INPUT, "value"),
        Input(ids.STEP_BACK_MONTH, "n_clicks"),
        Input(ids.STEP_BACK_DAY, "n_clicks"),
        Input(ids.STEP_FORWARD_DAY, "n_clicks"),
        Input(ids.STEP_FORWARD_MONTH, "n_clicks"),
        Input(ids.PREVIOUS_CHANGE, "n_clicks"),
        Input(ids.NEXT_CHANGE, "n_clicks"),
        Input(ids.PLAY_TIMER, "n_intervals"),
        Input(ids.TIMELINE, "clickData"),
        Input(ids.TIMELINE, "relayoutData"),
        State(ids.SELECTED_DAY, "data"),
        State(ids.ATLAS_DATA, "data"),
        prevent_initial_call="initial_duplicate",
    )
    app.clientside_callback(
        ClientsideFunction(NAMESPACE, "togglePlay"),
        Output(ids.PLAY_TIMER, "disabled"),
        Output(ids.PLAY_TIMER, "interval"),
        Output(ids.PLAY, "children"),
        Input(ids.PLAY, "n_clicks"),
        Input(ids.PLAY_SPEED, "value"),
        Input(ids.PLAY_TIMER, "disabled"),
        State(ids.SELECTED_DAY, "data"),
        State(ids.ATLAS_DATA, "data"),
    )

    @app.callback(Output(ids.SITUATION, "children"), Input(ids.SITUATION_DAY, "data"))
    def update_situation(day: int) -> list:
        return make_situation(dataset, from_epoch_day(int(day)))

    @app.callback(
        Output(ids.EVENT_DETAIL, "children"),
        Input(ids.MAP, "clickData"),
        Input(ids.EVENT_CLICK, "data"),
        prevent_initial_call=True,
    )
    def update_event_detail(town_click: dict | None, event_click: dict | None) -> list:
        if ctx.triggered_id == ids.EVENT_CLICK:
            picked = str((event_click or {}).get("id"))
        else:
            points = (town_click or {}).get("points") or [{}]
            picked = str(points[0].get("customdata"))
        if picked in towns:
            return make_town_detail(dataset, picked)
        event = dataset.event(picked)
        detail = make_event_detail(dataset, event)
        # Events often sit on a town's own point, under its marker: show its control too.
        town = event and next((t for t in towns if _same_point(dataset.places[t], event)), None)
        return detail + make_town_detail(dataset, town) if town else detail
