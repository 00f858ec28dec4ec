"""The Filters block under the controls: which events the map, timeline and panel show.

Its options come from the store's dictionaries, so an imported data set offers its own
groups, types and places. The browser (``assets/atlas/filters.js``) reads the values,
builds the mask and writes them into the URL; this module only lays the controls out.
"""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.data import Dataset
from dashboard.filters import MAX_FATALITIES, MAX_Q


def group_options(dataset: Dataset) -> list[dict[str, str]]:
    """The groups named by an event (either actor), by their short name, as options."""
    store = dataset.events
    present = set(store.codes("group1")[1]) | set(store.codes("group2")[1])
    present.discard("")
    named = {g: dataset.groups[g].short_name if g in dataset.groups else g for g in sorted(present)}
    return [
        {"label": label, "value": g}
        for g, label in sorted(named.items(), key=lambda kv: kv[1].lower())
    ]


def label_options(dataset: Dataset, column: str) -> list[dict[str, str]]:
    """The values of a text column of the events, sorted, as options ("" left out)."""
    return [{"label": v, "value": v} for v in dataset.events.codes(column)[1] if v]


def _choice(id_: str, label: str, options: list[dict[str, str]], width: str) -> html.Div:
    return html.Div(
        className="filter",
        children=[
            html.Label(label, htmlFor=id_, className="filter-label"),
            dcc.Dropdown(
                id=id_,
                options=options,
                value=[],
                multi=True,
                placeholder="all",
                className="filter-choice",
                style={"minWidth": width},
            ),
        ],
    )


def make_filters(dataset: Dataset) -> html.Fieldset:
    """The Filters block: groups, types, sub-types, countries, admin1, toll, precision, words."""
    return html.Fieldset(
        id=ids.FILTERS,
        className="filters",
        children=[
            html.Legend("Filters"),
            _choice(ids.FILTER_GROUPS, "Groups", group_options(dataset), "12rem"),
            _choice(ids.FILTER_TYPES, "Event types", label_options(dataset, "event_type"), "12rem"),
            _choice(
                ids.FILTER_SUBTYPES, "Sub-types", label_options(dataset, "sub_event_type"), "11rem"
            ),
            _choice(ids.FILTER_COUNTRIES, "Countries", label_options(dataset, "country"), "9rem"),
            _choice(ids.FILTER_ADMIN1, "Admin1", label_options(dataset, "admin1"), "9rem"),
            html.Div(
                className="filter",
                children=[
                    html.Label("Killed at least", htmlFor=ids.FILTER_MIN_FATALITIES),
                    # text, not number: Dash's number input shows "NaN" when emptied
                    dcc.Input(
                        id=ids.FILTER_MIN_FATALITIES,
                        type="text",
                        inputMode="numeric",
                        pattern="[0-9]*",
                        maxLength=len(str(MAX_FATALITIES)),
                        value="",
                        debounce=True,
                        placeholder="0",
                        className="filter-number",
                    ),
                ],
            ),
            html.Div(
                className="filter",
                children=[
                    html.Label("Words in the notes", htmlFor=ids.FILTER_Q),
                    dcc.Input(
                        id=ids.FILTER_Q,
                        type="search",
                        value="",
                        debounce=True,
                        maxLength=MAX_Q,
                        placeholder="e.g. camp",
                        className="filter-text",
                    ),
                ],
            ),
            # named for assistive technology by assets/atlas/a11y.js from data-label
            html.Div(
                dcc.Checklist(
                    id=ids.FILTER_EXACT,
                    options=[{"label": " exact place and day only", "value": "exact"}],
                    value=[],
                    className="filter filter-exact",
                ),
                **{"data-label": "Precision"},
            ),
            html.Button(
                "Clear filters",
                id=ids.FILTER_CLEAR,
                n_clicks=0,
                className="step",
                title="Show every event again",
            ),
        ],
    )
