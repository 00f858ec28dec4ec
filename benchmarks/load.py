"""Load: simulated readers against gunicorn, with slow clients pressing on it (issue 10).

``python benchmarks/load.py`` starts ``gunicorn -c gunicorn.conf.py app:server`` on a free
loopback port with the shipped data and an empty import cache (or takes ``--url`` of a
server already running on this machine), then runs, headless, for ``--seconds`` (60):

- ``--users`` (50) locust users, each doing what a person does, with a pause of
  ``--think`` seconds between two actions: open the page (the page, ``/_dash-layout``,
  ``/_dash-dependencies``, ``data/atlas.json``, the binary event columns and the callbacks
  the page fires on load), step the date (the situation panel and the legend's callbacks,
  with the body the page sends: the ``situation-day`` store), change the window and the
  filters (the same callbacks with filters; a notes search for ``q``), open events (the
  event detail callback on ``event-click``, the hover text), search the notes and export
  the view as CSV and GeoJSON. ``--importers`` (3) of them also import a small fixture
  through the chunked upload and open the data set it makes;
- ``--slow-clients`` (20) sockets that each send a request line and then one header line
  every ``--dribble`` seconds (3), kept open throughout (one the server closes is opened
  again);
- a probe of ``/healthz`` every 0.5 s: whether the server is still up, and the reference
  the other figures are compared with (the cost of a trivial request through gunicorn
  under the same load, so that runs on a busy and an idle machine can be compared).

It prints the machine (cores, load average before and after), a table of requests,
failures and p50/p95 per endpoint (callbacks named by their output) and overall, and
issue 10's targets with PASS/FAIL. It exits 1 on a failed request or when the server went
down; the p95 target is reported, not a gate. Loopback only: ``--url`` must be a loopback
address. Requests are made with locust's FastHttpUser (geventhttpclient), which costs the
2-core machine far less CPU than ``requests`` would.
"""

from __future__ import annotations

# gevent patches the standard library; it must come before anything that uses sockets.
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import ipaddress  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import select  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import quote, urlsplit  # noqa: E402

import gevent  # noqa: E402
from gevent.event import Event  # noqa: E402
from locust import FastHttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from locust.log import setup_logging  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.appserver import free_port  # noqa: E402
from benchmarks.load_report import (  # noqa: E402
    CALLBACK_PREFIX,
    Outcome,
    Row,
    SlowClients,
    exit_code,
    machine,
    percentile,
    table,
)

UPDATE = "/_dash-update-component"
#: Small exports a few users import (fictional rows, see tests/fixtures/import/README.md).
FIXTURES = [
    ROOT / "tests" / "fixtures" / "upload" / "acled_sample.csv",
    ROOT / "tests" / "fixtures" / "import" / "ucdp_ged.csv",
    ROOT / "tests" / "fixtures" / "import" / "acled_pre2023.csv",
]
#: Words a reader searches the notes for.
WORDS = ["attack", "Gao", "Timbuktu", "French", "convoy", "killed", "Kidal", "mine", "army"]
WINDOWS = [1, 7, 30, 30, 30, 90, 365, None]
EPOCH = date(1970, 1, 1)


@dataclass
class Site:
    """What the page learns from the server before a reader acts, read-only during the run."""

    callbacks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    first: int = 0
    last: int = 0
    changes: list[int] = field(default_factory=list)
    events: int = 0
    events_url: str = ""
    options: dict[str, list[str]] = field(default_factory=dict)


SITE = Site()


def _iso(day: int) -> str:
    return (EPOCH + timedelta(days=day)).isoformat()


def _walk(node, found: dict[str, list[str]]) -> None:
    """The values offered by the filter dropdowns of a ``/_dash-layout`` tree."""
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and isinstance(props.get("options"), list):
            values = [o.get("value") for o in props["options"] if isinstance(o, dict)]
            found[str(props.get("id"))] = [v for v in values if isinstance(v, str)]
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list):
        for value in node:
            _walk(value, found)


def learn(base: str) -> Site:
    """Read the callback map, the data's range and the filters' options, as the page does."""

    def get(path: str):
        with urllib.request.urlopen(base + path, timeout=30) as reply:
            return json.loads(reply.read())

    site = Site()
    for callback in get("/_dash-dependencies"):
        if callback.get("clientside_function"):
            continue  # runs in the browser: no request
        inputs = [(i["id"], i["property"]) for i in callback["inputs"]]
        site.callbacks[callback["output"]] = inputs
    atlas = get("/data/atlas.json")
    site.first, site.last = atlas["range"]
    site.changes = sorted(c for c in atlas.get("changes", []) if isinstance(c, int))
    site.events = atlas["eventCount"]
    site.events_url = atlas["eventsUrl"]
    _walk(get("/_dash-layout"), site.options)
    wanted = {"situation.children", "legend-groups.children", "event-detail.children"}
    missing = wanted - set(site.callbacks)
    if missing:
        raise SystemExit(f"the server has no callback for {sorted(missing)}: is it the atlas?")
    return site


