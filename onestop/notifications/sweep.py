"""Abandoned task runs made re-runnable. django-tasks-db marks a run RUNNING when a worker
claims it and never looks at it again: a worker killed mid-task (SIGKILL, a power cut, the
OOM killer) leaves it RUNNING for ever. `tasks_requeue_abandoned` puts back to READY every run
of an idempotent task (`REQUEUABLE`) that has been RUNNING longer than `TASK_LEASE`, so the
next worker takes it again. Only idempotent tasks: the outbox's `deliver` leases each message
(a second run leaves a live lease alone) and `daily_digest` plans by unique key, so a run put
back while its first worker was only slow costs nothing but a query. Any other task left
RUNNING is logged, not touched (running it twice might not be harmless).

Called by `manage.py notifications_deliver` (the five-minute timer in production),
`manage.py notifications_digest` (run by `scripts/serve` before the worker starts) and each
`daily_digest` run."""

from __future__ import annotations

import datetime as dt
import logging

from django.tasks import TaskResultStatus
from django.utils import timezone

log = logging.getLogger("onestop.notifications")

TASK_LEASE = dt.timedelta(minutes=15)  # a `deliver` run takes seconds; 15 minutes is "dead"
REQUEUABLE = frozenset(
    {"onestop.notifications.tasks.deliver", "onestop.notifications.digest.daily_digest"}
)


def tasks_requeue_abandoned(
    *, now: dt.datetime | None = None, lease: dt.timedelta = TASK_LEASE
) -> int:
    """Put abandoned runs of idempotent tasks back to READY; return how many."""
    from django.tasks import task_backends  # noqa: PLC0415

    if not any(
        type(backend).__module__.startswith("django_tasks_db") for backend in task_backends.all()
    ):
        return 0  # another backend: nothing of ours is left RUNNING in a table
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 (only with that backend)

    before = (now or timezone.now()) - lease
    stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=before)
    others = list(stale.exclude(task_path__in=REQUEUABLE).values_list("id", "task_path"))
    for task_id, path in others:
        log.warning("task %s (%s) RUNNING since before %s: left alone", task_id, path, before)
    count = stale.filter(task_path__in=REQUEUABLE).update(
        status=TaskResultStatus.READY, started_at=None
    )
    if count:
        log.warning("%s abandoned task runs put back to READY", count)
    return int(count)
