"""LINE: the channel's `Provider` (Messaging API push), the webhook's signature check and the
one-time codes that link a LINE user to one request.

Linking. The done page and the tracking page (only when the organisation has an active
`LineChannel`) show a code and two links: add the official account
(`https://line.me/R/ti/p/<basic id>`) and open its chat with the code typed in
(`https://line.me/R/oaMessage/<basic id>/?<code>`). The citizen sends the code; LINE posts the
message to our webhook (`/line/<organisation>/webhook/`), signed with the channel secret
(`X-Line-Signature`: base64 HMAC-SHA256 of the body); a valid code of that organisation,
unused and not expired, links the sender's userId to that one request. A code works once.

Push. `POST <ONESTOP_LINE_API_URL>/v2/bot/message/push` with the channel's access token
(Bearer), JSON `{"to": <userId or groupId>, "messages": [{"type": "text", "text": ...}]}`
and `X-Line-Retry-Key`: a UUID made from our message key, so a retried push that LINE already
accepted is not delivered twice (LINE answers 409, which counts as sent)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import re
import secrets
import urllib.request
import uuid
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from onestop.cases.models import Case
from onestop.core import crypto
from onestop.notifications.gateways import post
from onestop.notifications.models import (
    LineChannel,
    LineLink,
    StaffContact,
    validate_gateway_url,
)
from onestop.notifications.providers import Outgoing, PermanentFailure
from onestop.organisations.models import Organisation

log = logging.getLogger("onestop.notifications")

PUSH_PATH = "/v2/bot/message/push"
MAX_TEXT = 5000  # characters in one LINE text message
CODE_LIFETIME = dt.timedelta(days=7)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand
CODE_LENGTH = 8
_CODE = re.compile(rf"\b[{CODE_ALPHABET}]{{{CODE_LENGTH}}}\b")
_RETRY_NAMESPACE = uuid.UUID("0e7b5d6c-6d1f-4b8e-9a55-3c2f1a6b9d41")


def line_channel_active(*, organisation: Organisation | int | None) -> LineChannel | None:
    """The organisation's active LINE account, or None."""
    if organisation is None:
        return None
    return LineChannel.objects.filter(organisation=organisation, is_active=True).first()


def retry_key(message_key: str) -> str:
    """`X-Line-Retry-Key` must be a UUID: the same one for every attempt of a message."""
    return str(uuid.uuid5(_RETRY_NAMESPACE, message_key))


# --- push ---------------------------------------------------------------------------------------


class LineProvider:
    """The LINE channel: a push through the Messaging API with the organisation's token."""

    def send(self, outgoing: Outgoing) -> None:
        message = outgoing.message
        channel = line_channel_active(organisation=message.organisation_id)
        if channel is None:
            raise PermanentFailure("no active LINE account for this organisation")
        url = f"{settings.ONESTOP_LINE_API_URL}{PUSH_PATH}"
        try:
            validate_gateway_url(url)
        except ValidationError as error:
            raise PermanentFailure(f"LINE API URL refused: {url}") from error
        body = json.dumps(
            {
                "to": outgoing.recipient,
                "messages": [{"type": "text", "text": outgoing.body[:MAX_TEXT]}],
            },
            ensure_ascii=False,
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (https, or http to loopback: checked above)
            url,
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {crypto.decrypt(channel.access_token_encrypted)}",
                "Content-Type": "application/json; charset=utf-8",
                "X-Line-Retry-Key": retry_key(message.key),
                "User-Agent": "OneStop",
            },
        )
        # 409: LINE already accepted a push with this retry key (an earlier attempt got
        # through before the worker died): sent.
        post(request, timeout=settings.ONESTOP_LINE_TIMEOUT, also_accepted=frozenset({409}))


# --- linking ------------------------------------------------------------------------------------


def signature_valid(*, channel: LineChannel, body: bytes, signature: str) -> bool:
    """Whether `signature` (the `X-Line-Signature` header) is the base64 HMAC-SHA256 of the
    raw body under the channel secret; compared in constant time."""
    secret = crypto.decrypt(channel.channel_secret_encrypted)
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, signature.encode("ascii", errors="replace"))


