"""Limits on failed check-results attempts, kept in the database so that every app process
counts together.

- Per request number: `ONESTOP_TRACKING_NUMBER_LIMIT` failures (5) in
  `ONESTOP_TRACKING_WINDOW_MINUTES` (15), whatever address they come from; then the number is
  locked for the same time, even for the right digits (otherwise the lock would not stop
  guessing).
- Per client address: `ONESTOP_TRACKING_IP_LIMIT` failures (30): looser, because Thai mobile
  networks put many people behind one address. IPv6 addresses count per /64 network.

The client address is REMOTE_ADDR, unless `ONESTOP_TRUSTED_PROXY_COUNT` > 0 says that many
reverse proxies of ours stand in front: then it is read from X-Forwarded-For, counting from the
right (the entries on the left are whatever the client chose to send)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from onestop.core import crypto
from onestop.tracking.models import ThrottleScope, TrackingThrottle

log = logging.getLogger("onestop.tracking")


def client_ip(request: HttpRequest) -> str:
    """The client's address as far as we can trust it (see the module docstring)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    trusted = int(getattr(settings, "ONESTOP_TRUSTED_PROXY_COUNT", 0))
    if trusted <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(forwarded) < trusted:
        return remote  # not through our proxies: the connecting address is the client
    candidate = forwarded[-trusted]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate


def _address_key(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.ONESTOP_TRACKING_WINDOW_MINUTES)


def _limit(scope: ThrottleScope) -> int:
    if scope == ThrottleScope.NUMBER:
        return int(settings.ONESTOP_TRACKING_NUMBER_LIMIT)
    return int(settings.ONESTOP_TRACKING_IP_LIMIT)


@dataclass(frozen=True)
class Subject:
    """Who and what an attempt is about: the client address and, when it parses, the number."""

    ip: str
    number: str | None

    def counter_keys(self) -> list[tuple[ThrottleScope, str]]:
        keys = [(ThrottleScope.IP, crypto.lookup_hash("tracking-ip:" + _address_key(self.ip)))]
        if self.number:
            keys.append((ThrottleScope.NUMBER, crypto.lookup_hash("tracking-no:" + self.number)))
        return keys


def locked_until(subject: Subject, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the latest lock on the number or the address ends, or None if neither is locked."""
    now = now or timezone.now()
    ends = []
    for scope, key in subject.counter_keys():
        row = TrackingThrottle.objects.filter(scope=scope, key=key).first()
        if row is not None and row.locked_until is not None and row.locked_until > now:
            ends.append(row.locked_until)
    return max(ends) if ends else None


def record_failure(subject: Subject, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """Count one failed attempt for the number and the address, atomically (the rows are locked
    while counting). Returns when the lock ends if this failure reached a limit."""
    now = now or timezone.now()
    lock_ends: dt.datetime | None = None
    with transaction.atomic():
        for scope, key in subject.counter_keys():
            row, _created = TrackingThrottle.objects.select_for_update().get_or_create(
                scope=scope, key=key, defaults={"window_started_at": now}
            )
            if row.window_started_at + _window() <= now:
                row.window_started_at, row.failures = now, 0
            row.failures += 1
            if row.failures >= _limit(scope):
                row.locked_until = now + _window()
                row.window_started_at, row.failures = now, 0
                lock_ends = max(lock_ends or row.locked_until, row.locked_until)
                log.warning(
                    "tracking lock scope=%s ip=%s number=%s until=%s",
                    scope, subject.ip, subject.number or "-", row.locked_until.isoformat(),
                )  # fmt: skip
            row.save(update_fields=["window_started_at", "failures", "locked_until"])
    return lock_ends


def prune(*, now: dt.datetime | None = None) -> int:
    """Delete counters whose window and lock are over (safe to run any time)."""
    now = now or timezone.now()
    old = TrackingThrottle.objects.filter(window_started_at__lt=now - _window()).exclude(
        locked_until__gt=now
    )
    deleted, _detail = old.delete()
    return deleted
