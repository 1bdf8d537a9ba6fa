"""The one small interface every channel's way out implements (`delivery.PROVIDERS` maps a
channel to its provider): `send` returns when the provider accepted the message, or raises
`TemporaryFailure` (try again later) or `PermanentFailure` (trying again will not help)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from onestop.notifications.models import Message


class TemporaryFailure(Exception):
    """Try again later (the provider is down, slow, or says "later")."""


class PermanentFailure(Exception):
    """Trying again will not help (the provider refused the address or the message)."""


@dataclass(frozen=True)
class Outgoing:
    """A leased message, decrypted, ready for a provider."""

    message: Message
    recipient: str
    body: str


class Provider(Protocol):
    """One channel's way out. Raise TemporaryFailure or PermanentFailure; return when the
    provider accepted the message."""

    def send(self, outgoing: Outgoing) -> None: ...
