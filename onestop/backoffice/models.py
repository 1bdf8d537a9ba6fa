"""What the back office keeps for an organisation: reply templates. (Routing rules are the
cases domain's: `cases.models.RoutingRule`.)"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.cases.workflow import Status
from onestop.catalog.models import RequestType
from onestop.organisations.models import Organisation


class ReplyTemplate(models.Model):
    """A ready-made message to the citizen, offered for one request type (or all) when moving
    a request to one status (or any). Staff start from it and may edit before sending."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="reply_templates",
        verbose_name=_("องค์กร"),
    )  # fmt: skip
    request_type = models.ForeignKey(
        RequestType, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("ประเภทคำร้อง"), help_text=_("เว้นว่างเพื่อใช้กับทุกประเภท"),
    )  # fmt: skip
    status = models.CharField(
        _("ใช้เมื่อเปลี่ยนเป็นสถานะ"), max_length=20, choices=Status.choices, blank=True,
        help_text=_("เว้นว่างเพื่อใช้กับทุกสถานะ"),
    )  # fmt: skip
    title = models.CharField(_("ชื่อข้อความ"), max_length=100)
    body = models.TextField(_("ข้อความถึงผู้ยื่น"), max_length=4000)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "title", "pk"]
        verbose_name = _("ข้อความสำเร็จรูป")
        verbose_name_plural = _("ข้อความสำเร็จรูป")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="") | models.Q(status__in=Status.values),
                name="reply_template_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.title