def line_link_code(*, case: Case) -> LineLink:
    """The request's one-time code: the pending one still valid, else a new one."""
    now = timezone.now()
    pending = (
        LineLink.objects.filter(
            organisation_id=case.organisation_id, case=case, linked_at__isnull=True,
            expires_at__gt=now + dt.timedelta(hours=1),
        )
        .order_by("-created_at")
        .first()
    )  # fmt: skip
    if pending is not None:
        return pending
    return LineLink.objects.create(
        organisation_id=case.organisation_id, case=case, code=_new_code(),
        expires_at=now + CODE_LIFETIME,
    )  # fmt: skip


def line_link_code_for_member(*, organisation: Organisation, user: User) -> LineLink:
    """A staff member's one-time code to link their own LINE (for their notifications)."""
    now = timezone.now()
    pending = (
        LineLink.objects.filter(
            organisation=organisation, user=user, linked_at__isnull=True,
            expires_at__gt=now + dt.timedelta(hours=1),
        )
        .order_by("-created_at")
        .first()
    )  # fmt: skip
    if pending is not None:
        return pending
    return LineLink.objects.create(
        organisation=organisation, user=user, code=_new_code(), expires_at=now + CODE_LIFETIME
    )


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))


def add_friend_url(channel: LineChannel) -> str:
    return f"https://line.me/R/ti/p/{quote(channel.basic_id)}"


def send_code_url(channel: LineChannel, code: str) -> str:
    return f"https://line.me/R/oaMessage/{quote(channel.basic_id)}/?{quote(code)}"


def linked_line_users(*, case: Case) -> list[str]:
    """The LINE users following `case` (decrypted, each once)."""
    found: list[str] = []
    for token in LineLink.objects.filter(
        organisation_id=case.organisation_id, case=case, linked_at__isnull=False
    ).values_list("line_user_encrypted", flat=True):
        user = crypto.decrypt(token)
        if user not in found:
            found.append(user)
    return found


def line_webhook_handle(*, organisation: Organisation, payload: Any) -> list[LineLink]:
    """Link the sender of each text message holding a valid code of `organisation` (unused,
    not expired) to that code's request; return the links made. Anything else is ignored."""
    events = payload.get("events") if isinstance(payload, dict) else None
    made: list[LineLink] = []
    for event in events if isinstance(events, list) else []:
        if not isinstance(event, dict) or event.get("type") != "message":
            continue
        message, source = event.get("message"), event.get("source")
        if not isinstance(message, dict) or not isinstance(source, dict):
            continue
        user_id, text = source.get("userId"), message.get("text")
        if message.get("type") != "text" or not isinstance(text, str):
            continue
        if not isinstance(user_id, str) or not re.fullmatch(r"U[0-9a-f]{32}", user_id):
            continue
        for code in _CODE.findall(text[:200].upper()):
            link = _link(organisation=organisation, code=code, user_id=user_id)
            if link is not None:
                made.append(link)
    return made


def _link(*, organisation: Organisation, code: str, user_id: str) -> LineLink | None:
    from onestop.notifications.planning import plan_line_linked  # noqa: PLC0415 (cycle)

    now = timezone.now()
    with transaction.atomic():
        link = (
            LineLink.objects.select_for_update()
            .filter(organisation=organisation, code=code)
            .first()
        )
        if link is None or link.linked_at is not None or link.expires_at <= now:
            log.warning(
                "LINE code refused for organisation %s: %s", organisation.slug,
                "unknown" if link is None else "used" if link.linked_at else "expired",
            )  # fmt: skip
            return None
        link.linked_at = now
        link.line_user_encrypted = crypto.encrypt(user_id)
        link.save(update_fields=["linked_at", "line_user_encrypted"])
        if link.case is not None:
            plan_line_linked(case=link.case, line_user=user_id, link=link)
        elif link.user_id is not None:  # a staff member's own LINE, for their notifications
            StaffContact.objects.update_or_create(
                organisation=organisation, user_id=link.user_id,
                defaults={"line_user_encrypted": link.line_user_encrypted},
            )  # fmt: skip
    return link
