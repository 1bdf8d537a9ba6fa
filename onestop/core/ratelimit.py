"""Rate limits kept in the database, so that every app process counts together: check results
(per request number, per client address) and password reset (per account, per address).

Each limit is a row per (scope, key) holding the attempts in a fixed window; the key is a keyed
hash, so the table holds neither numbers nor addresses nor e-mail addresses. An attempt is counted
*before* the guarded work is done, by one statement that increments and reads the count
atomically (an upsert), so simultaneous attempts cannot all slip in between a check and a count:
at most `limit` attempts are let through per window. Reaching the limit locks the key for one
window. An attempt that turns out to be legitimate (the right digits) may be given back with
`refund`.

Under attack from one address every attempt touches that address's row, so nothing may hold
its lock for long: a locked key is refused by a plain read (no row lock, no write), and counting
holds the row locks only for the one statement, never while the guarded work runs. Attempts from
other addresses touch other rows and wait for none of this (bench/bench_tracking_attack.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router, transaction
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


def _matching(limits: Sequence[Limit]) -> models.Q:
    match = models.Q(pk__in=[])
    for limit in limits:
        match |= models.Q(scope=limit.scope, key=limit.key)
    return match


def _refused_until(
    model: type[RateCounter], limits: Sequence[Limit], now: dt.datetime
) -> dt.datetime | None:
    """The latest end of a lock on any of the keys, read without locking anything."""
    locked = model._default_manager.filter(_matching(limits), locked_until__gt=now)
    end: dt.datetime | None = locked.aggregate(end=models.Max("locked_until"))["end"]
    return end


def _count(
    model: type[RateCounter], limits: Sequence[Limit], *, window: dt.timedelta, now: dt.datetime
) -> dict[tuple[str, str], int]:
    """Count one attempt in every key that is not locked, in one statement (an upsert), and lock
    each key whose count reaches its limit. Returns the new count per counted key: a key that
    is missing was locked (by a concurrent attempt) and was left alone."""
    connection = connections[router.db_for_write(model)]
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    # One order for every caller, so two attempts never wait on each other's rows (no deadlock).
    ordered = sorted(limits, key=lambda limit: (limit.scope, limit.key))
    at, start, lock_end = (
        ops.adapt_datetimefield_value(value) for value in (now, now - window, now + window)
    )
    rows_sql = ", ".join(["(%s, %s, %s, 1, %s)"] * len(ordered))
    rows_params: list[Any] = []
    for limit in ordered:
        rows_params += [limit.scope, limit.key, at, lock_end if limit.limit <= 1 else None]
    restarted = f"{table}.window_started_at <= %s"
    counted = f"(CASE WHEN {restarted} THEN 1 ELSE {table}.failures + 1 END)"
    limit_of = (
        "(CASE "
        + " ".join(f"WHEN {table}.scope = %s AND {table}.key = %s THEN %s" for _l in ordered)
        + " END)"
    )
    limit_params: list[Any] = []
    for limit in ordered:
        limit_params += [limit.scope, limit.key, limit.limit]
    sql = (
        f"INSERT INTO {table} (scope, key, window_started_at, failures, locked_until) "  # noqa: S608 (quoted name; values are parameters)
        f"VALUES {rows_sql} "
        "ON CONFLICT (scope, key) DO UPDATE SET "
        f"failures = {counted}, "
        f"window_started_at = CASE WHEN {restarted} THEN %s ELSE {table}.window_started_at END, "
        f"locked_until = CASE WHEN {counted} >= {limit_of} THEN %s ELSE NULL END "
        f"WHERE {table}.locked_until IS NULL OR {table}.locked_until <= %s "
        "RETURNING scope, key, failures"
    )
    params = [
        *rows_params,
        start,  # failures
        start, at,  # window_started_at
        start, *limit_params, lock_end,  # locked_until
        at,  # the WHERE: not locked now
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(scope, key): failures for scope, key, failures in cursor.fetchall()}


def attempt(
    model: type[RateCounter],
    limits: Sequence[Limit],
    *,
    window: dt.timedelta,
    now: dt.datetime | None = None,
) -> Attempt:
    """1. If any key is locked, refuse: nothing is counted. This is a plain read, so an address
       that keeps trying while locked costs one index look-up and waits for no one.
    2. Otherwise count the attempt in every key in one statement (a window that is over starts
       again), and lock each key whose count reaches its limit for one window. The row locks
       last only as long as that statement (with the commit), not while the guarded work runs.
    3. If a concurrent attempt locked one of the keys in between, that key is left alone and
       this attempt is refused: the counts it made in the other keys are rolled back."""
    now = now or timezone.now()
    refused = _refused_until(model, limits, now)
    if refused is not None:
        return Attempt(refused_until=refused)
    with transaction.atomic(using=router.db_for_write(model)):
        counts = _count(model, limits, window=window, now=now)
        if len(counts) < len(limits):
            transaction.set_rollback(True, using=router.db_for_write(model))
    if len(counts) < len(limits):
        return Attempt(refused_until=_refused_until(model, limits, now) or now + window)
    reached = tuple(
        limit.scope
        for limit in sorted(limits, key=lambda limit: (limit.scope, limit.key))
        if counts[(limit.scope, limit.key)] >= limit.limit
    )
    return Attempt(locked_until=now + window if reached else None, reached=reached)


def refund(
    model: type[RateCounter], limits: Sequence[Limit], *, now: dt.datetime | None = None
) -> None:
    """Give back one counted attempt (it was legitimate); a lock it caused is lifted. One
    statement, so the rows are locked only while it runs."""
    del now  # kept for the callers' signature: giving back does not depend on the time
    after = models.F("failures") - 1
    model._default_manager.filter(_matching(limits), failures__gt=0).update(
        failures=after,
        locked_until=models.Case(
            *(
                models.When(scope=limit.scope, key=limit.key, failures__gt=limit.limit,
                            then=models.F("locked_until"))
                for limit in limits
            ),
            default=None,
        ),
    )  # fmt: skip


def prune(model: type[RateCounter], *, window: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Delete counters whose window and lock are over (safe to run any time)."""
    now = now or timezone.now()
    old = model._default_manager.filter(window_started_at__lt=now - window)
    old = old.exclude(locked_until__gt=now)
    deleted, _detail = old.delete()
    return deleted
