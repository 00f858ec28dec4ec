"""The controls under the map.

The day (buttons, typed date, slider, player), the window of events shown and how many
of its events the filters keep, the link to this view, the filters (``filters_ui``), and
the list of keys.
"""

from __future__ import annotations

from datetime import date

from dash import dcc, html

from dashboard import ids
from dashboard.data import Dataset
from dashboard.domain import KEY_PLACES, epoch_day, periods_of
from dashboard.exports import CSV_PATH, GEOJSON_PATH
from dashboard.figures import WINDOW_DAYS
from dashboard.filters_ui import make_filters

PLAY_SPEEDS = {
    "1 day/s": 1000,
    "2 days/s": 500,
    "5 days/s": 200,
    "10 days/s": 100,
}
#: The windows offered; a link may ask for any number of days (``window=N``) or ``all``.
WINDOW_CHOICES = {"1": "the day alone", "7": "7 days", "30": "30 days", "90": "90 days"}
WINDOW_CHOICES |= {"365": "365 days", "all": "cumulative"}
#: The keys the whole page answers (assets/atlas/keys.js), as the help lists them.
KEYS = (
    ("← / →", "one day back / forward"),
    ("Shift + ← / →", "one month back / forward"),
    ("Space", "play / pause"),
    ("Home / End", "first / last day of the data"),
    ("P / N", "previous / next change of control"),
    ("?", "show or hide this list"),
    ("In a presentation: PgUp / PgDn, ← / →, Space", "previous / next moment"),
    ("In a presentation: F / B / Esc", "full screen / black screen / leave"),
    ("Esc", "close this list"),
)


def _slider_marks(dataset: Dataset, first: date, last: date) -> dict[int, dict]:
    """Year marks, and a small red mark at each change of control in a key town.

    Over more than eight years, odd years' labels take their size from the CSS variable
    ``--minor-year-size``, which a narrow screen sets to 0 so the labels do not collide.
    """
    many = last.year - first.year > 8
    marks = {
        epoch_day(date(y, 1, 1)): (
            {"label": str(y), "style": {"fontSize": "var(--minor-year-size, inherit)"}}
            if many and y % 2
            else {"label": str(y)}
        )
        for y in range(first.year, last.year + 1)
    }
    for moment in dataset.moments:  # a diamond at each key moment
        marks.setdefault(
            epoch_day(moment.date),
            {
                "label": "◆",
                "style": {"color": "#0072b2", "fontSize": "0.55rem", "bottom": "0.9rem"},
            },
        )
    for place in KEY_PLACES:
        for p in periods_of(dataset.periods, place)[1:]:
            marks.setdefault(
                epoch_day(p.start),
                {
                    "label": "▲",
                    "style": {"color": "#b2182b", "fontSize": "0.5rem", "bottom": "0.9rem"},
                },
            )
    return marks


def _button(id_: str, label: str, title: str, **extra) -> html.Button:
    return html.Button(label, id=id_, title=title, n_clicks=0, className="step", **extra)


def _day_box(id_: str, label: str, placeholder: str) -> tuple[html.Label, dcc.Input]:
    """A labelled box for a second day (the cumulative window's start, a day to compare)."""
    return (
        html.Label(label, htmlFor=id_, className="window-label"),
        dcc.Input(
            id=id_,
            type="text",
            value="",
            debounce=True,
            placeholder=placeholder,
            className="compare-input",
        ),
    )


def _export_link(id_: str, label: str, path: str, title: str) -> html.A:
    """A link to an export; assets/atlas/export.js adds the page's query when it is used."""
    return html.A(
        label, id=id_, href=path, title=title, className="step export-link", **{"data-path": path}
    )


