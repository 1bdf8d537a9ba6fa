"""Prometheus metrics at `/metrics`, computed from the database when scraped.

Several gunicorn workers each keep their own memory and a scrape reaches one of them, so
counters kept in a process would be a random worker's share (and reset every time a worker is
replaced). Every figure here is therefore read from the database at scrape time: the same
answer whichever process serves it.

Each app registers what it knows in its `AppConfig.ready` (core imports no other app):
`register("outbox", collect)`, where `collect()` returns `Family` objects. A collector that
fails is skipped and reported as `onestop_metrics_collector_up{collector="…"} 0`.

Access: `Authorization: Bearer <ONESTOP_METRICS_TOKEN>`, compared in constant time. Without a
configured token the URL does not exist (404); no header: 401; a wrong token: 403. The labels
are states, statuses and scopes, never anything about a person.
"""

from __future__ import annotations

import hmac
import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult

log = logging.getLogger("onestop.metrics")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True)
class Family:
    """One metric: its name, help text, type and samples (labels, value); a histogram's samples
    go in `series` (suffix of the name, e.g. "_bucket", labels, value)."""

    name: str
    help: str
    samples: Sequence[tuple[Mapping[str, str], float]] = field(default_factory=tuple)
    kind: str = "gauge"
    series: Sequence[tuple[str, Mapping[str, str], float]] = field(default_factory=tuple)


Collector = Callable[[], Iterable[Family]]
_COLLECTORS: dict[str, Collector] = {}


def register(name: str, collector: Collector) -> None:
    """Add (or replace) the collector called `name`."""
    _COLLECTORS[name] = collector


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value))


def render(families: Iterable[Family]) -> str:
    """The text exposition format (version 0.0.4)."""
    lines: list[str] = []
    for family in families:
        help_text = family.help.replace("\\", "\\\\").replace("\n", "\\n")
        lines.append(f"# HELP {family.name} {help_text}")
        lines.append(f"# TYPE {family.name} {family.kind}")
        named = [("", labels, value) for labels, value in family.samples]
        for suffix, labels, value in [*named, *family.series]:
            text = ",".join(f'{key}="{_escape(str(val))}"' for key, val in sorted(labels.items()))
            name = family.name + suffix
            lines.append(
                f"{name}{{{text}}} {_number(value)}" if text else f"{name} {_number(value)}"
            )
    return "\n".join(lines) + "\n"


def collect() -> list[Family]:
    families: list[Family] = []
    up: list[tuple[Mapping[str, str], float]] = []
    for name, collector in sorted(_COLLECTORS.items()):
        try:
            collected = list(collector())
        except Exception:  # one broken collector must not hide the others
            log.warning("metrics collector %s failed", name, exc_info=True)
            up.append(({"collector": name}, 0))
            continue
        families.extend(collected)
        up.append(({"collector": name}, 1))
    families.append(
        Family(
            "onestop_metrics_collector_up", "Whether each collector answered (1) or failed (0).", up
        )
    )
    return families


def _token_matches(request: HttpRequest, token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    token: str = getattr(settings, "ONESTOP_METRICS_TOKEN", "")
    if not token:
        raise Http404
    if not request.headers.get("Authorization"):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if not _token_matches(request, token):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(render(collect()), content_type=CONTENT_TYPE)


def core_families() -> list[Family]:
    """The task queue (django-tasks-db): tasks ready to run, the oldest one's wait, and every
    stored task by status."""
    from onestop.core.health import task_queue  # noqa: PLC0415 (health imports this module)

    queue = task_queue()
    by_status = DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by()
    return [
        Family("onestop_tasks_ready", "Tasks ready to run now.", [({}, queue["ready"])]),
        Family(
            "onestop_tasks_oldest_ready_age_seconds",
            "How long the oldest task ready to run has waited (0 when none).",
            [({}, queue["oldest_ready_age_seconds"])],
        ),
        Family(
            "onestop_tasks",
            "Tasks stored by django-tasks-db, by status.",
            [({"status": status}, n) for status, n in sorted(by_status)],
        ),
    ]
