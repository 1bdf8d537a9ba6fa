from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BilingualNameMixin:
    """`name` and `description` in the reader's language, falling back to Thai."""

    name_th: str
    name_en: str

    @property
    def name(self) -> str:
        language = translation.get_language() or "th"
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_th

    @property
    def description(self) -> str:
        language = translation.get_language() or "th"
        description_th: str = getattr(self, "description_th", "")
        description_en: str = getattr(self, "description_en", "")
        if language.startswith("en") and description_en:
            return description_en
        return description_th


class NamedEntry(BilingualNameMixin, models.Model):
    """An entry of an organisation's own lists (department, category, request type): a stable
    key for code and imports, names in Thai and English, an order and an on/off switch."""

    key = models.SlugField(_("รหัสภายใน"), max_length=60)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=200)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    is_active = models.BooleanField(_("เปิดใช้งาน"), default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name_th


class Holiday(models.Model):
    """A public holiday on which offices are closed: due dates skip it. Kept by operators."""

    date = models.DateField(_("วันที่"), unique=True)
    name_th = models.CharField(_("ชื่อวันหยุด"), max_length=200)
    name_en = models.CharField(_("ชื่อวันหยุด (อังกฤษ)"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("วันหยุดราชการ")
        verbose_name_plural = pgettext_lazy("plural", "วันหยุดราชการ")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name_th}"


class AuditAction(models.TextChoices):
    CASE_VIEW = "case_view", _("เปิดดูคำร้อง")
    LIST_VIEW = "list_view", _("เปิดดูรายการคำร้อง")
    NATIONAL_ID_VIEW = "national_id_view", _("ดูเลขบัตรประชาชนเต็ม")
    FILE_DOWNLOAD = "file_download", _("เปิด/ดาวน์โหลดไฟล์")
    DOCUMENT_PRINT = "document_print", _("พิมพ์เอกสารคำร้อง")
    CASE_CHANGE = "case_change", _("แก้ไขคำร้อง")
    CASE_CREATE = "case_create", _("บันทึกคำร้องแทนประชาชน")
    EXPORT = "export", _("ส่งออกข้อมูล")
    STAFF_CHANGE = "staff_change", _("เพิ่ม/แก้ไขสิทธิ์เจ้าหน้าที่")
    CATALOGUE_CHANGE = "catalogue_change", _("แก้ไขประเภทคำร้อง")
    DENIED = "denied", _("ถูกปฏิเสธการเข้าถึง")
    DATA_SUBJECT_SEARCH = "data_subject_search", _("ค้นหาคำร้องของเจ้าของข้อมูล")
    PERSONAL_DATA_ERASE = "personal_data_erase", _("ลบข้อมูลส่วนบุคคล")


class AuditLogQuerySet(models.QuerySet["AuditLog"]):
    """Append-only: a bulk update or delete through the ORM is refused."""

    def update(self, **kwargs: object) -> int:
        raise PermissionError("The audit trail is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")


class AuditLog(models.Model):
    """Who did what to whose personal data, when and from where. Written by
    `onestop.core.audit.audit_record`; never edited, never deleted. National ID numbers and
    phone numbers are masked before they are stored here."""

    created_at = models.DateTimeField(_("เวลา"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("ผู้ดำเนินการ"),
    )  # fmt: skip
    # A snapshot: the log stays readable after the account is renamed or removed.
    actor_username = models.CharField(_("ชื่อผู้ใช้"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("องค์กร"),
    )  # fmt: skip
    action = models.CharField(_("การกระทำ"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("ชนิดข้อมูล"), max_length=40, blank=True)
    object_ref = models.CharField(_("อ้างอิง"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("ที่อยู่ IP"), null=True, blank=True)
    details = models.JSONField(_("รายละเอียด"), default=dict, blank=True)
    # About a request of a confidential type: listed only to members granted confidential access.
    is_confidential = models.BooleanField(_("เรื่องลับ"), default=False)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("บันทึกการเข้าถึงข้อมูล")
        verbose_name_plural = _("บันทึกการเข้าถึงข้อมูล")
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The one invariant a database constraint cannot express: a row, once written, stays.
        if self.pk is not None and not self._state.adding:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only.")


class RequestLatency(models.Model):
    """Requests answered, summed over every process: one row per view name, status class and
    latency bucket (onestop.core.latency writes them, /metrics reads them). Nothing about a
    person: the view is the URL pattern's name, never the path."""

    view = models.CharField(_("หน้า"), max_length=200)
    status_class = models.CharField(_("กลุ่มรหัสสถานะ"), max_length=3)
    # The bucket's upper bound in seconds, as Prometheus writes it ("0.005" … "+Inf").
    le = models.CharField(_("ไม่เกิน (วินาที)"), max_length=10)
    count = models.BigIntegerField(_("จำนวน"), default=0)
    # The sum of the durations in this bucket.
    seconds = models.FloatField(_("รวมวินาที"), default=0.0)

    class Meta:
        verbose_name = _("เวลาตอบสนองตามหน้า")
        verbose_name_plural = _("เวลาตอบสนองตามหน้า")
        constraints = [
            models.UniqueConstraint(
                fields=["view", "status_class", "le"], name="request_latency_series_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.view} {self.status_class} le={self.le}: {self.count}"
