"""The worker's side of the outbox: lease what is due, record the attempt, send, record the
outcome. Run by the `deliver_due` task (`tasks.py`) and by `manage.py notifications_deliver`.

1. Lease one due message in a short transaction (`select_for_update(skip_locked=True)` where
   the database has it; SQLite's IMMEDIATE transactions serialise writers): state SENDING,
   `attempts` + 1, `lease_until` = now + LEASE. Due = queued and `next_attempt_at` passed, or
   SENDING with an expired lease (the worker that took it died). In Thai quiet hours an SMS
   the citizen did not ask for is moved to 08:00 first (`sms.hold_for_the_night`).
2. Send, with the message key as the e-mail's Message-ID (an SMS gateway's Idempotency-Key),
   on a connection with a timeout.
3. Sent: SENT. A temporary failure (connection refused, timeout, SMTP 4xx, HTTP 5xx): QUEUED
   again after an exponential backoff with jitter (an SMS retry that falls in the night: at
   08:00), FAILED after `ONESTOP_NOTIFY_MAX_ATTEMPTS`. A permanent one (SMTP 5xx, a refused
   address, HTTP 4xx): FAILED at once. The outcome is written only while the lease is
   still this run's (`attempts` unchanged), so a run that overslept its lease cannot overwrite
   the run that took over."""

from __future__ import annotations

import datetime as dt
import logging
import random
import smtplib
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.html import linebreaks, urlize

from onestop.core import crypto
from onestop.documents.http import request_document_bytes, request_document_filename
from onestop.notifications import sms
from onestop.notifications.gateways import SmsProvider
from onestop.notifications.line import LineProvider
from onestop.notifications.models import Attachment, Channel, Message, State
from onestop.notifications.providers import (
    Outgoing,
    PermanentFailure,
    Provider,
    TemporaryFailure,
)

log = logging.getLogger("onestop.notifications")

LEASE = dt.timedelta(minutes=5)  # far longer than a send (the SMTP timeout is 20 s per step)
BACKOFF_FIRST = dt.timedelta(seconds=30)
BACKOFF_MAX = dt.timedelta(hours=1)
SEND_TIMEOUT = 20  # seconds, for an SMTP mailer configured without one


class EmailProvider:
    """Django's mail (`EMAIL_URL`): plain text and HTML, Thai headers encoded by Django."""

    def send(self, outgoing: Outgoing) -> None:
        message = outgoing.message
        mail = EmailMultiAlternatives(
            subject=message.subject,
            body=outgoing.body,
            to=[outgoing.recipient],
            headers={"Message-ID": message_id(message), "Auto-Submitted": "auto-generated"},
        )
        mail.attach_alternative(linebreaks(urlize(outgoing.body, autoescape=True)), "text/html")
        if message.attachment == Attachment.REQUEST_DOCUMENT and message.case is not None:
            mail.attach(
                request_document_filename(message.case),
                request_document_bytes(message.case),  # rendered once per version
                "application/pdf",
            )
        mailer = mailers.default
        if hasattr(mailer, "timeout") and mailer.timeout is None:
            mailer.timeout = SEND_TIMEOUT  # a provider that hangs must not hold the worker
        try:
            mailer.send_messages([mail])
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            failure = PermanentFailure if min(codes) >= 500 else TemporaryFailure
            raise failure(str(error)) from error
        except smtplib.SMTPAuthenticationError as error:  # configuration: fixed by an operator
            raise TemporaryFailure(str(error)) from error
        except smtplib.SMTPResponseException as error:
            raise (PermanentFailure if error.smtp_code >= 500 else TemporaryFailure)(
                f"{error.smtp_code} {error.smtp_error!r}"
            ) from error
        except (OSError, smtplib.SMTPException) as error:  # refused, timed out, disconnected
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error


PROVIDERS: dict[str, Provider] = {
    Channel.EMAIL: EmailProvider(),
    Channel.SMS: SmsProvider(),
    Channel.LINE: LineProvider(),
}


def message_id(message: Message) -> str:
    """The e-mail's Message-ID, made from the message key: the same for every attempt."""
    host = urlsplit(settings.ONESTOP_PUBLIC_URL).hostname or "onestop.invalid"
    return f"<{message.key.replace(':', '.')}@{host}>"


