"""Run Sahel Atlas: ``python app.py`` (development) or ``gunicorn app:server`` (a team).

``python app.py --events export.csv [more.csv ...]`` adds an analyst's own ACLED, UCDP GED
or atlas-format exports to the shipped events (``--no-shipped-events`` to show only them);
each import is reported on the command line and cached (see ``dashboard/ingest.py``).
Under gunicorn the same choices come from the environment: ``SAHEL_ATLAS_DATA`` (a data
folder), ``SAHEL_ATLAS_EVENTS`` (files, separated by ``:``), ``SAHEL_ATLAS_FORMAT`` and
``SAHEL_ATLAS_SHIPPED_EVENTS=0``.

A data folder that cannot be loaded (a required file missing or unreadable) or an events
file that cannot be imported stops the start with one line naming the file on stderr and
exit code 2 (under gunicorn: the worker's "App failed to load", exit code 4); the
traceback is printed only with ``--debug`` (under gunicorn, ``--log-level debug``).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from dashboard.data import GEODATA, DatasetError
from dashboard.ingest import FORMATS
from dashboard.server import ImportFailed, create_app


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line's options."""
    parser = argparse.ArgumentParser(description="Serve the Sahel Atlas dashboard.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--debug", action="store_true")
    parser.add_argument(
        "--data", default=os.environ.get("SAHEL_ATLAS_DATA") or str(GEODATA), help="data folder"
    )
    parser.add_argument(
        "--events", nargs="+", default=[], metavar="FILE", help="ACLED, UCDP GED or atlas exports"
    )
    parser.add_argument("--format", choices=FORMATS, default="auto", help="format of --events")
    parser.add_argument(
        "--no-shipped-events",
        dest="shipped_events",
        action="store_false",
        help="show only the events of --events, not the atlas's own",
    )
    parser.add_argument("--cache", default=None, help="import cache folder")
    return parser.parse_args(argv)


#: Problems listed in the one line of a start that fails; the rest are counted.
PROBLEMS_SHOWN = 3


def start_error(error: Exception, data: object) -> str:
    """The one line that says why the atlas cannot start, naming the file(s) at fault."""
    if isinstance(error, DatasetError):
        problems = [str(p) for p in error.problems]
        more = len(problems) - PROBLEMS_SHOWN
        listed = "; ".join(problems[:PROBLEMS_SHOWN]) + (f"; and {more} more" if more > 0 else "")
        return f"error: cannot load the data in {data}: {listed}"
    if isinstance(error, ImportFailed):
        return f"error: {error}"
    return f"error: the atlas cannot start: {type(error).__name__}: {error} (--debug shows where)"


def _from_env():
    events = [p for p in os.environ.get("SAHEL_ATLAS_EVENTS", "").split(os.pathsep) if p]
    return create_app(
        os.environ.get("SAHEL_ATLAS_DATA") or GEODATA,
        events=events,
        fmt=os.environ.get("SAHEL_ATLAS_FORMAT", "auto"),
        shipped_events=os.environ.get("SAHEL_ATLAS_SHIPPED_EVENTS", "1") != "0",
        report=lambda line: print(line, file=sys.stderr),
    )


def main(argv: list[str] | None = None) -> int:
    """Import the files asked for, then serve; 2 when an import fails (said on stderr)."""
    args = parse_args(argv)
    try:
        app = create_app(
            args.data,
            events=args.events,
            fmt=args.format,
            shipped_events=args.shipped_events,
            cache=args.cache,
            report=print,
        )
    except Exception as error:  # one line for anyone; the traceback with --debug
        print(" ".join(start_error(error, args.data).split()), file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return 2 if isinstance(error, DatasetError | ImportFailed) else 1
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
else:
    try:
        app = _from_env()
    except (DatasetError, ImportFailed) as error:
        from gunicorn.errors import AppImportError  # gunicorn prints it as one line, exit 4

        data = os.environ.get("SAHEL_ATLAS_DATA") or GEODATA
        raise AppImportError(" ".join(start_error(error, data).split())) from None
    server = app.server
