"""What the API stores: the organisations' API keys (hashed), its rate-limit counters and the
Open311 tokens of requests filed through it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.cases.models import Case
from onestop.core.ratelimit import RateCounter
from onestop.organisations.models import Department, Organisation, Role


class ApiKey(models.Model):
    """A key an organisation's administrator issued to one of its systems.

    The key is `os_<prefix>_<secret>`: `prefix` (8 hex characters) finds the row, the secret (32
    random bytes, base64url) is kept only as its SHA-256 and compared in constant time. It is
    shown once, when created. It acts with the permissions of `role` (and `department` for the
    department roles), never with the confidential grant; `read_only` keys only read. Actions
    are recorded under `user`, an account of its own that cannot sign in, named after the key."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_keys",
        verbose_name=_("องค์กร"),
    )  # fmt: skip
    name = models.CharField(_("ชื่อกุญแจ"), max_length=80)
    prefix = models.CharField(_("รหัสนำหน้า"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    role = models.CharField(_("บทบาท"), max_length=16, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("กอง/สำนัก"),
    )  # fmt: skip
    read_only = models.BooleanField(_("อ่านอย่างเดียว"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_key",
        editable=False,
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("สร้างโดย"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("ยกเลิกเมื่อ"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("ใช้ล่าสุดเมื่อ"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("ใช้ล่าสุดจาก"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("กุญแจ API")
        verbose_name_plural = _("กุญแจ API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiThrottleScope(models.TextChoices):
    KEY = "key", _("กุญแจ API")
    IP = "ip", _("ที่อยู่ IP")


class ApiThrottle(RateCounter):
    """Calls per API key and per client address in a fixed window (`onestop.core.ratelimit`);
    the key column is a keyed hash."""

    scope = models.CharField(_("ขอบเขต"), max_length=8, choices=ApiThrottleScope.choices)

    class Meta:
        verbose_name = _("การจำกัดการเรียก API")
        verbose_name_plural = _("การจำกัดการเรียก API")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="api_throttle_unique"),
        ]
        indexes = [models.Index(fields=["window_started_at"])]


class Open311Token(models.Model):
    """The Open311 token of a request filed through `POST requests`: `tokens/<token>` answers
    its number. One per request."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("องค์กร")
    )
    token = models.CharField(_("โทเคน"), max_length=40, unique=True)
    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="open311_token", verbose_name=_("คำร้อง")
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("โทเคน Open311")
        verbose_name_plural = _("โทเคน Open311")

    def __str__(self) -> str:
        return self.token
