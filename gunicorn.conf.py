"""Gunicorn settings for Sahel Atlas: ``gunicorn app:server`` reads this file from here.

Each setting can be changed from the environment without editing the file:

- ``SAHEL_ATLAS_BIND``: where to listen, e.g. ``0.0.0.0:8050`` or ``unix:/run/atlas.sock``
  (several, comma-separated); default ``127.0.0.1:8050``, loopback only.
- ``SAHEL_ATLAS_WORKERS``: processes; default one per CPU. Each loads the data once and
  holds it read-only (about 135 MB resident with the shipped data).
- ``SAHEL_ATLAS_THREADS``: threads per process; default 32.
- ``SAHEL_ATLAS_CONTROL_SOCKET``: a path for gunicorn's control socket (``gunicornc``);
  none by default, so that two servers on one host do not share one.
- ``SAHEL_ATLAS_ACCESS_LOG``: where the access log goes, ``-`` (stdout, the default) or
  a file.

Slow clients: a client that sends its request slowly holds one thread until it is done
(gunicorn hands a connection to a thread once its first bytes arrive; one that sends
nothing is put back after 5 s). Threads are cheap while they wait, so each worker keeps
32: on loopback two workers kept answering in under 150 ms beside 50 clients that sent a
header line every 2 s (with 16 threads, 28 such clients already cut some requests off, as
the kernel does not share connections out evenly). On the open internet, put a buffering
reverse proxy (nginx, Caddy) in front, which reads whole requests before passing them on
(see README, "Serving").
"""

import os

wsgi_app = "app:server"
bind = [b.strip() for b in os.environ.get("SAHEL_ATLAS_BIND", "127.0.0.1:8050").split(",")]
workers = int(os.environ.get("SAHEL_ATLAS_WORKERS") or os.cpu_count() or 2)
# Threads, not sync workers: with sync workers a client that dribbles its headers holds a
# whole process (two such clients took a two-worker server down for 33 s).
worker_class = "gthread"
threads = int(os.environ.get("SAHEL_ATLAS_THREADS") or 32)
# A worker that stops answering its heartbeat for this long is restarted; every
# callback takes milliseconds, so 30 s means a stuck worker, not a slow request.
timeout = 30
graceful_timeout = 30
# Idle keep-alive connections are closed after 5 s (a reverse proxy may want more).
keepalive = 5
# The longest URL the app makes (a view with date, window, lat, lon, zoom, present)
# is under 200 bytes; 4 kB of request line and 50 headers of 8 kB are ample.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
# Bodies: the app itself refuses one over $SAHEL_ATLAS_MAX_BODY (1 MiB) with a 413.
# The data are loaded in each worker, after the fork: pyarrow's thread pools do not
# survive a fork, and a bad data folder still stops the start (the master exits when a
# worker fails to boot).
preload_app = False
accesslog = os.environ.get("SAHEL_ATLAS_ACCESS_LOG", "-")
errorlog = "-"
# The usual combined log plus the time each request took, in milliseconds.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
# gunicorn's control socket (gunicornc) only where asked for: by default every server a
# user runs would share ~/.gunicorn/gunicorn.ctl.
if os.environ.get("SAHEL_ATLAS_CONTROL_SOCKET"):
    control_socket = os.environ["SAHEL_ATLAS_CONTROL_SOCKET"]
else:
    control_socket_disable = True
