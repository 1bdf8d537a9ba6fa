"""Rate limits kept in the database, so that every app process counts together: check results
(per request number, per client address) and password reset (per account, per address).

Each limit is a row per (scope, key) holding the attempts in a fixed window; the key is a keyed
hash, so the table holds neither numbers nor addresses nor e-mail addresses. An attempt is counted
under the row lock *before* the guarded work is done, so simultaneous attempts cannot all slip in
between a check and a count: at most `limit` attempts are let through per window. Reaching the
limit locks the key for one window. An attempt that turns out to be legitimate (the right digits)
may be given back with `refund`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """Attempts for one key in a fixed window (concrete tables add `scope` with their choices)."""

    scope = models.CharField(_("ขอบเขต"), max_length=8)
    key = models.CharField(_("กุญแจ (แฮช)"), max_length=64)
    window_started_at = models.DateTimeField(_("เริ่มนับเมื่อ"))
    failures = models.PositiveIntegerField(_("จำนวนครั้งที่ผิด"), default=0)
    locked_until = models.DateTimeField(_("ระงับถึง"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:8]} {self.failures}"


@dataclass(frozen=True)
class Limit:
    """One counter an attempt goes into: its scope, its (hashed) key and how many it allows."""

    scope: str
    key: str
    limit: int


@dataclass(frozen=True)
class Attempt:
    """What counting an attempt decided. `refused_until`: a key was already locked, nothing was
    counted and the attempt must not go ahead. `locked_until`: this attempt reached a limit (it
    may still go ahead; the next ones are refused). `reached`: the scopes whose limit it reached."""

    refused_until: dt.datetime | None = None
    locked_until: dt.datetime | None = None
    reached: tuple[str, ...] = ()


def _locked_rows(
    model: type[RateCounter], limits: Sequence[Limit], now: dt.datetime
) -> list[tuple[RateCounter, Limit]]:
    # One order for every caller, so two attempts never wait on each other's rows (no deadlock).
    ordered = sorted(limits, key=lambda limit: (limit.scope, limit.key))
    return [
        (
            model._default_manager.select_for_update().get_or_create(
                scope=limit.scope, key=limit.key, defaults={"window_started_at": now}
            )[0],
            limit,
        )
        for limit in ordered
    ]


def attempt(
    model: type[RateCounter],
    limits: Sequence[Limit],
    *,
    window: dt.timedelta,
    now: dt.datetime | None = None,
) -> Attempt:
    """1. Lock the rows (created if new).
    2. If any key is locked, refuse: nothing is counted.
    3. Otherwise count the attempt in every row (a window that is over starts again), and lock
       each key whose count reaches its limit for one window."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = _locked_rows(model, limits, now)
        ends = [r.locked_until for r, _l in rows if r.locked_until and r.locked_until > now]
        if ends:
            return Attempt(refused_until=max(ends))
        lock_ends: dt.datetime | None = None
        reached: list[str] = []
        for row, limit in rows:
            if row.window_started_at + window <= now:
                row.window_started_at, row.failures = now, 0
            row.locked_until = None
            row.failures += 1
            if row.failures >= limit.limit:
                row.locked_until = now + window
                lock_ends = row.locked_until
                reached.append(limit.scope)
            row.save(update_fields=["window_started_at", "failures", "locked_until"])
    return Attempt(locked_until=lock_ends, reached=tuple(reached))


def refund(
    model: type[RateCounter], limits: Sequence[Limit], *, now: dt.datetime | None = None
) -> None:
    """Give back one counted attempt (it was legitimate); a lock it caused is lifted."""
    now = now or timezone.now()
    with transaction.atomic():
        for row, limit in _locked_rows(model, limits, now):
            row.failures = max(0, row.failures - 1)
            if row.failures < limit.limit:
                row.locked_until = None
            row.save(update_fields=["failures", "locked_until"])


def prune(model: type[RateCounter], *, window: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Delete counters whose window and lock are over (safe to run any time)."""
    now = now or timezone.now()
    old = model._default_manager.filter(window_started_at__lt=now - window)
    old = old.exclude(locked_until__gt=now)
    deleted, _detail = old.delete()
    return deleted
