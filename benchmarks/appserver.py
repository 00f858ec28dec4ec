"""``app.py`` in a process of its own, for the benchmarks: started, timed until it answers,
its peak memory read, stopped; and the tree of another revision to serve beside it.

Used by ``scale.py``, ``memory.py`` and ``first_load.py``, which measure a server as a
person starts it (``python app.py ...``), not an app in the benchmark's own process.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port free on the loopback now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppProcess:
    """``app.py ARGS`` of the source tree ``tree`` on a free port, from its start until it
    answers ``/`` (``start_s``, seconds), until ``stop``. Its output goes to ``log``."""

    def __init__(self, args: list[str], log: Path, *, tree: Path = ROOT, timeout: float = 900):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log
        self.log = open(log, "w")  # noqa: SIM115 (closed in stop)
        t0 = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "app.py", *args, "--port", str(port)],
            cwd=tree,
            env={**os.environ, "PYTHONPATH": str(tree)},  # that tree's dashboard package
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        while True:
            if self.proc.poll() is not None:
                self.log.close()
                raise RuntimeError(f"app.py in {tree} exited early, see {log}")
            if time.monotonic() - t0 > timeout:
                self.stop()
                raise RuntimeError(f"app.py in {tree} did not answer within {timeout:.0f} s")
            try:
                urllib.request.urlopen(self.url + "/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.05)
        self.start_s = time.monotonic() - t0

    def peak_mb(self) -> float:
        """The process's peak resident set so far (``VmHWM``), in MB (10^6 bytes)."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
        raise RuntimeError("no VmHWM in /proc status")

    def get(self, path: str) -> tuple[bytes, float]:
        """The body of ``path`` and the seconds it took."""
        t0 = time.perf_counter()
        with urllib.request.urlopen(self.url + path, timeout=600) as response:
            body = response.read()
        return body, time.perf_counter() - t0

    def stop(self) -> None:
        """End the server process and close its log."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def events_args(export: Path, cache: Path) -> list[str]:
    """The arguments of ``app.py`` serving only the events of ``export``, cached in ``cache``."""
    return ["--events", str(export), "--no-shipped-events", "--cache", str(cache)]


def tree_at(revision: str, into: Path) -> Path:
    """The files of this repository at ``revision``, written into a new folder under
    ``into`` (``git archive``), to serve beside the checkout."""
    tree = into / f"tree-{revision.replace('/', '-')}"
    tree.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", revision], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree
