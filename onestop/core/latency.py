"""Request latency by view for /metrics: one histogram per resolved view name and status class.

`RequestLatencyMiddleware` times each request (from just after the health probes to the
response) and counts it, in this process, under the view's name (`resolver_match.view_name`,
e.g. `backoffice:case`: the URL pattern's name, never the path, so numbers and ids in the
address never become labels; "unmatched" when no pattern matched) and the status class (`2xx`
… `5xx`). Label values are therefore bounded by the URL patterns of the code.

Across processes, the same honest way as every other figure at /metrics: the database holds
the sums. Each process adds what it counted to the rows of `RequestLatency` (one per view,
status class and bucket: `count = count + n` in one upsert) at most every `FLUSH_SECONDS`,
after a response has been sent (`request_finished`, on the thread's own connection), and when a
gunicorn worker exits (`worker_exit` in deploy/gunicorn.conf.py, so a recycled worker's counts
are not lost); a scrape reads the sums, whichever worker or server answers it, and they only
grow, as a Prometheus histogram should. The figures lag by up to `FLUSH_SECONDS` per process.
A failed write (database down) keeps the counts for the next one.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse

from onestop.core.metrics import Family

log = logging.getLogger("onestop.metrics")

# Upper bounds in seconds (Prometheus' defaults), and their label values.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, math.inf)
LE = tuple("+Inf" if math.isinf(b) else repr(b) for b in BUCKETS)
FLUSH_SECONDS = 10.0  # ONESTOP_LATENCY_FLUSH_SECONDS overrides (the tests write only when asked)
UNMATCHED = "unmatched"
NAME = "onestop_request_duration_seconds"

Key = tuple[str, str, str]  # view, status class, bucket's upper bound ("le")


class _Pending:
    """What this process counted since its last write: key → [requests, seconds]."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[Key, list[float]] = {}
        self.written_at = time.monotonic()

    def add(self, key: Key, seconds: float) -> None:
        with self.lock:
            entry = self.counts.setdefault(key, [0, 0.0])
            entry[0] += 1
            entry[1] += seconds

    def take(self, *, force: bool) -> dict[Key, list[float]]:
        """The counts to write now (and forget), or nothing if it is not time yet."""
        with self.lock:
            every = getattr(settings, "ONESTOP_LATENCY_FLUSH_SECONDS", FLUSH_SECONDS)
            due = time.monotonic() - self.written_at >= every
            if not self.counts or not (force or due):
                return {}
            taken, self.counts = self.counts, {}
            self.written_at = time.monotonic()
            return taken

    def give_back(self, counts: dict[Key, list[float]]) -> None:
        with self.lock:
            for key, (n, seconds) in counts.items():
                entry = self.counts.setdefault(key, [0, 0.0])
                entry[0] += n
                entry[1] += seconds


_pending = _Pending()


def record(*, view: str, status: int, seconds: float) -> None:
    """Count one request of `view` answered with `status` in `seconds` (in this process)."""
    bucket = next(i for i, bound in enumerate(BUCKETS) if seconds <= bound)
    _pending.add((view, f"{status // 100}xx", LE[bucket]), seconds)


def flush(*, force: bool = False) -> None:
    """Add this process's counts to the database's sums (when due, or now with `force`)."""
    counts = _pending.take(force=force)
    if not counts:
        return
    from onestop.core.models import RequestLatency  # noqa: PLC0415 (apps may still be loading)

    table = connection.ops.quote_name(RequestLatency._meta.db_table)
    rows = sorted(counts.items())  # one order for every process: no deadlock between them
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    params: list[Any] = [
        v for (view, status, le), (n, s) in rows for v in (view, status, le, int(n), s)
    ]
    # The table's name from the model, placeholders for every value: nothing from a request.
    columns = '"view", "status_class", "le", "count", "seconds"'
    add = f'"count" = {table}."count" + excluded."count", '
    add += f'"seconds" = {table}."seconds" + excluded."seconds"'
    sql = f"INSERT INTO {table} ({columns}) VALUES {values} "  # noqa: S608
    sql += f'ON CONFLICT ("view", "status_class", "le") DO UPDATE SET {add}'
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        log.warning("request latency not written (kept for the next time)", exc_info=True)
        _pending.give_back(counts)


def flush_when_due(**_kwargs: object) -> None:
    """`request_finished` receiver: after the response went out, write if it is time."""
    flush()


class RequestLatencyMiddleware:
    """Times every request below it and counts it by view name and status class."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        record(
            view=match.view_name if match is not None else UNMATCHED,
            status=response.status_code,
            seconds=time.monotonic() - started,
        )
        return response


def families() -> list[Family]:
    """The histogram from the database's sums (cumulative buckets, as Prometheus wants)."""
    from onestop.core.models import RequestLatency  # noqa: PLC0415

    by_series: dict[tuple[str, str], dict[str, tuple[int, float]]] = {}
    for row in RequestLatency.objects.order_by().values_list(
        "view", "status_class", "le", "count", "seconds"
    ):
        view, status, le, n, seconds = row
        by_series.setdefault((view, status), {})[le] = (n, seconds)
    series: list[tuple[str, dict[str, str], float]] = []
    for (view, status), buckets in sorted(by_series.items()):
        labels = {"view": view, "status": status}
        running = 0
        total_seconds = 0.0
        for le in LE:
            n, seconds = buckets.get(le, (0, 0.0))
            running += n
            total_seconds += seconds
            series.append(("_bucket", {**labels, "le": le}, running))
        series.append(("_sum", labels, total_seconds))
        series.append(("_count", labels, running))
    return [
        Family(
            NAME,
            "Time to answer a request, by view (URL pattern name) and status class, summed over "
            "every process (each writes its counts at most every 10 s and when it exits).",
            kind="histogram",
            series=series,
        )
    ]
