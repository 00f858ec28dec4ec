"""The atlas with its detail panel's server callback made to fail, for test SA703.

``python tests/browser/faulty_app.py --port N``: a town's record cannot be made, so a
click on a town makes the detail panel's callback raise, as a bug would; the rest of the
app is the real one.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dashboard import callbacks  # noqa: E402
from dashboard.server import create_app  # noqa: E402


def _broken(*args, **kwargs):
    raise RuntimeError("a fault injected by the test")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    callbacks.make_town_detail = _broken
    create_app().run(host="127.0.0.1", port=port, debug=False)
