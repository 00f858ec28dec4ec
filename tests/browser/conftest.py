"""Real-browser fixtures: the app in a subprocess and Debian's headless Chromium."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Chromium's software WebGL notes its own slow paths as console warnings; they are not ours.
IGNORED_CONSOLE = (
    "GL Driver Message",
    "GPU stall due to ReadPixels",
    "Automatic fallback to software WebGL",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(args: list[str], env: dict | None = None, probe: str = "/"):
    """Start a server command on a free port and wait until it answers.

    Its output goes to a temporary file, not a pipe: a pipe nobody reads fills up with
    the request log after a few hundred requests and then blocks the server.
    """
    port = free_port()
    log = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen(
        [sys.executable, *args, "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    if not wait_until_serving(proc, url + probe):
        log.seek(0)
        raise RuntimeError(f"server exited early:\n{log.read()}")
    return proc, url


def wait_until_serving(proc: subprocess.Popen, url: str, seconds: float = 60) -> bool:
    """Wait until ``url`` answers (True) or the server process exits (False).

    Between two tries it waits on the process itself, so a server that dies at start is
    seen at once; one that neither answers nor dies within ``seconds`` is killed.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return True
        except OSError:
            pass
        try:
            proc.wait(timeout=0.2)
            return False  # it exited
        except subprocess.TimeoutExpired:
            continue  # still starting
    proc.kill()
    raise RuntimeError(f"server did not answer {url} within {seconds:.0f} s")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    # imports made by the tests go to a cache of their own, not the user's
    cache = tmp_path_factory.mktemp("import-cache")
    proc, url = serve(["app.py"], env={"SAHEL_ATLAS_CACHE": str(cache)})
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/test, which installs it")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class Recorder:
    """Everything a page asked for and complained about."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.console: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))

    def _console(self, message):
        if message.type in ("error", "warning") and not any(
            s in message.text for s in IGNORED_CONSOLE
        ):
            self.console.append(f"{message.type}: {message.text}")

    def _response(self, response):
        if response.status >= 400:  # e.g. a URL that misses the app's path prefix
            self.console.append(f"HTTP {response.status}: {response.url}")

    def foreign_requests(self, host: str) -> list[str]:
        return [
            u
            for u in self.requests
            if urlparse(u).scheme not in ("blob", "data") and urlparse(u).hostname != host
        ]


#: How long a test waits for what it expects to see. Tests wait for conditions, never for
#: fixed times, so this is only the bound past which "not yet" becomes "never": on a busy
#: machine (load average 15 on 2 cores, other suites and benchmarks beside) a cold page
#: has taken 27 s to draw its map.
PAGE_TIMEOUT_MS = 60_000


@pytest.fixture
def page(browser, app_url, request):
    size = dict(getattr(request, "param", {"width": 1366, "height": 768}))
    scale = size.pop("scale", 1)  # device pixels per CSS pixel (2 on a "retina" laptop)
    context = browser.new_context(viewport=size, device_scale_factor=scale)
    page = context.new_page()
    page.recorder = Recorder(page)
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    yield page
    host = urlparse(app_url).hostname  # the apps under test all serve from 127.0.0.1
    foreign = page.recorder.foreign_requests(host)
    console = list(page.recorder.console)
    context.close()
    assert not foreign, f"requests left the host: {foreign}"
    assert not console, f"console errors or warnings: {console}"
