"""Requests (คำร้อง), their timeline and their files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onestop.cases import numbering
from onestop.cases.workflow import Actor, Move, Status
from onestop.catalog.models import RequestType
from onestop.organisations.models import Department, Organisation


class Channel(models.TextChoices):
    WEB = "web", _("ออนไลน์")
    COUNTER = "counter", _("ยื่นที่ศูนย์บริการ")
    PHONE = "phone", _("โทรศัพท์")
    API = "api", _("ระบบอื่น (API)")


class NoIdReason(models.TextChoices):
    """Why staff filed a request without the caller's national ID (counter and phone only; the
    citizen's own form always asks for it). Kept in the first event's `data`."""

    NOT_CARRIED = "not_carried", _("ไม่ได้นำบัตรมา/จำเลขไม่ได้")
    PHONE_CALL = "phone_call", _("แจ้งทางโทรศัพท์ ไม่สะดวกให้เลขบัตร")
    DECLINED = "declined", _("ไม่ประสงค์เปิดเผยเลขบัตร")
    NO_THAI_ID = "no_thai_id", _("ไม่มีเลขประจำตัวประชาชนไทย")
    OTHER = "other", _("อื่น ๆ (ระบุ)")


class Priority(models.IntegerChoices):
    LOW = 1, _("ต่ำ")
    NORMAL = 2, _("ปกติ")
    HIGH = 3, _("สูง")
    URGENT = 4, _("เร่งด่วน")


# The inbox's tab counts read only these columns: an index-only scan instead of every row.
_INBOX_COUNT_FIELDS = [
    "organisation", "status", "request_type", "department", "assignee", "due_date",
    "first_response_due",
]  # fmt: skip


def _choice_label(choices: type[models.Choices], value: object) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


class Case(models.Model):
    """A request or complaint filed by a citizen with one organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", verbose_name=_("องค์กร")
    )
    request_type = models.ForeignKey(
        RequestType, on_delete=models.PROTECT, related_name="cases",
        verbose_name=_("ประเภทคำร้อง"),
    )  # fmt: skip
    number = models.CharField(_("เลขคำร้อง"), max_length=numbering.LENGTH, unique=True)
    subject = models.CharField(_("หัวข้อเรื่อง"), max_length=200)
    details = models.TextField(_("รายละเอียด"))

    # The requester. The national ID is personal data: encrypted, looked up by keyed hash,
    # shown masked. Use `cases.services` to set it, never these fields directly.
    requester_title = models.CharField(_("คำนำหน้า"), max_length=40)
    requester_first_name = models.CharField(_("ชื่อ"), max_length=100)
    requester_last_name = models.CharField(_("นามสกุล"), max_length=100)
    national_id_encrypted = models.TextField(_("เลขบัตรประชาชน (เข้ารหัส)"), editable=False)
    national_id_hash = models.CharField(max_length=64, db_index=True, editable=False)
    national_id_masked = models.CharField(_("เลขบัตรประชาชน"), max_length=17, editable=False)
    phone = models.CharField(_("โทรศัพท์มือถือ"), max_length=16, help_text="E.164")
    email = models.EmailField(_("อีเมล"), blank=True)

    # The place of action (สถานที่ดำเนินการ); all optional unless the type requires a location.
    house_no = models.CharField(_("บ้านเลขที่"), max_length=50, blank=True)
    village_no = models.CharField(_("หมู่ที่"), max_length=10, blank=True)
    village = models.CharField(_("หมู่บ้าน/ชุมชน"), max_length=150, blank=True)
    soi = models.CharField(_("ซอย"), max_length=150, blank=True)
    road = models.CharField(_("ถนน"), max_length=150, blank=True)
    subdistrict = models.CharField(_("ตำบล/แขวง"), max_length=100, blank=True)
    district = models.CharField(_("อำเภอ/เขต"), max_length=100, blank=True)
    province = models.CharField(_("จังหวัด"), max_length=100, blank=True)
    postcode = models.CharField(_("รหัสไปรษณีย์"), max_length=5, blank=True)
    subdistrict_code = models.CharField(_("รหัสตำบล"), max_length=6, blank=True)
    landmark = models.CharField(_("จุดสังเกต"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("ละติจูด"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("ลองจิจูด"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    channel = models.CharField(
        _("ช่องทาง"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    status = models.CharField(
        _("สถานะ"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("กอง/สำนักที่รับผิดชอบ"),
    )  # fmt: skip
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assigned_cases", verbose_name=_("ผู้รับผิดชอบ"),
    )  # fmt: skip
    priority = models.PositiveSmallIntegerField(
        _("ความเร่งด่วน"), choices=Priority.choices, default=Priority.NORMAL
    )
    due_date = models.DateField(_("กำหนดแล้วเสร็จ"), null=True, blank=True)
    # The first reply to the citizen (receipt or a message) is due by this working day.
    first_response_due = models.DateField(_("กำหนดตอบกลับครั้งแรก"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates",
        verbose_name=_("ซ้ำกับคำร้อง"),
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("ยื่นเมื่อ"), db_index=True)
    received_at = models.DateTimeField(_("รับเรื่องเมื่อ"), null=True, blank=True)
    completed_at = models.DateTimeField(_("เสร็จสิ้นเมื่อ"), null=True, blank=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)
    # When the requester's personal data was removed (retention or the person's request).
    anonymised_at = models.DateTimeField(_("ลบข้อมูลส่วนบุคคลเมื่อ"), null=True, blank=True)
    # Bumped by every change made through the services: a stale form is refused, not merged.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Idempotency: a retried final submit carries the same key and finds the same request.
    # NULL, not "", so that the unique constraint ignores requests filed without a key.
    submission_key = models.CharField(  # noqa: DJ001
        max_length=64, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("คำร้อง")
        verbose_name_plural = pgettext_lazy("plural", "คำร้อง")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "submission_key"], name="case_submission_key_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="case_status_valid"
            ),
        ]
        indexes = [
            # The staff inbox: newest first, keyset-paginated on (submitted_at, id).
            models.Index(fields=["organisation", "-submitted_at", "-id"], name="case_org_newest"),
            models.Index(fields=["organisation", "status", "-submitted_at"]),
            models.Index(fields=["organisation", "department", "status"]),
            models.Index(fields=["organisation", "due_date"]),
            models.Index(fields=_INBOX_COUNT_FIELDS, name="case_inbox_counts"),
        ]

    def __str__(self) -> str:
        return f"{self.display_number} {self.subject}"

    @property
    def display_number(self) -> str:
        return numbering.display(self.number)

    @property
    def requester_name(self) -> str:
        return f"{self.requester_title}{self.requester_first_name} {self.requester_last_name}"

    # The inbox shows these for 50 rows a page: Django's generated `get_FOO_display` rebuilds
    # the field's whole choices dict on every call (translating every label); these translate
    # the one label shown. Same result, unknown values shown as they are. (Django keeps a
    # method the class defines; django-stubs declares the generated ones, hence no-redef.)
    def get_status_display(self) -> str:  # type: ignore[no-redef]
        return _choice_label(Status, self.status)

    def get_channel_display(self) -> str:  # type: ignore[no-redef]
        return _choice_label(Channel, self.channel)

    def get_priority_display(self) -> str:  # type: ignore[no-redef]
        return _choice_label(Priority, self.priority)

    @property
    def has_national_id(self) -> bool:
        """False for a request staff filed without the caller's ID (the reason is in the first
        event's data: `no_id_reason`, `no_id_note`)."""
        return bool(self.national_id_masked)


class EventKind(models.TextChoices):
    STATUS = "status", _("เปลี่ยนสถานะ")
    NOTE = "note", _("บันทึกความคืบหน้า")
    ASSIGNMENT = "assignment", _("มอบหมายงาน")
    ATTACHMENT = "attachment", _("แนบไฟล์")
    PUBLICATION = "publication", _("แสดง/ซ่อนภาพผลการดำเนินงาน")
    CONFIRMED = "confirmed", _("ผู้ยื่นยืนยันว่าได้รับการแก้ไขแล้ว")
    RATED = "rated", _("ผู้ยื่นให้คะแนนความพึงพอใจ")
    ANONYMISED = "anonymised", _("ลบข้อมูลส่วนบุคคลของผู้ยื่น")


class CaseEvent(models.Model):
    """One change of a request: its timeline entry and the event log that notifications and
    report rollups consume (in `pk` order). Appended by `cases.services` in the same transaction
    as the change itself; never edited.

    `public_message` is what staff told the citizen; `citizen_message` is what the citizen said
    (a reason for cancelling, "not solved", the information asked for): never the other way
    round. `data` carries what a consumer needs beyond that (department and assignee of an
    assignment, a rating's score, an attachment's id)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("คำร้อง")
    )
    created_at = models.DateTimeField(_("เวลา"), default=timezone.now, db_index=True)
    kind = models.CharField(_("ชนิด"), max_length=16, choices=EventKind.choices)
    move = models.CharField(_("ขั้นตอน"), max_length=16, choices=Move.choices, blank=True)
    actor_kind = models.CharField(_("ผู้ดำเนินการ"), max_length=16, choices=Actor.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("เจ้าหน้าที่"),
    )  # fmt: skip
    from_status = models.CharField(_("จากสถานะ"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("เป็นสถานะ"), max_length=20, choices=Status.choices, blank=True)
    public_message = models.TextField(_("ข้อความถึงผู้ยื่น"), blank=True)
    citizen_message = models.TextField(_("ข้อความจากผู้ยื่น"), blank=True)
    internal_note = models.TextField(_("บันทึกภายใน"), blank=True)
    data = models.JSONField(_("ข้อมูลประกอบ"), default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("เหตุการณ์ของคำร้อง")
        verbose_name_plural = pgettext_lazy("plural", "ลำดับเหตุการณ์ของคำร้อง")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.from_status}→{self.to_status}"

    @property
    def is_public(self) -> bool:
        """Shown to the citizen on the tracking page (internal notes and assignments are not)."""
        return bool(self.public_message or self.citizen_message) or self.kind in _PUBLIC_KINDS


_PUBLIC_KINDS = frozenset({EventKind.STATUS, EventKind.CONFIRMED, EventKind.RATED})


class AttachmentKind(models.TextChoices):
    DOCUMENT = "document", _("เอกสารประกอบ")
    ID_CARD = "id_card", _("รูปบัตรประชาชน")
    RESULT = "result", _("ภาพผลการดำเนินงาน")


def attachment_path(instance: Attachment, filename: str) -> str:
    # The name is generated by the service (random); the uploaded name is never used on disk.
    return f"cases/{instance.case.organisation_id}/{filename}"


class Attachment(models.Model):
    """A file sent with a request or by staff. Private: served only by access-checked views."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("คำร้อง")
    )
    kind = models.CharField(_("ชนิด"), max_length=16, choices=AttachmentKind.choices)
    file = models.FileField(_("ไฟล์"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255)
    content_type = models.CharField(_("ชนิดไฟล์"), max_length=100)
    size = models.PositiveBigIntegerField(_("ขนาด (ไบต์)"))
    sha256 = models.CharField(max_length=64)
    is_public = models.BooleanField(
        _("แสดงต่อผู้ยื่น"), default=False, help_text=_("เฉพาะภาพผลการดำเนินงาน")
    )
    uploaded_at = models.DateTimeField(_("อัปโหลดเมื่อ"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("ผู้อัปโหลด"),
    )  # fmt: skip

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("ไฟล์แนบ")
        verbose_name_plural = pgettext_lazy("plural", "ไฟล์แนบ")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_public=False) | models.Q(kind="result"),
                name="only_result_photos_public",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class RoutingRule(models.Model):
    """Where a new request goes: by its type and, optionally, by area (หมู่ที่). The most
    specific rule wins (type and area, then type, then area); without one the type's default
    division applies. Read by `cases.routing.department_for` when a request is filed."""

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
