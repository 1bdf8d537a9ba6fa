"""What the back office keeps for an organisation: reply templates and routing rules."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.cases.workflow import Status
from onestop.catalog.models import RequestType
from onestop.organisations.models import Department, Organisation


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


class RoutingRule(models.Model):
    """Where a new request goes: by its type and, optionally, by area (หมู่ที่). The most
    specific rule wins (type and area, then type, then area); without one the type's default
    division applies. Read by `backoffice.routing.department_for` when a request is filed."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="routing_rules",
        verbose_name=_("องค์กร"),
    )  # fmt: skip
    request_type = models.ForeignKey(
        RequestType, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("ประเภทคำร้อง"), help_text=_("เว้นว่างเพื่อใช้กับทุกประเภท"),
    )  # fmt: skip
    village_no = models.CharField(
        _("หมู่ที่"), max_length=10, blank=True, help_text=_("เว้นว่างเพื่อใช้กับทุกพื้นที่")
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("ส่งให้กอง/สำนัก"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "request_type", "village_no", "pk"]
        verbose_name = _("กฎการส่งต่อคำร้อง")
        verbose_name_plural = _("กฎการส่งต่อคำร้อง")
        constraints = [
            # One rule per (type, area); "any type" is NULL, so it gets its own partial index
            # (SQLite cannot make NULLs equal in a unique constraint).
            models.UniqueConstraint(
                fields=["organisation", "request_type", "village_no"],
                condition=models.Q(request_type__isnull=False),
                name="routing_rule_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "village_no"],
                condition=models.Q(request_type__isnull=True),
                name="routing_rule_unique_any_type",
            ),
            models.CheckConstraint(
                condition=~models.Q(request_type__isnull=True, village_no=""),
                name="routing_rule_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_type or '*'} / {self.village_no or '*'} → {self.department}"
