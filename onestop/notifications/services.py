"""Writes of the outbox: a message is planned (a row, in the caller's transaction) and the
worker is asked, once that transaction commits, to deliver what is due."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from onestop.cases.models import Case, CaseEvent
from onestop.core import crypto
from onestop.core.masking import mask_phone
from onestop.notifications import sms
from onestop.notifications.models import (
    STAFF_KINDS,
    Attachment,
    Channel,
    ChannelPreference,
    Message,
    MessageKind,
    StaffContact,
    State,
)
from onestop.notifications.tasks import deliver_soon
from onestop.organisations.models import Organisation


def mask_email(address: str) -> str:
    """`somchai.j@example.com` → `so***@example.com`: enough for staff to tell two apart."""
    local, _at, domain = address.partition("@")
    return f"{local[:2]}***@{domain}" if domain else "***"


def message_plan(
    *,
    kind: MessageKind,
    recipient: str,
    subject: str,
    body: str,
    language: str,
    case: Case | None = None,
    event: CaseEvent | None = None,
    user: User | None = None,
    attachment: Attachment = Attachment.NONE,
    channel: Channel = Channel.EMAIL,
    organisation: Organisation | None = None,
    origin: str | None = None,
) -> Message:
    """Put one message in the outbox, in the current transaction, and return it (the one
    already there when the same event planned the same message for the same recipient).

    Must run inside the transaction of the change that causes it: a rollback then removes the
    message too, and a commit makes it durable before anything is sent. An SMS (`recipient` in
    E.164) records its segment count, and one planned in the quiet hours that the citizen did
    not ask for is due at 08:00 (`sms.send_at`). `origin` replaces the event in the key for a
    message no event causes (the daily digest: one per person per Thai date)."""
    now = timezone.now()
    if channel == Channel.SMS:
        address, masked = recipient.strip(), mask_phone(recipient.strip())
        segments, due = sms.segments(body), sms.send_at(kind, created_at=now, moment=now)
    elif channel == Channel.LINE:  # a LINE user or group id: case matters
        address, segments, due = recipient.strip(), 0, now
        masked = f"LINE …{address[-4:]}" if len(address) > 8 else "LINE"
    else:
        address = recipient.strip().lower()
        masked, segments, due = mask_email(address), 0, now
    recipient_hash = crypto.lookup_hash(f"{channel}:{address}")
    if origin is None:
        origin = f"{event.pk}" if event is not None else f"x{uuid.uuid4().hex}"
    if organisation is None and case is not None:
        organisation = case.organisation
    message = Message(
        organisation=organisation,
        case=case,
        event=event,
        kind=kind,
        channel=channel,
        recipient_user=user,
        recipient_encrypted=crypto.encrypt(address),
        recipient_masked=masked,
        recipient_hash=recipient_hash,
        language=language,
        subject=subject[:300],
        body_encrypted=crypto.encrypt(body),
        attachment=attachment,
        segments=segments,
        created_at=now,
        next_attempt_at=due,
        key=f"{origin}:{kind}:{channel}:{recipient_hash[:24]}",
    )
    Message.objects.bulk_create([message], ignore_conflicts=True)  # a repeated plan: no copy
    _deliver_on_commit()
    return Message.objects.get(key=message.key)


def _deliver_on_commit() -> None:
    """Wake the worker once the transaction commits. One wake-up per message: a run finds all
    that is due, so the later ones find nothing (cheap), and no bookkeeping can go stale when a
    savepoint rolls back."""
    transaction.on_commit(deliver_soon, robust=True)


def message_retry(*, message: Message) -> Message:
    """Queue a failed message again (a staff member's "retry"): a fresh set of attempts."""
    with transaction.atomic():
        Message.objects.filter(pk=message.pk, state=State.FAILED).update(
            state=State.QUEUED, attempts=0, lease_until=None, next_attempt_at=timezone.now()
        )
        _deliver_on_commit()
    message.refresh_from_db()
    return message


def preferences_save(
    *, organisation: Organisation, user: User | None, table: dict[str, set[Channel]]
) -> None:
    """Save the channels of each staff kind: a member's own choice (`user`), or the
    organisation's defaults (`user` None). Kinds missing from `table` are left as they are."""
    with transaction.atomic():
        for kind in STAFF_KINDS:
            if kind.value not in table:
                continue
            chosen = table[kind.value]
            ChannelPreference.objects.update_or_create(
                organisation=organisation, user=user, kind=kind.value,
                defaults={
                    "email": Channel.EMAIL in chosen,
                    "sms": Channel.SMS in chosen,
                    "line": Channel.LINE in chosen,
                },
            )  # fmt: skip


def staff_mobile_set(*, organisation: Organisation, user: User, mobile: str) -> None:
    """Record (E.164, encrypted) or clear (empty) the member's mobile for SMS notifications."""
    with transaction.atomic():
        StaffContact.objects.update_or_create(
            organisation=organisation, user=user,
            defaults={
                "mobile_encrypted": crypto.encrypt(mobile) if mobile else "",
                "mobile_masked": mask_phone(mobile) if mobile else "",
            },
        )  # fmt: skip


def staff_line_unlink(*, organisation: Organisation, user: User) -> None:
    """Forget the member's LINE user: no more LINE notifications until they link it again."""
    StaffContact.objects.filter(organisation=organisation, user=user).update(line_user_encrypted="")
