"""An analyst's export, uploaded from the page in chunks, imported, and opened as a data set.

A browser cannot hand a 580 MB CSV to one request (``dcc.Upload`` would base64 it into
memory and into one callback), so the page sends the file in chunks of at most
``CHUNK_BYTES`` to ``UPLOAD_PATH``; each chunk is appended to a file in the upload folder,
named by a random id the server chose (the file's own name is only displayed, never used
as a path). ``IMPORT_PATH`` then imports the file in a background thread through the
Parquet cache (``dashboard.ingest``) and ``IMPORT_PATH/<id>`` reports the progress and,
at the end, the import report and the data set's key. The jobs are files in the upload
folder, not a process's memory, so each request may reach any worker sharing that folder.
Every imported data set is served
under ``DATASET_PREFIX<key>/``: built on first request from the cache, which lives on a
shared folder, so any worker (or host) sharing it can serve any data set.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

log = logging.getLogger("sahel_atlas")

#: Routes, below the app's own prefix.
UPLOAD_PATH = "data/upload"
IMPORT_PATH = "data/import"
DATASET_PREFIX = "d/"
#: The largest chunk the page sends; a request body beyond it is refused.
CHUNK_BYTES = 8 * 1024 * 1024
#: The largest file accepted unless ``SAHEL_ATLAS_MAX_UPLOAD`` (bytes) says otherwise.
DEFAULT_MAX_UPLOAD = 1024**3
_ID = re.compile(r"^[0-9a-f]{32}$")
_KEY = re.compile(r"^[0-9a-f]{40}-v\d+c\d+-[a-z]+-[0-9a-f]{16}$")


def max_upload() -> int:
    """The size limit of an upload, in bytes."""
    try:
        return max(1, int(os.environ.get("SAHEL_ATLAS_MAX_UPLOAD", DEFAULT_MAX_UPLOAD)))
    except ValueError:
        return DEFAULT_MAX_UPLOAD


def _json(body: dict[str, Any], status: int = 200) -> Response:
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


def _error(status: int, message: str) -> Response:
    return _json({"error": message}, status)


def display_name(name: str) -> str:
    """A file name fit to show: no folders, no control characters, at most 120 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    clean = "".join(c for c in base if c.isprintable()).strip()
    return clean[:120] or "events.csv"


@dataclass
class Job:
    """One import in progress or done, as kept in ``<id>.json`` in the upload folder."""

    id: str
    name: str
    state: str = "uploading"  # uploading, importing, done, failed
    received: int = 0
    total: int = 0
    report: dict[str, Any] | None = None
    key: str = ""
    error: str = ""

    def public(self) -> dict[str, Any]:
        """What the page is told about the job."""
        return asdict(self)


