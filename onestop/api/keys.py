"""API keys: issuing and revoking them (the organisation's administrators, audit-logged),
recognising one in a call (`Authorization: Bearer <key>`, or Open311's `api_key` parameter),
and the per-key and per-address rate limits (`onestop.core.ratelimit`).

A key is `os_<prefix>_<secret>`: 8 hex characters that find the row, then 32 random bytes
(base64url). Only the SHA-256 of the secret is stored; it is compared in constant time. The
full key is returned once, by `api_key_create`, and never again."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.api.models import ApiKey, ApiThrottle, ApiThrottleScope
from onestop.core import crypto, ratelimit
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.models import AuditAction
from onestop.core.net import address_bucket, client_ip
from onestop.organisations.models import Department, Organisation, Role

KEY_PATTERN = re.compile(r"^os_(?P<prefix>[0-9a-f]{8})_(?P<secret>[A-Za-z0-9_-]{43})$")
_DEPARTMENT_ROLES = frozenset({Role.OFFICER, Role.HEAD})


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    """A new key and, once only, its full text."""

    key: ApiKey
    plaintext: str


def api_key_create(
    *,
    organisation: Organisation,
    actor: User | None,
    name: str,
    role: Role,
    department: Department | None = None,
    read_only: bool = True,
    request: HttpRequest | None = None,
    secret: str | None = None,
    prefix: str | None = None,
) -> IssuedKey:
    """Issue a key; its full text is in the answer and nowhere else. `secret` and `prefix` are
    for the demo's fixed key only."""
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("กรุณาตั้งชื่อกุญแจ เช่น ชื่อระบบที่จะใช้"), code="required")
    if len(name) > ApiKey._meta.get_field("name").max_length:  # type: ignore[operator]
        raise DomainError(_("ชื่อกุญแจยาวได้ไม่เกิน 80 ตัวอักษร"), code="too_long")
    if role in _DEPARTMENT_ROLES and department is None:
        raise DomainError(_("บทบาทนี้ต้องระบุกอง/สำนัก"), code="department_required")
    if department is not None and department.organisation_id != organisation.pk:
        raise DomainError(_("ไม่พบกอง/สำนักนี้ในองค์กร"), code="foreign_department")
    if role not in _DEPARTMENT_ROLES:
        department = None
    prefix = prefix or secrets.token_hex(4)
    secret = secret or secrets.token_urlsafe(32)
    with transaction.atomic():
        user = User(username=f"api-{prefix}", first_name=name[:150], is_active=False)
        user.set_unusable_password()
        user.save()
        key = ApiKey.objects.create(
            organisation=organisation, name=name, prefix=prefix, secret_hash=secret_digest(secret),
            role=role, department=department, read_only=read_only, user=user,
            created_by=actor,
        )  # fmt: skip
        audit_record(
            request=request, actor=actor, action=AuditAction.STAFF_CHANGE,
            organisation=organisation, object_type="api_key", object_ref=prefix,
            details={"change": "api_key_create", "name": name, "role": str(role),
                     "read_only": read_only},
        )  # fmt: skip
    return IssuedKey(key=key, plaintext=f"os_{prefix}_{secret}")


def api_key_revoke(
    *, key: ApiKey, actor: User | None, request: HttpRequest | None = None
) -> ApiKey:
    """Revoke a key for good (idempotent: revoking it again changes nothing)."""
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is not None:
            return key
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(
            request=request, actor=actor, action=AuditAction.STAFF_CHANGE,
            organisation=key.organisation, object_type="api_key", object_ref=key.prefix,
            details={"change": "api_key_revoke", "name": key.name},
        )  # fmt: skip
    return key


def api_keys_for_admin(*, organisation: Organisation) -> list[ApiKey]:
    return list(
        ApiKey.objects.filter(organisation=organisation).select_related("department", "created_by")
    )


def api_key_get_for_admin(*, organisation: Organisation, pk: int) -> ApiKey:
    return get_object_or_404(ApiKey, organisation=organisation, pk=pk)