def _due(now: dt.datetime) -> Q:
    return Q(state=State.QUEUED, next_attempt_at__lte=now) | Q(
        state=State.SENDING, lease_until__lte=now
    )


def lease_next(*, now: dt.datetime | None = None) -> Message | None:
    """Take the next due message for this run (step 1), or None when nothing is due."""
    now = now or timezone.now()
    with transaction.atomic():
        due = Message.objects.filter(_due(now)).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        message = due.first()
        if message is None:
            return None
        message.state = State.SENDING
        message.attempts += 1
        message.lease_until = now + LEASE
        message.save(update_fields=["state", "attempts", "lease_until"])
    return message


def backoff(attempts: int) -> dt.timedelta:
    """Wait before attempt `attempts + 1`: 30 s, 1 min, 2 min, … at most an hour, each with
    ±25 % jitter so that messages queued together do not retry together."""
    base: dt.timedelta = min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_MAX)
    jitter: float = random.uniform(0.75, 1.25)  # noqa: S311 (jitter, not security)
    return base * jitter


def attempt(message: Message, *, now: dt.datetime | None = None) -> State:
    """Send a leased message (step 2) and record the outcome (step 3)."""
    outgoing = Outgoing(
        message=message,
        recipient=crypto.decrypt(message.recipient_encrypted),
        body=crypto.decrypt(message.body_encrypted),
    )
    error = ""
    try:
        PROVIDERS[message.channel].send(outgoing)
    except PermanentFailure as failure:
        state, error = State.FAILED, str(failure)
    except Exception as failure:  # anything else: try again, up to the limit
        state, error = State.QUEUED, str(failure) or type(failure).__name__
        if not isinstance(failure, TemporaryFailure):
            log.exception("notification %s failed unexpectedly", message.pk)
    else:
        state = State.SENT
    now = now or timezone.now()
    if state == State.QUEUED and message.attempts >= settings.ONESTOP_NOTIFY_MAX_ATTEMPTS:
        state = State.FAILED
    changes: dict[str, object] = {"state": state, "lease_until": None, "last_error": error[:2000]}
    if state == State.SENT:
        changes["sent_at"] = now
    elif state == State.QUEUED:
        retry_at = now + backoff(message.attempts)
        if message.channel == Channel.SMS:  # a retry that falls in the night waits for 08:00
            retry_at = sms.send_at(message.kind, created_at=message.created_at, moment=retry_at)
        changes["next_attempt_at"] = retry_at
    ours = Message.objects.filter(pk=message.pk, state=State.SENDING, attempts=message.attempts)
    if not ours.update(**changes):
        log.warning("notification %s: lease lost before the outcome was recorded", message.pk)
    log.info(
        "notification %s %s to %s: %s (attempt %s) %s", message.pk, state,
        message.recipient_masked, message.subject, message.attempts, error,
    )  # fmt: skip
    return state


def deliver_due(
    *,
    now: dt.datetime | None = None,
    limit: int = 500,
    on_lease: Callable[[dt.datetime], None] | None = None,
) -> int:
    """Deliver every due message (at most `limit` in this run); return how many were sent.
    `on_lease(lease_until)` is called after each lease commits and before the send (the task
    uses it to make sure a later run exists should this one die)."""
    sent = 0
    sms.hold_for_the_night(now or timezone.now())
    for _n in range(limit):
        message = lease_next(now=now)
        if message is None:
            break
        if on_lease is not None and message.lease_until is not None:
            on_lease(message.lease_until)
        sent += attempt(message, now=now) == State.SENT
    return sent


def next_due_at() -> dt.datetime | None:
    """When the earliest pending message becomes due (a retry, or an expired lease)."""
    found = Message.objects.filter(state__in=[State.QUEUED, State.SENDING]).aggregate(
        queued=Min("next_attempt_at", filter=Q(state=State.QUEUED)),
        leased=Min("lease_until", filter=Q(state=State.SENDING)),
    )
    times = [t for t in (found["queued"], found["leased"]) if t is not None]
    return min(times) if times else None
