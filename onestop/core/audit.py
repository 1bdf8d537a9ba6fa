"""The audit trail: every view of personal data, every file download, every change and every
export is recorded here (who, when, what, from which address). Nothing is ever edited.

National ID numbers and phone numbers found in `details` are masked before they are stored, so
the log itself does not become a copy of the personal data it protects."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

from onestop.core.masking import mask_national_id, mask_phone
from onestop.core.models import AuditAction, AuditLog
from onestop.core.net import client_ip

logger = logging.getLogger("onestop.audit")

_NATIONAL_ID = re.compile(r"(?<!\d)(\d)[- ]?(\d{4})[- ]?(\d{5})[- ]?(\d{2})[- ]?(\d)(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(?:\+66|0)[- ]?\d{1,2}[- ]?\d{3}[- ]?\d{4}(?!\d)")


def mask_text(text: str) -> str:
    """Mask every national ID and mobile/phone number inside free text."""

    def _id(match: re.Match[str]) -> str:
        return mask_national_id("".join(match.groups()))

    def _phone(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        e164 = "+66" + digits[1:] if digits.startswith("0") else "+" + digits
        return mask_phone(e164)

    return _PHONE.sub(_phone, _NATIONAL_ID.sub(_id, text))


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {str(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return mask_text(str(value))


def audit_record(
    *,
    request: HttpRequest | None,
    action: AuditAction,
    organisation: Any = None,
    object_type: str = "",
    object_ref: str = "",
    details: dict[str, Any] | None = None,
    actor: User | None = None,
    confidential: bool = False,
) -> AuditLog:
    """Append one entry. `actor` defaults to the request's user. Entries about a request of a
    confidential type say so (`confidential`): they are listed only to members with the grant."""
    if actor is None and request is not None and not isinstance(request.user, AnonymousUser):
        actor = request.user if isinstance(request.user, User) else None
    return AuditLog.objects.create(
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_ref=object_ref[:64],
        ip_address=client_ip(request) if request is not None else None,
        details=_scrub(details or {}),
        is_confidential=confidential,
    )
