"""Callback requests checked before Dash reads them: a malformed one is a 400, never a 500.

Dash trusts the body posted to ``_dash-update-component``: a missing key, an unknown
output or inputs of the wrong shape raise inside Dash and answer 500 with a traceback in
the log. The page's renderer always sends the shape below; anything else is refused here.
What the inputs *hold* is each callback's own business (see ``callbacks.py``).

A callback that raises all the same (a bug) would answer 500, and Dash's renderer, out of
debug mode, shows nothing: the panel just stays as it was. ``report_callback_error`` (the
app's ``on_error``) logs the traceback and says so in the page's notice line instead; the
callback's outputs are left as they were and the rest of the page goes on working.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from dash import Dash, ctx, set_props
from dash._utils import split_callback_id
from flask import abort, request

from dashboard import ids

UPDATE_ROUTE = "_dash-update-component"
log = logging.getLogger("sahel_atlas")
#: What the page calls the components a failed callback was to update.
PANEL_NAMES = {
    ids.SITUATION: "the situation panel",
    ids.EVENT_DETAIL: "the detail panel",
    ids.LEGEND_GROUPS: "the legend",
}


def _failed_outputs() -> str:
    """The panels the failed callback was to update, as the page calls them."""
    outputs = ctx.outputs_list if isinstance(ctx.outputs_list, list) else [ctx.outputs_list]
    names = []
    for output in outputs:
        component = output.get("id") if isinstance(output, dict) else None
        name = PANEL_NAMES.get(component, "part of the page") if isinstance(component, str) else ""
        if name and name not in names:
            names.append(name)
    return " and ".join(names) or "part of the page"


def report_callback_error(error: Exception) -> None:
    """Log a callback's exception with its traceback and say in the page what failed.

    Dash calls it (``Dash(on_error=...)``) instead of answering 500; returning None
    leaves the callback's outputs as they were.
    """
    what = _failed_outputs()
    log.error("callback failed, %s not updated", what, exc_info=error)
    set_props(
        ids.CALLBACK_NOTICE,
        {
            "children": f"Something went wrong on the server ({type(error).__name__}): "
            f"{what} could not be updated. The rest of the page still works; reload the "
            "page to try again."
        },
    )


def _matches(item: object, wanted: Mapping) -> bool:
    """Whether a posted input, state or output names the component property ``wanted``."""
    if isinstance(wanted.get("id"), dict):  # a pattern-matching id: Dash expands it
        return isinstance(item, dict | list)
    return (
        isinstance(item, dict)
        and item.get("id") == wanted.get("id")
        and item.get("property") == wanted.get("property")
    )


def _all_match(items: object, wanted: list) -> bool:
    return (
        isinstance(items, list)
        and len(items) == len(wanted)
        and all(_matches(i, w) for i, w in zip(items, wanted, strict=True))
    )


def envelope_problem(body: object, callbacks: Mapping[str, Mapping]) -> str | None:
    """Why ``body`` is not a request for one of ``callbacks``, or None when it is.

    Args:
        body: The parsed JSON posted to ``_dash-update-component``.
        callbacks: ``app.callback_map``: each server callback's output, inputs and state.

    Returns:
        A short reason for a 400, or None.
    """
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    spec = callbacks.get(output) if isinstance(output, str) else None
    if spec is None or not callable(spec.get("callback")):
        return "no server callback has this output"
    wanted_outputs = split_callback_id(output)
    outputs = body.get("outputs")
    if isinstance(wanted_outputs, list):
        if not _all_match(outputs, wanted_outputs):
            return "outputs do not match the callback's"
    elif not _matches(outputs, wanted_outputs):
        return "outputs do not match the callback's"
    if not _all_match(body.get("inputs"), spec.get("inputs", [])):
        return "inputs do not match the callback's"
    if not _all_match(body.get("state", []), spec.get("state", [])):
        return "state does not match the callback's"
    changed = body.get("changedPropIds", [])
    if not (isinstance(changed, list) and all(isinstance(c, str) for c in changed)):
        return "changedPropIds is not a list of strings"
    return None


def guard_callbacks(app: Dash) -> None:
    """Refuse, with a 400 and a reason, every callback request of the wrong shape."""
    endpoint = app.config.routes_pathname_prefix + UPDATE_ROUTE

    @app.server.before_request
    def _check_callback_request():
        if request.endpoint != endpoint or request.method != "POST":
            return None
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # "[[[[…" nested deeper than Python's parser goes
            body = None
        problem = envelope_problem(body, app.callback_map)
        if problem:
            abort(400, description=problem)
        return None