def make_controls(
    dataset: Dataset, day: date, first: date, last: date, prefix: str = "/"
) -> html.Div:
    """The controls row, opened on ``day`` of the data's ``[first, last]``."""
    return html.Div(
        className="controls",
        children=[
            html.Div(
                className="buttons",
                children=[
                    _button(ids.PREVIOUS_CHANGE, "⇤ change", "Previous change of control"),
                    _button(ids.STEP_BACK_MONTH, "−1 mo", "Back one month"),
                    _button(ids.STEP_BACK_DAY, "−1 d", "Back one day"),
                    # read by screen readers; the placeholder says the same to the eye
                    html.Label(
                        "Date, YYYY-MM-DD", htmlFor=ids.DATE_INPUT, className="visually-hidden"
                    ),
                    dcc.Input(
                        id=ids.DATE_INPUT,
                        type="text",
                        value=day.isoformat(),
                        debounce=True,
                        placeholder="YYYY-MM-DD",
                        pattern=r"\d{4}-\d{2}-\d{2}",
                        className="date-input",
                    ),
                    _button(ids.STEP_FORWARD_DAY, "+1 d", "Forward one day"),
                    _button(ids.STEP_FORWARD_MONTH, "+1 mo", "Forward one month"),
                    _button(ids.NEXT_CHANGE, "change ⇥", "Next change of control"),
                    html.Button(
                        "▶ Play", id=ids.PLAY, n_clicks=0, className="play", title="Play / pause"
                    ),
                    dcc.Dropdown(
                        id=ids.PLAY_SPEED,
                        options=[{"label": k, "value": v} for k, v in PLAY_SPEEDS.items()],
                        value=500,
                        clearable=False,
                        searchable=False,
                        className="speed",
                    ),
                    html.Label("Events of", htmlFor=ids.WINDOW_SELECT, className="window-label"),
                    dcc.Dropdown(
                        id=ids.WINDOW_SELECT,
                        options=[{"label": v, "value": k} for k, v in WINDOW_CHOICES.items()],
                        value=str(WINDOW_DAYS),
                        clearable=False,
                        searchable=False,
                        className="window",
                    ),
                    *_day_box(ids.WINDOW_START, "from", "first day"),
                    *_day_box(ids.COMPARE_INPUT, "Compare with", "YYYY-MM-DD"),
                    # the two days on two linked maps (assets/atlas/twin.js shows it when a
                    # day is compared with and the screen is wide enough)
                    _button(
                        ids.SPLIT_VIEW,
                        "Side by side",
                        "Show the day compared with on a second map beside this one",
                        hidden=True,
                        **{"aria-pressed": "false"},
                    ),
                    # "N of M events": the window's events the filters keep, of all
                    html.Span(id=ids.FILTER_COUNT, className="filter-count", role="status"),
                    _button(ids.COPY_LINK, "Copy link", "Copy a link that reopens this view"),
                    _button(
                        ids.EXPORT_PNG,
                        "PNG",
                        "Save the map as a picture, with its day, window, legend and sources",
                    ),
                    _export_link(
                        ids.EXPORT_CSV,
                        "CSV",
                        prefix + CSV_PATH,
                        "The window's events with their sources, as CSV",
                    ),
                    _export_link(
                        ids.EXPORT_GEOJSON,
                        "GeoJSON",
                        prefix + GEOJSON_PATH,
                        "The towns and their holders that day, and the window's events",
                    ),
                    _button(
                        ids.RECORD,
                        "Record",
                        "Record a video or GIF of a date range or of the key moments",
                    ),
                    _button(ids.PRESENT, "Present", "Present the key moments, full screen"),
                    _button(
                        ids.KEYS_BUTTON,
                        "?",
                        "Keyboard shortcuts",
                        **{"aria-label": "Keyboard shortcuts"},
                    ),
                ],
            ),
            # why a link's parameter or a typed date was not taken as asked, in words
            html.Div(id=ids.VIEW_NOTICE, className="view-notice", role="status"),
            dcc.Slider(
                id=ids.DATE_SLIDER,
                min=epoch_day(first),
                max=epoch_day(last),
                step=1,
                value=epoch_day(day),
                marks=_slider_marks(dataset, first, last),
                # Dash hears of the day at the end of a drag; while it moves, the map
                # follows the thumb in the browser (assets/atlas/stepper.js)
                updatemode="mouseup",
                included=False,
                allow_direct_input=False,
                tooltip={"placement": "top", "transform": "epochDayToIso"},
                className="date-slider",
            ),
            make_filters(dataset),
            _record_dialog(),
        ],
    )


def _number_box(id_: str, label: str, value: int, low: int, high: int, kind: str) -> html.Label:
    """A labelled whole number; ``kind`` ("range" or "moments") says when it is shown."""
    return html.Label(
        [label, dcc.Input(id=id_, type="number", value=value, min=low, max=high, step=1)],
        className=f"record-{kind}-only",
    )


def _record_dialog() -> html.Div:
    """The Record dialog: what to record, at what speed, in which format; its progress.

    assets/atlas/record.js opens it, reads it and records; nothing here calls the server.
    """
    return html.Div(
        id=ids.RECORD_DIALOG,
        className="record-dialog",
        hidden=True,
        role="dialog",
        **{"aria-label": "Record a video or GIF"},
        children=[
            html.H2("Record"),
            dcc.RadioItems(
                id=ids.RECORD_WHAT,
                options=[
                    {"label": "the days from … to …", "value": "range"},
                    {"label": "the key moments from … to …", "value": "moments"},
                ],
                value="range",
            ),
            html.Div(
                className="record-days",
                children=[
                    *_day_box(ids.RECORD_FROM, "from", "YYYY-MM-DD"),
                    *_day_box(ids.RECORD_TO, "to", "YYYY-MM-DD"),
                ],
            ),
            _number_box(ids.RECORD_DAYS_PER_FRAME, "days per frame", 1, 1, 365, "range"),
            _number_box(ids.RECORD_FPS, "frames per second", 5, 1, 30, "range"),
            _number_box(ids.RECORD_SECONDS_PER_MOMENT, "seconds per moment", 4, 1, 30, "moments"),
            dcc.RadioItems(
                id=ids.RECORD_FORMAT,
                options=[
                    {"label": "WebM video", "value": "webm"},
                    {"label": "GIF", "value": "gif"},
                ],
                value="webm",
                inline=True,
            ),
            html.Div(
                className="record-actions",
                children=[
                    html.Button("Start", id=ids.RECORD_START, n_clicks=0, className="step"),
                    html.Button("Close", id=ids.RECORD_CANCEL, n_clicks=0, className="step"),
                ],
            ),
            html.Progress(id=ids.RECORD_PROGRESS, value="0", max="1"),
            html.P(id=ids.RECORD_STATUS, role="status"),
        ],
    )


def make_keys_help() -> html.Div:
    """The list of keys, hidden until ``?`` or its button shows it."""
    return html.Div(
        id=ids.KEYS_HELP,
        className="keys-help",
        hidden=True,
        role="dialog",
        **{"aria-label": "Keyboard shortcuts"},
        children=[
            html.H2("Keys"),
            html.Dl([part for key, what in KEYS for part in (html.Dt(key), html.Dd(what))]),
            html.Button("Close", id=ids.KEYS_CLOSE, n_clicks=0, className="step"),
        ],
    )
