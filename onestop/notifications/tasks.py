"""The worker's task (django.tasks; django-tasks-db runs it in `manage.py db_worker`).

`deliver_soon()` is called on the commit of every transaction that planned a message: it
enqueues `deliver` at once. `deliver` delivers what is due, then, while anything is pending (a
retry after a backoff, a message leased by a run that may die), enqueues itself for that time
(`run_after`), so a retry happens without any new change. Before each send it also makes sure a
run exists for when that lease expires: a worker killed mid-send (its own task then stays
RUNNING for ever in django-tasks-db) does not strand the message. The wake-ups are deduplicated
through the cache; an extra run is harmless (leases), a missing one is covered by
`manage.py notifications_deliver` from cron (see README). A run enqueued during a request
carries its id (`onestop.core.requestid`), so its log lines join the request's."""

from __future__ import annotations

import datetime as dt
import logging
import math

from django.core.cache import cache
from django.tasks import task
from django.utils import timezone

from onestop.core.requestid import carries_request_id, with_request_id
from onestop.notifications.delivery import deliver_due, next_due_at

log = logging.getLogger("onestop.notifications")

_WAKEUP_GRAIN = 5  # seconds: wake-ups this close together are one


@task()
@carries_request_id
def deliver() -> int:
    """Deliver every due message; schedule the next run while messages are pending."""
    sent = deliver_due(on_lease=_after_lease)
    later = next_due_at()
    if later is not None:
        deliver_at(later)
    return sent


def deliver_soon() -> None:
    """Ask the worker to deliver now (called on commit)."""
    deliver.enqueue(**with_request_id())


def deliver_at(when: dt.datetime, *, grain: int = _WAKEUP_GRAIN) -> None:
    """Make sure a run happens at `when` or up to `grain` seconds after (at once if it has
    passed); one run per slot of `grain` seconds, however many ask."""
    backend = deliver.get_backend()
    if not backend.supports_defer:  # the immediate backend (tests): runs are driven by hand
        return
    slot = math.ceil(max(when, timezone.now()).timestamp() / grain)
    run_after = dt.datetime.fromtimestamp(slot * grain, tz=dt.UTC)
    if cache.add(f"onestop:notifications:wakeup:{grain}:{slot}", True, timeout=24 * 3600):
        deliver.using(run_after=run_after).enqueue(**with_request_id())


def _after_lease(lease_until: dt.datetime) -> None:
    """A run for when this lease expires, should the worker die while sending (one per
    minute of expiry, however many messages a run leases)."""
    deliver_at(lease_until, grain=60)
