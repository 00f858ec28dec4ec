"""Run Sahel Atlas: ``python app.py`` (development) or ``gunicorn app:server`` (a team).

``python app.py --events export.csv [more.csv ...]`` adds an analyst's own ACLED, UCDP GED
or atlas-format exports to the shipped events (``--no-shipped-events`` to show only them);
each import is reported on the command line and cached (see ``dashboard/ingest.py``).
Under gunicorn the same choices come from the environment: ``SAHEL_ATLAS_DATA`` (a data
folder), ``SAHEL_ATLAS_EVENTS`` (files, separated by ``:``), ``SAHEL_ATLAS_FORMAT`` and
``SAHEL_ATLAS_SHIPPED_EVENTS=0``.
"""

from __future__ import annotations

import argparse
import os
import sys

from dashboard.data import GEODATA
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
    except ImportFailed as failed:
        print(f"error: {failed}", file=sys.stderr)
        return 2
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
else:
    app = _from_env()
    server = app.server
