"""The SMS channel's rules, whatever the gateway: what a text costs in segments, the number in
the gateways' format, and the quiet hours (no SMS between 21:00 and 08:00 Thai time, except
what the citizen has just asked for). The gateways themselves are in `gateways.py`.

Segments. A text that uses only the GSM 03.38 alphabet travels in 7 bits a character: 160 in
one segment, 153 a segment once it is split (the rest carries the reassembly header); the
extension characters (`^{}[]~|€` and `\\`) take two. Anything else, Thai included, is sent as
UCS-2: 70 characters in one segment, 67 a segment once split. One Thai letter, vowel or tone
mark is one character (Thai is in the Basic Multilingual Plane). Gateways bill per segment."""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

from django.db.models import Q

from onestop.notifications.models import Channel, Message, MessageKind, State

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

THAI_TIME = ZoneInfo("Asia/Bangkok")
QUIET_FROM = dt.time(21, 0)
QUIET_UNTIL = dt.time(8, 0)
# What the citizen asked for goes out at night too, while it is still the answer to what they
# just did; a copy held up longer than this by retries waits for the morning like the rest.
ASKED_FOR = frozenset({MessageKind.CITIZEN_FILED})
ANSWER_WINDOW = dt.timedelta(minutes=30)


def is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def segments(text: str) -> int:
    """How many SMS segments `text` is billed as (at least one)."""
    if is_gsm7(text):
        septets = sum(2 if char in GSM7_EXTENSION else 1 for char in text)
        single, part = GSM7_SINGLE, GSM7_PART
    else:
        septets = len(text.encode("utf-16-le")) // 2  # UCS-2 code units
        single, part = UCS2_SINGLE, UCS2_PART
    return 1 if septets <= single else math.ceil(septets / part)


def msisdn(e164: str) -> str:
    """`+66812345678` → `66812345678`: the number as Thai gateways take it."""
    return e164.removeprefix("+")


def quiet_hours_end(moment: dt.datetime) -> dt.datetime | None:
    """08:00 Thai time when `moment` falls in the quiet hours (21:00 to 07:59:59), else None."""
    local = moment.astimezone(THAI_TIME)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return None
    morning = local.date() if local.time() < QUIET_UNTIL else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(morning, QUIET_UNTIL, tzinfo=THAI_TIME)


def asked_for(kind: str, *, created_at: dt.datetime, moment: dt.datetime) -> bool:
    """The citizen asked for this message (the confirmation of what they just filed) and it is
    still the answer: sent at any hour."""
    return kind in ASKED_FOR and moment - created_at < ANSWER_WINDOW


def send_at(kind: str, *, created_at: dt.datetime, moment: dt.datetime) -> dt.datetime:
    """When an SMS that could go at `moment` may go: then, or 08:00 after a quiet night."""
    if asked_for(kind, created_at=created_at, moment=moment):
        return moment
    return quiet_hours_end(moment) or moment


def hold_for_the_night(now: dt.datetime) -> int:
    """In the quiet hours, move every due SMS that the citizen did not ask for (queued, or
    leased by a run that died) to 08:00; return how many. The worker calls this before it
    leases, so a message that fell due in the evening while the worker was down, or whose
    lease expired after 21:00, waits for the morning too."""
    morning = quiet_hours_end(now)
    if morning is None:
        return 0
    due = Q(state=State.QUEUED, next_attempt_at__lte=now) | Q(
        state=State.SENDING, lease_until__lte=now
    )
    return (
        Message.objects.filter(due, channel=Channel.SMS)
        .exclude(kind__in=ASKED_FOR, created_at__gt=now - ANSWER_WINDOW)
        .update(state=State.QUEUED, lease_until=None, next_attempt_at=morning)
    )
