"""One id per request, in every log line it causes, in its response and in the tasks it enqueues.

`RequestIdMiddleware` (first in MIDDLEWARE) takes the caller's `X-Request-ID` when it is safe
(letters, digits and `-`, at most 64; a proxy's or a load balancer's id then joins the two
logs) and otherwise makes one (uuid4, hex). It keeps the id in a context variable for the
request's duration and returns it in the response's `X-Request-ID`. `RequestIdFilter`, on the
log handler, writes it into every record as `request_id` ("-" outside a request), and
`JsonFormatter` writes one JSON object per line (`LOG_FORMAT=json`).

Tasks: a task whose function is wrapped in `carries_request_id` takes an optional `request_id`
keyword (stored with the task's arguments by the backend) and runs with it in the context
variable; `with_request_id()` gives the keyword for the current request to pass to `enqueue`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_SAFE = re.compile(r"[A-Za-z0-9-]{1,64}")
_current: ContextVar[str] = ContextVar("onestop_request_id", default="")

access_log = logging.getLogger("onestop.access")


def current_request_id() -> str:
    """The id of the request (or the task) running now; "" outside one."""
    return _current.get()


def clean_request_id(value: str | None) -> str:
    """The caller's id if it is safe to repeat in logs and headers, else a new one."""
    if value is not None and _SAFE.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets the request id, returns it in the response and logs the request's outcome on
    `onestop.access` (view name, status and duration; INFO, shown with LOG_FORMAT=json)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = clean_request_id(request.headers.get(HEADER))
        token = _current.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            match = getattr(request, "resolver_match", None)
            access_log.info(
                "%s %s %s",
                request.method,
                match.view_name if match is not None else "-",
                response.status_code,
                extra={
                    "method": request.method,
                    "view": match.view_name if match is not None else "",
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (put it on the handlers, so that records propagated
    from any logger carry it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get() or "-"
        return True


# The attributes every LogRecord has; anything else came from `extra=` and is written out.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}
_PLAIN = (str, int, float, bool, type(None))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message, request_id, the
    exception's traceback if any and the record's plain `extra` fields. Thai stays Thai (no \\u
    escapes), so the logs read as they were written."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or _current.get() or "-",
        }
        for key, value in record.__dict__.items():
            # Plain values only: Django adds the request object itself (`extra={"request": …}`),
            # whose text holds the query string, which may hold personal data.
            if key not in _STANDARD and key not in entry and isinstance(value, _PLAIN):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def carries_request_id[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """Wrap a task's function (under `@task()`): a `request_id` keyword, if given, is the
    current id while it runs (and is not passed on to the function)."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        request_id = kwargs.pop("request_id", None)
        if not isinstance(request_id, str) or not _SAFE.fullmatch(request_id):
            return func(*args, **kwargs)
        token = _current.set(request_id)
        try:
            return func(*args, **kwargs)
        finally:
            _current.reset(token)

    return run


def with_request_id() -> dict[str, str]:
    """Keywords for `enqueue` that carry the current id to a `carries_request_id` task (none
    outside a request, so a task enqueued by cron has the same arguments as before)."""
    request_id = _current.get()
    return {"request_id": request_id} if request_id else {}
