"""A record of every notification sent about a request, shown to staff on the case page."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onestop.cases.models import Case


class Channel(models.TextChoices):
    EMAIL = "email", _("อีเมล")


class SentNotification(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("คำร้อง")
    )
    channel = models.CharField(_("ช่องทาง"), max_length=16, choices=Channel.choices)
    recipients = models.TextField(_("ผู้รับ"))
    subject = models.CharField(_("เรื่อง"), max_length=300)
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("การแจ้งเตือนที่ส่งแล้ว")
        verbose_name_plural = pgettext_lazy("plural", "การแจ้งเตือนที่ส่งแล้ว")

    def __str__(self) -> str:
        return f"{self.case_id} {self.channel} {self.subject}"
