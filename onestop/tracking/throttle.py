"""Limits on check-results attempts, kept in the database so that every app process counts
together (the mechanism is `onestop.core.ratelimit`).

- Per request number: `ONESTOP_TRACKING_NUMBER_LIMIT` attempts (5) in
  `ONESTOP_TRACKING_WINDOW_MINUTES` (15), whatever address they come from; then the number is
  locked for the same time, even for the right digits (otherwise the lock would not stop
  guessing).
- Per client address: `ONESTOP_TRACKING_IP_LIMIT` attempts (30): looser, because Thai mobile
  networks put many people behind one address. IPv6 addresses count per /64 network.

An attempt is counted before the digits are compared, under the row lock, so that simultaneous
guesses cannot exceed the limit; a successful check gives its attempt back (`refund`). The client
address is `onestop.core.net.client_ip`."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings

from onestop.core import crypto, ratelimit
from onestop.core.net import address_bucket
from onestop.tracking.models import ThrottleScope, TrackingThrottle

log = logging.getLogger("onestop.tracking")


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.ONESTOP_TRACKING_WINDOW_MINUTES)


@dataclass(frozen=True)
class Subject:
    """Who and what an attempt is about: the client address and, when it parses, the number."""

    ip: str
    number: str | None

    def limits(self) -> list[ratelimit.Limit]:
        limits = [
            ratelimit.Limit(
                scope=ThrottleScope.IP,
                key=crypto.lookup_hash("tracking-ip:" + address_bucket(self.ip)),
                limit=int(settings.ONESTOP_TRACKING_IP_LIMIT),
            )
        ]
        if self.number:
            limits.append(
                ratelimit.Limit(
                    scope=ThrottleScope.NUMBER,
                    key=crypto.lookup_hash("tracking-no:" + self.number),
                    limit=int(settings.ONESTOP_TRACKING_NUMBER_LIMIT),
                )
            )
        return limits


def attempt(subject: Subject, *, now: dt.datetime | None = None) -> ratelimit.Attempt:
    """Count one attempt for the number and the address before the digits are compared (refused,
    and not counted, while either is locked)."""
    outcome = ratelimit.attempt(TrackingThrottle, subject.limits(), window=_window(), now=now)
    if outcome.locked_until is not None:
        log.warning(
            "tracking lock scope=%s ip=%s number=%s until=%s",
            ",".join(outcome.reached), subject.ip, subject.number or "-",
            outcome.locked_until.isoformat(),
        )  # fmt: skip
    return outcome


def refund(subject: Subject, *, now: dt.datetime | None = None) -> None:
    """The digits were right: the attempt does not count against the number or the address."""
    ratelimit.refund(TrackingThrottle, subject.limits(), now=now)


def prune(*, now: dt.datetime | None = None) -> int:
    """Delete counters whose window and lock are over (safe to run any time)."""
    return ratelimit.prune(TrackingThrottle, window=_window(), now=now)
