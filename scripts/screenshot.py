"""Take the README's screenshot: the page on 11 Jan 2013, in headless Chromium.

Run ``.venv/bin/python scripts/screenshot.py`` after ``scripts/test`` has installed
Chromium and the dev requirements; it writes ``docs/screenshot-2013-01-11.png``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, serve  # noqa: E402
from tests.browser.helpers import open_day, wait_for_map_idle  # noqa: E402


def main() -> None:
    """Serve the app, open it on the day and save a full-page PNG."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", default="2013-01-11")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=768)
    args = parser.parse_args()
    out = ROOT / "docs" / f"screenshot-{args.day}.png"
    proc, url = serve(["app.py"])
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.set_default_timeout(30_000)
            open_day(page, url, args.day)
            wait_for_map_idle(page)
            page.wait_for_timeout(800)  # let MapLibre's label fade-in finish
            page.screenshot(path=str(out), full_page=True)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
