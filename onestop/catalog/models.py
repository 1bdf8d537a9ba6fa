"""What a citizen can ask an organisation for: categories (หมวด) and request types (ประเภทคำร้อง)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onestop.core.models import NamedEntry
from onestop.organisations.models import Department, Organisation


class Category(NamedEntry):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="categories",
        verbose_name=_("องค์กร"),
    )  # fmt: skip
    description_th = models.TextField(_("คำอธิบาย (ไทย)"), blank=True)
    description_en = models.TextField(_("คำอธิบาย (อังกฤษ)"), blank=True)

    class Meta:
        ordering = ["organisation", "position", "pk"]
        verbose_name = _("หมวดคำร้อง")
        verbose_name_plural = pgettext_lazy("plural", "หมวดคำร้อง")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="category_key_unique"),
        ]


class LocationRule(models.TextChoices):
    REQUIRED = "required", _("ต้องระบุสถานที่")
    OPTIONAL = "optional", _("ระบุหรือไม่ก็ได้")
    NOT_ASKED = "not_asked", _("ไม่ถามสถานที่")


class RequestType(NamedEntry):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="request_types",
        verbose_name=_("องค์กร"),
    )  # fmt: skip
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="request_types",
        verbose_name=_("หมวด"),
    )  # fmt: skip
    description_th = models.TextField(
        _("คำอธิบาย (ไทย)"), blank=True, help_text=_("สิ่งที่องค์กรต้องการสำหรับคำร้องประเภทนี้")
    )
    description_en = models.TextField(_("คำอธิบาย (อังกฤษ)"), blank=True)
    default_department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("กอง/สำนักที่รับผิดชอบ"),
    )  # fmt: skip
    sla_days = models.PositiveSmallIntegerField(_("ระยะเวลาดำเนินการ (วันทำการ)"), default=15)
    location = models.CharField(
        _("สถานที่"), max_length=16, choices=LocationRule.choices, default=LocationRule.OPTIONAL
    )
    id_card_required = models.BooleanField(_("ต้องแนบสำเนาบัตรประชาชน"), default=False)
    is_confidential = models.BooleanField(
        _("เรื่องลับ"),
        default=False,
        help_text=_("เห็นได้เฉพาะเจ้าหน้าที่ที่ได้รับสิทธิ์ ไม่แสดงในรายการทั่วไปและการส่งออก"),
    )

    class Meta:
        ordering = ["organisation", "category__position", "position", "pk"]
        verbose_name = _("ประเภทคำร้อง")
        verbose_name_plural = pgettext_lazy("plural", "ประเภทคำร้อง")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="request_type_key_unique"),
            models.CheckConstraint(condition=models.Q(sla_days__gte=1), name="sla_days_positive"),
        ]
