"""An optional PostgreSQL read replica, for pages that may show slightly stale figures.

Off by default. With `DATABASE_REPLICA_URL` set, the settings add the alias `replica` and name
it in `ONESTOP_READ_REPLICA`. Reads go there only inside a view decorated with
`@reads_may_be_stale` (the public performance page, the dashboards, open data, the published
reports). Everything else reads from the primary: the workflow, tracking, sign-in and every
write, so a citizen never sees "not found" for the request they just filed and an officer never
acts on an old version.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import models

_stale_reads_allowed: ContextVar[bool] = ContextVar("stale_reads_allowed", default=False)


@contextmanager
def stale_reads() -> Iterator[None]:
    """Inside this block, reads may go to the replica (if one is configured)."""
    token = _stale_reads_allowed.set(True)
    try:
        yield
    finally:
        _stale_reads_allowed.reset(token)


def reads_may_be_stale[V: Callable[..., Any]](view: V) -> V:
    """Decorate a read-only view whose figures may lag the primary by a few seconds."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with stale_reads():
            return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def replica_alias() -> str | None:
    alias: str = getattr(settings, "ONESTOP_READ_REPLICA", "")
    return alias if alias and alias in settings.DATABASES else None


class ReplicaRouter:
    """Reads inside `stale_reads()` go to the replica; everything else to the primary."""

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        if _stale_reads_allowed.get():
            return replica_alias()
        return None

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"  # the replica gets its schema by replication
