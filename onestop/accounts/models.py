"""What staff accounts store besides Django's own tables: the password-reset rate limits."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.core.ratelimit import RateCounter


class ResetScope(models.TextChoices):
    ACCOUNT = "account", _("บัญชี (อีเมลที่กรอก)")
    IP = "ip", _("ที่อยู่ IP")


class PasswordResetThrottle(RateCounter):
    """Password-reset requests for one e-mail address typed or one client address, in a fixed
    window (see `onestop.core.ratelimit`). The key is a keyed hash: the table holds neither
    e-mail addresses nor client addresses."""

    scope = models.CharField(_("ขอบเขต"), max_length=8, choices=ResetScope.choices)

    class Meta:
        verbose_name = _("การจำกัดการขอตั้งรหัสผ่านใหม่")
        verbose_name_plural = _("การจำกัดการขอตั้งรหัสผ่านใหม่")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="password_reset_throttle_unique"),
        ]
        indexes = [models.Index(fields=["window_started_at"])]
