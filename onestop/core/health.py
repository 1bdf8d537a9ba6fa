"""Health checks for load balancers and monitoring.

`/health/live`: the process answers (no database, no storage), for restarting a stuck process.
`/health/ready`: the database answers, the default storage takes a file, and how long the oldest
task ready to run has waited (django-tasks-db's table). 503 when the database or the storage
fails; the queue's age is reported, not judged: a stuck worker is for monitoring to alert on,
not a reason to take every web server out of the load balancer.

Both are answered by `HealthCheckMiddleware`, first in MIDDLEWARE: before the Host header is
checked (a probe addresses the process by its IP, not by the site's name in ALLOWED_HOSTS),
before any redirect to HTTPS and before the session is read.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult, get_date_max

from onestop.core import metrics

log = logging.getLogger("onestop.health")


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _storage() -> dict[str, Any]:
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    return {}


def task_queue() -> dict[str, Any]:
    """Tasks ready to run and how long the oldest has waited (also for /metrics)."""
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", "run_after")
        .first()
    )
    if oldest is None:
        return {"ready": 0, "oldest_ready_age_seconds": 0}
    enqueued_at, run_after = oldest
    since = enqueued_at if run_after == get_date_max() else max(enqueued_at, run_after)
    return {
        "ready": DBTaskResult.objects.ready().count(),
        "oldest_ready_age_seconds": round((timezone.now() - since).total_seconds()),
    }


_CHECKS: dict[str, tuple[Callable[[], dict[str, Any]], bool]] = {
    # name: (check, whether its failure makes the process not ready)
    "database": (_database, True),
    "storage": (_storage, True),
    "tasks": (task_queue, False),
}


@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, Any]] = {}
    ok = True
    for name, (check, required) in _CHECKS.items():
        started = time.monotonic()
        try:
            result = {"ok": True, **check()}
        except Exception as exc:  # any failure, of any storage backend, is reported
            log.warning("health check %s failed", name, exc_info=True)
            result = {"ok": False, "error": type(exc).__name__}
            ok = ok and not required
        result["ms"] = round((time.monotonic() - started) * 1000, 1)
        results[name] = result
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": results}, status=200 if ok else 503
    )


_PATHS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/health/live": live,
    "/health/ready": ready,
    # Like the probes, answered whatever the Host header (a scraper names the process's address).
    "/metrics": metrics.metrics,
}


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = _PATHS.get(request.path_info)
        return view(request) if view is not None else self.get_response(request)