class KeyRefused(Exception):
    """The call cannot go ahead: HTTP `status` (401, 403 or 429), a message for people and,
    for 429, how many seconds to wait."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def presented_key(request: HttpRequest) -> str | None:
    """The key the call carries: `Authorization: Bearer <key>`, else the `api_key` parameter
    of a POST body (Open311's way). Never from the query string: URLs end up in logs."""
    header = str(request.META.get("HTTP_AUTHORIZATION", ""))
    scheme, _space, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if request.method == "POST" and request.POST.get("api_key"):
        return str(request.POST["api_key"]).strip()
    return None


def _window() -> dt.timedelta:
    return dt.timedelta(seconds=int(settings.ONESTOP_API_WINDOW_SECONDS))


def _throttle(limits: list[ratelimit.Limit], now: dt.datetime) -> None:
    outcome = ratelimit.attempt(ApiThrottle, limits, window=_window(), now=now)
    if outcome.refused_until is not None:
        wait = max(1, int((outcome.refused_until - now).total_seconds() + 0.999))
        raise KeyRefused(
            429,
            _("เรียกใช้บริการถี่เกินไป กรุณารอ %(seconds)d วินาทีแล้วลองใหม่") % {"seconds": wait},
            retry_after=wait,
        )


def _address_limit(ip: str) -> ratelimit.Limit:
    return ratelimit.Limit(
        scope=ApiThrottleScope.IP, key=crypto.lookup_hash("api-ip:" + address_bucket(ip)),
        limit=int(settings.ONESTOP_API_IP_LIMIT),
    )  # fmt: skip


def api_key_authenticate(
    *, request: HttpRequest, organisation: Organisation, write: bool = False
) -> ApiKey:
    """The key of this call, for this organisation, counted against its rate limits.

    1. Count the call against the caller's address (refused with 429 while it is locked),
       so that guessing keys is as slow as calling with one.
    2. Find the key by its prefix and compare the secret's hash in constant time; a missing,
       malformed, unknown, revoked or other organisation's key is the same 401.
    3. Count the call against the key (429 while locked); a `write` with a read-only key is 403.
    4. Note when and from where it was last used."""
    now = timezone.now()
    ip = client_ip(request) or "0.0.0.0"  # noqa: S104 (a bucket name, not a bind address)
    _throttle([_address_limit(ip)], now)
    text = presented_key(request)
    match = KEY_PATTERN.match(text or "")
    key = (
        ApiKey.objects.filter(prefix=match["prefix"]).select_related("user", "department").first()
        if match
        else None
    )
    digest = secret_digest(match["secret"]) if match else ""
    valid = key is not None and hmac.compare_digest(key.secret_hash, digest)
    if (
        key is None
        or not valid
        or key.revoked_at is not None
        or (key.organisation_id != organisation.pk)
    ):
        if text is None:
            raise KeyRefused(401, _("ต้องใช้กุญแจ API ขององค์กรนี้ (Authorization: Bearer <กุญแจ>)"))
        raise KeyRefused(401, _("กุญแจ API ไม่ถูกต้อง ถูกยกเลิกแล้ว หรือไม่ใช่ของหน่วยงานนี้"))
    key_limit = ratelimit.Limit(
        scope=ApiThrottleScope.KEY, key=crypto.lookup_hash(f"api-key:{key.prefix}"),
        limit=int(settings.ONESTOP_API_KEY_LIMIT),
    )  # fmt: skip
    _throttle([key_limit], now)
    if write and key.read_only:
        raise KeyRefused(403, _("กุญแจนี้ใช้อ่านข้อมูลได้อย่างเดียว"))
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now, last_used_ip=client_ip(request))
    key.last_used_at, key.last_used_ip = now, client_ip(request)
    return key


def prune(*, now: dt.datetime | None = None) -> int:
    """Delete counters whose window and lock are over (safe to run any time)."""
    return ratelimit.prune(ApiThrottle, window=_window(), now=now)