class Reader(FastHttpUser):
    """A person reading the atlas: steps through days, filters, opens events, exports."""

    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        """Open the page on a day of the war's first years, the default window, no filter."""
        self.day = random.randint(max(SITE.first, 15000), min(SITE.last, 16500))
        self.window: int | None = 30
        self.filters: dict | None = None
        self.open_page()

    # --- what the page sends -------------------------------------------------------
    def view(self) -> dict:
        """The ``situation-day`` store, as ``updateView`` in assets/atlas.js writes it."""
        return {
            "day": self.day,
            "window": self.window,
            "since": None,
            "filters": self.filters,
            "compare": None,
        }

    def callback(self, output: str, changed: str | None, values: dict) -> None:
        """POST one server callback with the body Dash's renderer sends for it."""
        inputs = []
        for cid, prop in SITE.callbacks[output]:
            item = {"id": cid, "property": prop}
            if f"{cid}.{prop}" in values:
                item["value"] = values[f"{cid}.{prop}"]
            inputs.append(item)
        oid, oprop = output.rsplit(".", 1)
        body = {
            "output": output,
            "outputs": {"id": oid, "property": oprop},
            "inputs": inputs,
            "changedPropIds": [changed] if changed else [],
            "parsedChangedPropsIds": [changed] if changed else [],
        }
        name = CALLBACK_PREFIX + output
        with self.client.post(UPDATE, json=body, name=name, catch_response=True) as reply:
            if reply.status_code == 204:
                reply.success()  # PreventUpdate: nothing to change, as asked
            elif reply.status_code != 200 or b'"response"' not in (reply.content or b""):
                reply.failure(f"{reply.status_code}: {(reply.text or '')[:200]}")

    def panels(self) -> None:
        """The two callbacks a new day, window or filter fires."""
        value = self.view()
        for output in ("situation.children", "legend-groups.children"):
            self.callback(output, "situation-day.data", {"situation-day.data": value})

    def search(self) -> str:
        return f"?date={_iso(self.day)}&window={self.window or 'all'}"

    def open_page(self) -> None:
        """What a browser asks for when the page opens (its scripts are cached for a year)."""
        self.client.get(f"/{self.search()}", name="GET /")
        self.client.get("/_dash-layout", name="GET /_dash-layout")
        self.client.get("/_dash-dependencies", name="GET /_dash-dependencies")
        self.client.get("/data/atlas.json", name="GET data/atlas.json")
        self.client.get(SITE.events_url, name="GET data/events.bin")
        # on load the renderer fires every server callback once with the initial values
        for output in ("legend-groups.children", "situation.children"):
            self.callback(output, None, {"situation-day.data": self.day})
        self.callback("event-detail.children", "url.search", {"url.search": self.search()})

    # --- what a person does ---------------------------------------------------------
    @task(6)
    def step_date(self) -> None:
        """A day or a month back or forth, or the next change of control."""
        move = random.choice(["+1", "+1", "+1", "-1", "+30", "-30", "change"])
        if move == "change" and SITE.changes:
            later = [c for c in SITE.changes if c > self.day]
            self.day = later[0] if later else SITE.changes[0]
        else:
            self.day += int(move) if move != "change" else 1
        self.day = min(max(self.day, SITE.first), SITE.last)
        self.panels()

    @task(3)
    def change_filters(self) -> None:
        """Another window, or a filter set (groups, types, countries, toll, words) or cleared."""
        pick = random.choice(["window", "groups", "types", "countries", "toll", "q", "clear"])
        options = SITE.options
        if pick == "window":
            self.window = random.choice(WINDOWS)
        elif pick == "clear":
            self.filters = None
        else:
            filters = dict(self.filters or {})
            if pick == "toll":
                filters["min_fatalities"] = random.choice([1, 10, 50])
            elif pick == "q":
                filters["q"] = random.choice(WORDS)
                # the browser asks which rows' notes hold the words, for its mask
                self.client.get(f"/data/search?q={quote(filters['q'])}", name="GET data/search")
            else:
                offered = options.get(f"filter-{pick}") or []
                if offered:
                    filters[pick] = random.sample(offered, min(len(offered), random.randint(1, 3)))
            self.filters = filters or None
        self.panels()

    @task(3)
    def open_event(self) -> None:
        """Hover an event, then click it: its hover text and the detail panel."""
        i = random.randrange(SITE.events)
        self.client.get(f"/data/event-hover?i={i}", name="GET data/event-hover")
        self.callback(
            "event-detail.children",
            "event-click.data",
            {"event-click.data": {"i": i}, "url.search": self.search()},
        )

    @task(1)
    def search_notes(self) -> None:
        """Words typed in the notes box."""
        words = " ".join(random.sample(WORDS, random.randint(1, 2)))
        self.client.get(f"/data/search?q={quote(words)}", name="GET data/search")

    @task(1)
    def export(self) -> None:
        """The view as CSV or GeoJSON."""
        if random.random() < 0.5:
            self.client.get(f"/data/export.csv{self.search()}", name="GET data/export.csv")
        else:
            path = f"/data/situation.geojson{self.search()}"
            self.client.get(path, name="GET data/situation.geojson")

    @task(1)
    def reopen(self) -> None:
        """The page opened again (a link, a reload)."""
        self.open_page()


