"""gunicorn.conf.py: settings gunicorn accepts, then a real server on loopback (no browser)."""

import http.client
import os
import re
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "gunicorn.conf.py"
OURS = ("SAHEL_ATLAS_BIND", "SAHEL_ATLAS_WORKERS", "SAHEL_ATLAS_THREADS", "SAHEL_ATLAS_ACCESS_LOG")


def settings_from(monkeypatch, **env) -> Config:
    """gunicorn's Config after reading gunicorn.conf.py under ``env``; unknown names raise."""
    for name in (*OURS, "SAHEL_ATLAS_CONTROL_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = Config()
    for name, value in runpy.run_path(str(CONF)).items():
        if not name.startswith("_") and not isinstance(value, ModuleType):
            config.set(name, value)  # AttributeError for a name gunicorn does not know
    return config


def test_the_config_survives_slow_clients_and_bounds_requests(monkeypatch):
    config = settings_from(monkeypatch)
    assert config.worker_class_str == "gthread" and config.threads >= 16
    assert config.bind == ["127.0.0.1:8050"]  # loopback unless told otherwise
    assert config.wsgi_app == "app:server"
    assert 0 < config.timeout <= 60 and 0 < config.keepalive <= 10
    assert 0 < config.limit_request_line <= 8190
    assert 0 < config.limit_request_fields <= 100
    assert 0 < config.limit_request_field_size <= 8190
    assert config.accesslog == "-" and "%(M)s" in config.access_log_format
    assert config.control_socket_disable


def test_the_environment_sets_bind_workers_threads_and_the_log(monkeypatch):
    config = settings_from(
        monkeypatch,
        SAHEL_ATLAS_BIND="0.0.0.0:9000, unix:/run/atlas.sock",
        SAHEL_ATLAS_WORKERS="3",
        SAHEL_ATLAS_THREADS="8",
        SAHEL_ATLAS_ACCESS_LOG="/var/log/atlas.log",
        SAHEL_ATLAS_CONTROL_SOCKET="/run/atlas.ctl",
    )
    assert config.bind == ["0.0.0.0:9000", "unix:/run/atlas.sock"]
    assert (config.workers, config.threads) == (3, 8)
    assert config.accesslog == "/var/log/atlas.log"
    assert config.control_socket == "/run/atlas.ctl" and not config.control_socket_disable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    """gunicorn with gunicorn.conf.py, one worker of four threads, on a free loopback port."""
    port = _free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "access.log"
    env = {
        **os.environ,
        "SAHEL_ATLAS_BIND": f"127.0.0.1:{port}",
        "SAHEL_ATLAS_WORKERS": "1",
        "SAHEL_ATLAS_THREADS": "4",
        "SAHEL_ATLAS_ACCESS_LOG": str(log),
    }
    env.pop("SAHEL_ATLAS_CONTROL_SOCKET", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONF)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert proc.poll() is None, "gunicorn exited at start"
            assert time.monotonic() < deadline, "gunicorn did not start within 60 s"
            time.sleep(0.2)
    yield port, log
    proc.terminate()
    proc.wait(timeout=30)


def _get(port: int, path: str, timeout: float = 10) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_gunicorn_serves_the_app_with_no_version_banner_and_logs_access(gunicorn):
    port, log = gunicorn
    response = _get(port, "/healthz", timeout=60)  # the worker loads the data first
    assert response.status == 200
    assert response.getheader("Server") == "gunicorn"  # no version number
    assert "default-src 'self'" in response.getheader("Content-Security-Policy")
    assert _get(port, "/.env").status == 404
    # each line is written once its response has gone out, so in no fixed order
    wanted = ('"GET /healthz HTTP/1.1" 200', '"GET /.env HTTP/1.1" 404')
    deadline = time.monotonic() + 10
    while not all(w in log.read_text() for w in wanted) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(w in log.read_text() for w in wanted), log.read_text()
    assert re.search(r'"GET /healthz HTTP/1.1" 200 \d+ "-" "[^"]*" \d+ms', log.read_text())


def test_clients_that_dribble_their_headers_do_not_hold_up_others(gunicorn):
    port, _ = gunicorn
    _get(port, "/healthz", timeout=60)
    # three of the worker's four threads wait on clients that sent half a request
    slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
    try:
        for s in slow:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n")
        time.sleep(0.5)  # let the worker hand each of them to a thread
        started = time.monotonic()
        assert _get(port, "/healthz", timeout=5).status == 200
        assert time.monotonic() - started < 2
    finally:
        for s in slow:
            s.close()


def test_a_100_mb_post_is_refused_at_once(gunicorn):
    port, _ = gunicorn
    _get(port, "/healthz", timeout=60)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        started = time.monotonic()
        s.sendall(
            b"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\n"
            + f"Content-Length: {100 * 1024 * 1024}\r\n\r\n".encode()
            + b"{" * 65536
        )
        status_line = s.recv(64).split(b"\r\n")[0]
        assert status_line.startswith(b"HTTP/1.1 413 ")
        assert time.monotonic() - started < 2