class Uploads:
    """The uploads and imports of one app, kept in a folder that several processes may share.

    Each job is a JSON file beside its bytes, read and written under a lock on that file
    (``flock``), so the chunks of one upload, its start and its progress may each reach a
    different worker or host sharing the folder; the import runs in the process that was
    asked to start it. ``run_import(path, fmt, name)`` does the importing and returns
    ``(key, report dict)``, raising ValueError or OSError for a file that cannot be
    imported at all.
    """

    def __init__(self, folder: Path, run_import: Callable[[Path, str, str], tuple[str, dict]]):
        """Keep uploads in ``folder`` (created on first use)."""
        self.folder = folder
        self.run_import = run_import
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sahel-import")

    def path_of(self, job: Job) -> Path:
        """Where the job's bytes are: the server-chosen id, never the uploaded name."""
        return self.folder / f"{job.id}.csv"

    @contextmanager
    def _job(self, job_id: str, *, create: Job | None = None) -> Iterator[Job | None]:
        """The job ``job_id`` (None if there is none), locked against every other process.

        Changes made to it inside the block are written back. ``create``: a new job to
        write under that (fresh, random) id.
        """
        if not _ID.match(job_id):
            yield None
            return
        path = self.folder / f"{job_id}.json"
        if create is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            flags = os.O_RDWR | os.O_CREAT | os.O_EXCL
        else:
            flags = os.O_RDWR
        try:
            fd = os.open(path, flags, 0o600)
        except FileNotFoundError:
            yield None
            return
        with os.fdopen(fd, "r+", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)  # released when the file is closed
            try:
                job = create or Job(**json.load(fh))
            except (ValueError, TypeError):  # not a job this code wrote
                yield None
                return
            before = job.public()
            yield job
            if job.public() != before or create is not None:
                fh.seek(0)
                fh.truncate()
                json.dump(job.public(), fh)

    def chunk(self) -> Response:
        """``POST UPLOAD_PATH?id=&offset=&total=&name=``: append one chunk."""
        job_id = request.args.get("id", "")
        try:
            offset = int(request.args.get("offset", ""))
            total = int(request.args.get("total", ""))
        except ValueError:
            return _error(400, "offset and total must be whole numbers of bytes")
        limit = max_upload()
        if total > limit:
            return _error(
                413,
                f"the file is {total / 1e6:,.0f} MB; this server takes files up to "
                f"{limit / 1e6:,.0f} MB (SAHEL_ATLAS_MAX_UPLOAD)",
            )
        if total <= 0 or offset < 0 or offset > total:
            return _error(400, "offset and total do not describe a part of a file")
        if request.content_length is not None and request.content_length > CHUNK_BYTES:
            return _error(413, f"a chunk is at most {CHUNK_BYTES} bytes")
        body = request.get_data(cache=False)
        if len(body) > CHUNK_BYTES or offset + len(body) > total:
            return _error(413, "the chunk goes past the file's announced size")
        new = None
        if not job_id:
            if offset != 0:
                return _error(400, "an upload starts at offset 0")
            job_id = secrets.token_hex(16)
            new = Job(job_id, display_name(request.args.get("name", "")), total=total)
        with self._job(job_id, create=new) as job:
            if job is None:
                return _error(404, "no such upload")
            if job.state != "uploading" or job.total != total:
                return _error(409, "this upload is closed or its size changed")
            if offset != job.received:
                return _json({"error": "out of order", **job.public()}, 409)
            with open(self.path_of(job), "ab") as fh:
                fh.write(body)
            job.received += len(body)
            return _json(job.public())

    def start(self) -> Response:
        """``POST IMPORT_PATH?id=&format=``: import a complete upload in the background."""
        fmt = request.args.get("format", "auto")
        with self._job(request.args.get("id", "")) as job:
            if job is None:
                return _error(404, "no such upload")
            if fmt not in ("auto", "acled", "ucdp", "atlas"):
                return _error(400, f"unknown format {display_name(fmt)!r}")
            if job.state != "uploading" or job.received != job.total:
                done = f"{job.received} of {job.total} bytes"
                return _error(409, f"the upload is {job.state}, {done}")
            job.state = "importing"
        self.pool.submit(self._import, job, fmt)
        return _json(job.public(), 202)

    def _import(self, job: Job, fmt: str) -> None:
        path = self.path_of(job)
        outcome: dict[str, Any]
        try:
            key, report = self.run_import(path, fmt, job.name)
            outcome = {"key": key, "report": report, "state": "done"}
        except (OSError, ValueError) as error:
            outcome = {"error": str(error).replace(str(path), job.name), "state": "failed"}
        except Exception:  # a bug, not the file: logged, and the page is told it failed
            log.exception("import of upload %s failed", job.id)
            outcome = {"error": "the import failed on the server (see its log)", "state": "failed"}
        finally:
            path.unlink(missing_ok=True)  # the Parquet cache keeps what was imported
        with self._job(job.id) as kept:
            if kept is not None:
                for name, value in outcome.items():
                    setattr(kept, name, value)

    def status(self, job_id: str) -> Response:
        """``GET IMPORT_PATH/<id>``: where the upload or import stands."""
        with self._job(job_id) as job:
            if job is None:
                return _error(404, "no such upload")
            return _json(job.public())


def serve_uploads(server: Flask, prefix: str, uploads: Uploads) -> None:
    """Add the upload and import routes below ``prefix`` (the app's routes prefix)."""
    server.add_url_rule(prefix + UPLOAD_PATH, "upload-chunk", uploads.chunk, methods=["POST"])
    server.add_url_rule(prefix + IMPORT_PATH, "import-start", uploads.start, methods=["POST"])
    server.add_url_rule(prefix + IMPORT_PATH + "/<job_id>", "import-status", uploads.status)


def is_dataset_key(key: str) -> bool:
    """Whether ``key`` is the shape of a cache key (never a path of its own)."""
    return bool(_KEY.match(key))


class DatasetDispatcher:
    """WSGI middleware that sends each imported data set's paths to its own app.

    ``<routes>d/<key>/...`` goes to the app of that data set, built on first use by
    ``build(key, routes, requests)`` with its own routes and requests prefixes (None: no
    such data set, a 404); every other path goes to the main app.
    """

    def __init__(self, main, routes: str, requests: str, build: Callable[[str, str, str], Any]):
        """Dispatch below the main app's ``routes`` prefix (``requests``: as browsers see it)."""
        self.main = main
        self.prefix = routes + DATASET_PREFIX
        self.requests = requests + DATASET_PREFIX
        self.build = build
        self.apps: dict[str, Any] = {}
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        """Route one request."""
        path = environ.get("PATH_INFO", "")
        if not path.startswith(self.prefix):
            return self.main(environ, start_response)
        key = path[len(self.prefix) :].split("/", 1)[0]
        app = self._app(key) if is_dataset_key(key) else None
        if app is None:
            body = b"No such data set: it may have been imported on another server, or removed."
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [body]
        return app(environ, start_response)

    def _app(self, key: str):
        with self.lock:
            if key not in self.apps:
                built = self.build(key, f"{self.prefix}{key}/", f"{self.requests}{key}/")
                if built is None:
                    return None
                self.apps[key] = built
            return self.apps[key]