class Importer(Reader):
    """A reader who also imports a small export through the page's chunked upload."""

    fixed_count = 3

    @task(2)
    def import_file(self) -> None:
        """Upload in chunks, start the import, follow it, open the data set it makes."""
        path = random.choice(FIXTURES)
        body = path.read_bytes()
        chunk = max(1, len(body) // 3 + 1)  # three chunks, as a large file would be sent
        job = {"id": ""}
        for start in range(0, len(body), chunk):
            url = (
                f"/data/upload?id={job['id']}&offset={start}&total={len(body)}"
                f"&name={quote(path.name)}"
            )
            headers = {"Content-Type": "application/octet-stream"}
            with self.client.post(
                url,
                data=body[start : start + chunk],
                headers=headers,
                name="POST data/upload",
                catch_response=True,
            ) as reply:
                if reply.status_code != 200:
                    reply.failure(f"{reply.status_code}: {(reply.text or '')[:200]}")
                    return
                job = reply.json()
        with self.client.post(
            f"/data/import?id={job['id']}&format=auto", name="POST data/import", catch_response=True
        ) as reply:
            if reply.status_code != 202:
                reply.failure(f"{reply.status_code}: {(reply.text or '')[:200]}")
                return
        deadline = time.monotonic() + 30
        state = {"state": "importing"}
        while state["state"] == "importing" and time.monotonic() < deadline:
            gevent.sleep(0.2)  # the page polls its progress likewise
            reply = self.client.get(f"/data/import/{job['id']}", name="GET data/import/<id>")
            state = reply.json() if reply.status_code == 200 else {"state": "?"}
        with self.client.get(
            f"/d/{state.get('key', 'none')}/data/atlas.json",
            name="GET d/<key>/data/atlas.json",
            catch_response=True,
        ) as reply:
            if state["state"] != "done":
                reply.failure(f"the import of {path.name} ended {state}")
            elif reply.status_code != 200 or not reply.json().get("eventCount"):
                reply.failure(f"{reply.status_code}: the data set has no events")
        if state["state"] == "done":
            self.client.get(f"/d/{state['key']}/", name="GET d/<key>/")


# --- the server, the slow clients and the probe ----------------------------------------
def answers(url: str, timeout: float = 5) -> bool:
    """Whether ``url`` answers 200 within ``timeout`` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            reply.read()
            return reply.status == 200
    except OSError:
        return False


def start_gunicorn(folder: Path) -> tuple[subprocess.Popen, str]:
    """gunicorn with the repository's config, on a free loopback port, an empty cache."""
    port = free_port()
    env = {
        **os.environ,
        "SAHEL_ATLAS_BIND": f"127.0.0.1:{port}",
        "SAHEL_ATLAS_CACHE": str(folder / "cache"),
        "SAHEL_ATLAS_ACCESS_LOG": str(folder / "access.log"),
    }
    log = open(folder / "server.log", "w")  # a file, not a pipe nobody reads
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:server"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while not answers(url + "/healthz", timeout=2):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit(f"gunicorn did not start:\n{(folder / 'server.log').read_text()}")
        gevent.sleep(0.2)
    return proc, url


def dribble(host: str, port: int, slow: SlowClients, stop: Event, every: float) -> None:
    """One slow client: a request line, then a header line every ``every`` seconds."""
    while not stop.is_set():
        try:
            sock = socket.create_connection((host, port), timeout=10)
        except OSError:
            stop.wait(1)
            continue
        slow.opened += 1
        lines = 0
        try:
            sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n".encode())
            while not stop.wait(every):
                if select.select([sock], [], [], 0)[0]:
                    sock.recv(65536)  # the server answered or closed: it gave up on us
                    slow.closed_by_server += 1
                    break
                sock.sendall(f"X-Slow-{lines}: {'x' * 16}\r\n".encode())
                slow.lines_sent += 1
                lines += 1
                if lines >= 40:  # gunicorn takes 50 headers: finish and start again
                    sock.sendall(b"\r\n")
                    sock.recv(65536)
                    break
            else:
                slow.open_at_end += 1
        except OSError:
            slow.closed_by_server += 1
        finally:
            sock.close()


def probe(url: str, stop: Event, counts: dict, times: list[float]) -> None:
    """``/healthz`` every 0.5 s, timed (the reference); one over 10 s counts as down."""
    while not stop.wait(0.5):
        counts["checks"] += 1
        started = time.perf_counter()
        if answers(url + "/healthz", timeout=10):
            times.append((time.perf_counter() - started) * 1000)
        else:
            counts["failures"] += 1


def _row(entry, name: str) -> Row:
    return Row(
        name,
        entry.num_requests,
        entry.num_failures,
        entry.get_response_time_percentile(0.5) or 0,
        entry.get_response_time_percentile(0.95) or 0,
    )


def run(args: argparse.Namespace) -> Outcome:
    """Start (or take) the server, press on it for the run's time, and gather the figures."""
    cores, load_before = machine()
    with tempfile.TemporaryDirectory(prefix="sahel-load-") as tmp:
        proc, url = (None, args.url.rstrip("/")) if args.url else start_gunicorn(Path(tmp))
        try:
            SITE.__dict__.update(learn(url).__dict__)
            Reader.wait_time = between(*args.think)
            Importer.wait_time = between(*args.think)
            Importer.fixed_count = min(args.importers, args.users)
            user_classes = [Reader, Importer] if args.importers else [Reader]
            env = Environment(user_classes=user_classes, host=url)
            runner = env.create_local_runner()
            stop = Event()
            slow = SlowClients(args.slow_clients)
            host = urlsplit(url).hostname or "127.0.0.1"
            port = urlsplit(url).port or 80
            health = {"checks": 0, "failures": 0}
            probe_ms: list[float] = []
            helpers = [
                gevent.spawn(dribble, host, port, slow, stop, args.dribble)
                for _ in range(args.slow_clients)
            ]
            helpers.append(gevent.spawn(probe, url, stop, health, probe_ms))
            started = time.monotonic()
            runner.start(args.users, spawn_rate=args.spawn_rate)
            gevent.spawn_later(args.seconds, runner.quit)
            runner.greenlet.join()
            seconds = time.monotonic() - started
            stop.set()
            gevent.joinall(helpers, timeout=15)
            server_up = answers(url + "/healthz", timeout=10) and (
                proc is None or proc.poll() is None
            )
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
        stats = env.stats
        rows = [_row(e, e.name) for e in stats.entries.values()]
        used = resource.getrusage(resource.RUSAGE_SELF)
        notes = [
            f"load generator (this process, on the same machine): "
            f"{used.ru_utime + used.ru_stime:.0f} s of CPU in {seconds:.0f} s",
            *(f"failure: {e.name}: {e.error} (x{e.occurrences})" for e in stats.errors.values()),
        ]
        return Outcome(
            rows=rows,
            total=_row(stats.total, "overall"),
            slow=slow,
            server_up=server_up,
            health_checks=health["checks"],
            health_failures=health["failures"],
            users=args.users,
            seconds=seconds,
            cores=cores,
            load_before=load_before,
            load_after=os.getloadavg(),
            reference=Row(
                "GET /healthz (probe)",
                health["checks"],
                health["failures"],
                percentile(probe_ms, 0.5),
                percentile(probe_ms, 0.95),
            ),
            notes=notes[:21],
        )


def loopback(url: str) -> str:
    """``url`` when its host is on this machine's loopback, else an argparse error."""
    host = urlsplit(url).hostname or ""
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise argparse.ArgumentTypeError(f"{url}: only a loopback address (127.0.0.0/8, ::1)")
    return url


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The script's options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", type=loopback, help="a running server (default: start one)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--importers", type=int, default=3, help="users who also import a file")
    parser.add_argument("--slow-clients", type=int, default=20)
    parser.add_argument("--dribble", type=float, default=3, help="seconds between header lines")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(0.5, 2.0),
        metavar=("MIN", "MAX"),
        help="seconds a user pauses between two actions",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the load and print the table; 1 on failed requests or a server that went down."""
    args = parse_args(argv)
    setup_logging("WARNING")
    logging.getLogger("locust").setLevel(logging.WARNING)
    outcome = run(args)
    print(table(outcome))
    return exit_code(outcome)


if __name__ == "__main__":
    sys.exit(main())
