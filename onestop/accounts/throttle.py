"""Limits on password-reset requests, in the database like check results' (the mechanism is
`onestop.core.ratelimit`): `ONESTOP_PASSWORD_RESET_ACCOUNT_LIMIT` requests per e-mail address
typed and `ONESTOP_PASSWORD_RESET_IP_LIMIT` per client address (IPv6: per /64) in
`ONESTOP_PASSWORD_RESET_WINDOW_MINUTES`; then a lock for the same time.

The account's key is the address as typed (trimmed, lower case), whether or not an account has
it: the limit, and the page that says so, must not tell who has an account."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.http import HttpRequest

from onestop.accounts.models import PasswordResetThrottle, ResetScope
from onestop.core import crypto, ratelimit
from onestop.core.net import address_bucket, client_ip

log = logging.getLogger("onestop.accounts")


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.ONESTOP_PASSWORD_RESET_WINDOW_MINUTES)


def _limits(*, ip: str, email: str) -> list[ratelimit.Limit]:
    limits = [
        ratelimit.Limit(
            scope=ResetScope.IP,
            key=crypto.lookup_hash("reset-ip:" + address_bucket(ip)),
            limit=int(settings.ONESTOP_PASSWORD_RESET_IP_LIMIT),
        )
    ]
    typed = email.strip().lower()
    if typed:
        limits.append(
            ratelimit.Limit(
                scope=ResetScope.ACCOUNT,
                key=crypto.lookup_hash("reset-account:" + typed),
                limit=int(settings.ONESTOP_PASSWORD_RESET_ACCOUNT_LIMIT),
            )
        )
    return limits


def reset_attempt(*, request: HttpRequest, email: str) -> dt.datetime | None:
    """Count one reset request; returns when the lock ends if it must be refused."""
    ip = client_ip(request) or "unknown"
    outcome = ratelimit.attempt(
        PasswordResetThrottle, _limits(ip=ip, email=email), window=_window()
    )
    if outcome.locked_until is not None:
        log.warning("password reset lock scope=%s ip=%s", ",".join(outcome.reached), ip)
    return outcome.refused_until


def prune(*, now: dt.datetime | None = None) -> int:
    """Delete counters whose window and lock are over (safe to run any time)."""
    return ratelimit.prune(PasswordResetThrottle, window=_window(), now=now)
