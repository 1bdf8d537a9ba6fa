"""gunicorn settings for OneStop (`gunicorn -c deploy/gunicorn.conf.py config.wsgi:application`).

Workers follow the cores this process may use (2 per core + 1, gunicorn's advice for mostly
I/O-bound work), each with a few threads; WEB_CONCURRENCY and GUNICORN_THREADS override.
Behind a reverse proxy on the same machine (deploy/Caddyfile), which buffers slow clients."""

import os

_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

bind = os.environ.get("ONESTOP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * _cores + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# The request document (PDF) and file cleaning can take a few seconds; nothing takes a minute.
timeout = 60
graceful_timeout = 30
# Restart each worker now and then, staggered, so that no slow leak grows without bound.
max_requests = 2000
max_requests_jitter = 200
# Only the proxy on this machine may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Load Django, every view and the big read-only data (addresses, the Thai dictionary, the PDF
# fonts: config/preload.py) once in the master, before the workers fork: they share those pages
# (copy-on-write) instead of each building a copy (bench/memory_workers.py measures each worker's
# own and shared memory). New code then needs a restart, not a HUP reload
# (deploy/onestop-web.service). GUNICORN_PRELOAD=0 loads the app in each worker instead.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"


def when_ready(server: object) -> None:
    """In the master, after the app is loaded and before the first fork."""
    if preload_app:
        from config.preload import warm  # noqa: PLC0415

        warm()


accesslog = "-"
errorlog = "-"


def worker_exit(server: object, worker: object) -> None:
    """A worker leaving (recycled, or at shutdown) writes the request latencies it counted
    since its last write (onestop.core.latency), so /metrics loses none of them."""
    from django.apps import apps  # noqa: PLC0415 (this file is read before Django is set up)

    if apps.ready:
        from onestop.core.latency import flush  # noqa: PLC0415

        flush(force=True)
