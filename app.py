"""Run Sahel Atlas: ``python app.py`` (development) or ``gunicorn app:server`` (a team)."""

import argparse
import os

from dashboard.data import GEODATA
from dashboard.server import create_app

app = create_app(os.environ.get("SAHEL_ATLAS_DATA") or GEODATA)
server = app.server

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Serve the Sahel Atlas dashboard.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args()
    app.run(host=args.host, port=args.port, debug=args.debug)
