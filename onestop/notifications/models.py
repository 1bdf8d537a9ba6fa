"""The outbox: one row per message to one recipient on one channel, written in the same
transaction as the change that causes it and delivered by the worker (`delivery.py`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onestop.cases.models import Case, CaseEvent
from onestop.organisations.models import Organisation


class Channel(models.TextChoices):
    EMAIL = "email", _("อีเมล")
    SMS = "sms", _("SMS")
    LINE = "line", _("LINE")


class MessageKind(models.TextChoices):
    # To the citizen.
    CITIZEN_FILED = "citizen_filed", _("ยืนยันการยื่นคำร้อง")
    CITIZEN_STATUS = "citizen_status", _("แจ้งสถานะคำร้อง")
    CITIZEN_MESSAGE = "citizen_message", _("ข้อความจากเจ้าหน้าที่")
    CITIZEN_WAITING = "citizen_waiting", _("ขอข้อมูลเพิ่มเติมจากผู้ยื่น")
    CITIZEN_COMPLETED = "citizen_completed", _("แจ้งผลการดำเนินการ")
    # To staff.
    STAFF_NEW = "staff_new", _("คำร้องใหม่")
    STAFF_ASSIGNED = "staff_assigned", _("มอบหมายคำร้อง")
    STAFF_INFORMATION = "staff_information", _("ผู้ยื่นส่งข้อมูลเพิ่มเติม")
    STAFF_NOT_SOLVED = "staff_not_solved", _("ผู้ยื่นแจ้งว่ายังไม่ได้รับการแก้ไข")
    STAFF_COMPLETED = "staff_completed", _("เจ้าหน้าที่ปิดคำร้อง")
    STAFF_DIGEST = "staff_digest", _("สรุปคำร้องเกินกำหนดและใกล้ครบกำหนดประจำวัน")
    PASSWORD_RESET = "password_reset", _("ตั้งรหัสผ่านใหม่")
    CITIZEN_LINE_LINKED = "citizen_line_linked", _("เชื่อมต่อ LINE กับคำร้องแล้ว")


class State(models.TextChoices):
    QUEUED = "queued", _("รอส่ง")
    SENDING = "sending", _("กำลังส่ง")
    SENT = "sent", _("ส่งแล้ว")
    FAILED = "failed", _("ส่งไม่สำเร็จ")


class Attachment(models.TextChoices):
    NONE = "", _("ไม่มี")
    REQUEST_DOCUMENT = "request_document", _("เอกสารคำร้อง (PDF)")


class Message(models.Model):
    """One message. Subject and body are rendered when the message is planned (in the
    transaction of the change, in the recipient's language), so the message says what happened
    at that event whatever happens later, and the case page lists what was really sent. The
    request document is attached at send time (it is large and made from data that never
    changes). The recipient and the body are personal data: encrypted (`core.crypto`), the
    recipient shown masked; the subject never carries personal data."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("องค์กร"),
    )  # fmt: skip
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="messages",
        verbose_name=_("คำร้อง"),
    )  # fmt: skip
    event = models.ForeignKey(
        CaseEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("เหตุการณ์"),
    )  # fmt: skip
    kind = models.CharField(_("ชนิด"), max_length=24, choices=MessageKind.choices)
    channel = models.CharField(_("ช่องทาง"), max_length=16, choices=Channel.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("เจ้าหน้าที่ผู้รับ"),
    )  # fmt: skip
    recipient_encrypted = models.TextField(editable=False)
    recipient_masked = models.CharField(_("ผู้รับ"), max_length=254, editable=False)
    recipient_hash = models.CharField(max_length=64, editable=False)
    language = models.CharField(_("ภาษา"), max_length=8, default="th")
    subject = models.CharField(_("เรื่อง"), max_length=300)
    body_encrypted = models.TextField(editable=False)
    # Of an SMS: how many segments the gateway bills (`sms.segments`); 0 for other channels.
    segments = models.PositiveSmallIntegerField(_("จำนวนส่วนของ SMS"), default=0)
    attachment = models.CharField(
        _("ไฟล์แนบ"), max_length=24, choices=Attachment.choices, blank=True, default=""
    )
    state = models.CharField(_("สถานะ"), max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่พยายามส่ง"), default=0)
    next_attempt_at = models.DateTimeField(_("ส่งได้ตั้งแต่"), default=timezone.now)
    # While SENDING: the worker that took it owns it until then; after, another run takes it.
    lease_until = models.DateTimeField(_("จองไว้ถึง"), null=True, blank=True)
    last_error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), default=timezone.now)
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)
    # f"{event}:{kind}:{channel}:{recipient hash}": the same message is never planned twice;
    # also the e-mail's Message-ID, so a copy sent twice (see README) is recognisable.
    key = models.CharField(_("รหัสข้อความ"), max_length=200, unique=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ข้อความแจ้งเตือน")
        verbose_name_plural = pgettext_lazy("plural", "ข้อความแจ้งเตือน")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=State.values), name="message_state_valid"
            ),
        ]
        indexes = [
            # The worker's look-up of what is due.
            models.Index(fields=["state", "next_attempt_at"], name="message_due"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.state}"

    @property
    def retries(self) -> int:
        return max(self.attempts - 1, 0)


def validate_gateway_url(value: str) -> None:
    """https, or plain http only to this machine (a local relay; the tests' gateway): the API
    key and secret travel with every request."""
    parts = urlsplit(value)
    loopback = parts.hostname in {"127.0.0.1", "localhost", "::1"}
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise ValidationError(_("URL ของผู้ให้บริการ SMS ต้องขึ้นต้นด้วย https://"), code="scheme")


def gateway_kinds() -> list[tuple[str, str]]:
    """The SMS gateway adapters (`gateways.ADAPTERS`): a callable, so that adding an adapter
    is one class, without a migration."""
    from onestop.notifications.gateways import ADAPTERS  # noqa: PLC0415 (gateways imports us)

    return [(key, str(adapter.label)) for key, adapter in ADAPTERS.items()]


class SmsGateway(models.Model):
    """An organisation's bulk-SMS account: with one (active), its citizens are told by SMS too.
    The key and the secret are encrypted at rest (`core.crypto`, `ONESTOP_DATA_KEY`) and never
    shown back (the admin's fields are write-only)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="sms_gateway",
        verbose_name=_("องค์กร"),
    )  # fmt: skip
    kind = models.CharField(_("รูปแบบของผู้ให้บริการ"), max_length=32, choices=gateway_kinds)
    url = models.URLField(
        _("URL สำหรับส่งข้อความ"), max_length=300, validators=[validate_gateway_url],
        help_text=_("ต้องขึ้นต้นด้วย https:// (รหัส API ส่งไปกับทุกข้อความ)"),
    )  # fmt: skip
    sender = models.CharField(
        _("ชื่อผู้ส่ง"), max_length=11,
        help_text=_("ชื่อผู้ส่ง (Sender name) ที่ลงทะเบียนกับผู้ให้บริการแล้ว ไม่เกิน 11 ตัวอักษร"),
    )  # fmt: skip
    api_key_encrypted = models.TextField(editable=False)
    api_secret_encrypted = models.TextField(editable=False)
    timeout = models.PositiveSmallIntegerField(
        _("รอคำตอบนานสุด (วินาที)"), default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )  # fmt: skip
    is_active = models.BooleanField(_("เปิดใช้งาน"), default=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    class Meta:
        verbose_name = _("ช่องทาง SMS ขององค์กร")
        verbose_name_plural = pgettext_lazy("plural", "ช่องทาง SMS ขององค์กร")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.sender})"


# What each staff member chooses channels for (`ChannelPreference`), in the settings page's order.
STAFF_KINDS = (
    MessageKind.STAFF_NEW,
    MessageKind.STAFF_ASSIGNED,
    MessageKind.STAFF_INFORMATION,
    MessageKind.STAFF_NOT_SOLVED,
    MessageKind.STAFF_COMPLETED,
    MessageKind.STAFF_DIGEST,
)


class ChannelPreference(models.Model):
    """The channels one kind of staff message goes by: a member's own choice (`user` set), else
    the organisation's default (`user` empty), else e-mail only (`preferences.staff_channels`).
    Nothing ticked means the member is not told of that kind at all."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("องค์กร")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", verbose_name=_("เจ้าหน้าที่"),
    )  # fmt: skip
    kind = models.CharField(_("ชนิด"), max_length=24, choices=MessageKind.choices)
    email = models.BooleanField(_("อีเมล"), default=True)
    sms = models.BooleanField(_("SMS"), default=False)
    line = models.BooleanField(_("LINE"), default=False)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    class Meta:
        verbose_name = _("ช่องทางการแจ้งเตือนเจ้าหน้าที่")
        verbose_name_plural = pgettext_lazy("plural", "ช่องทางการแจ้งเตือนเจ้าหน้าที่")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "kind"], name="preference_one_per_member_kind",
                condition=models.Q(user__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="preference_one_default_per_kind",
                condition=models.Q(user__isnull=True),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=[kind.value for kind in STAFF_KINDS]),
                name="preference_staff_kind",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.user_id or '*'}:{self.kind}"


class StaffContact(models.Model):
    """A member's mobile number for SMS notifications (only used when the organisation has an
    SMS gateway): personal data, encrypted (`core.crypto`), shown masked."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("องค์กร")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("เจ้าหน้าที่"),
    )  # fmt: skip
    mobile_encrypted = models.TextField(editable=False, blank=True)
    mobile_masked = models.CharField(_("โทรศัพท์มือถือ"), max_length=32, blank=True)
    # Linked through the organisation's LINE account (a one-time code, as a citizen does).
    line_user_encrypted = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    class Meta:
        verbose_name = _("ช่องทางติดต่อเจ้าหน้าที่")
        verbose_name_plural = pgettext_lazy("plural", "ช่องทางติดต่อเจ้าหน้าที่")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="contact_one_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.user_id} {self.mobile_masked}"


class LineChannel(models.Model):
    """An organisation's LINE Official Account (Messaging API): with one (active), the done
    page and the tracking page offer "get updates in LINE", and its staff group (if set) hears
    of new requests. The channel secret and the access token are encrypted at rest
    (`core.crypto`) and never shown back (the admin's fields are write-only)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="line_channel",
        verbose_name=_("องค์กร"),
    )  # fmt: skip
    basic_id = models.CharField(
        _("LINE ID ของบัญชีทางการ (Basic ID)"), max_length=32,
        validators=[
            RegexValidator(r"^@[a-z0-9._-]{3,30}$", _("LINE ID ขึ้นต้นด้วย @ เช่น @wangchao"))
        ],
        help_text=_("เช่น @wangchao (ดูได้ใน LINE Official Account Manager)"),
    )  # fmt: skip
    channel_secret_encrypted = models.TextField(editable=False)
    access_token_encrypted = models.TextField(editable=False)
    staff_group_id = models.CharField(
        _("LINE กลุ่มของเจ้าหน้าที่สำหรับคำร้องใหม่"), max_length=64, blank=True,
        validators=[
            RegexValidator(r"^C[0-9a-f]{32}$", _("รหัสกลุ่ม LINE ขึ้นต้นด้วย C ตามด้วยอักษร 32 ตัว"))
        ],
    )  # fmt: skip
    is_active = models.BooleanField(_("เปิดใช้งาน"), default=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    class Meta:
        verbose_name = _("บัญชี LINE ขององค์กร")
        verbose_name_plural = pgettext_lazy("plural", "บัญชี LINE ขององค์กร")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.basic_id})"


class LineLink(models.Model):
    """One request followed in LINE: a one-time code (shown to the citizen on the done page or
    the tracking page) that the citizen sends to the organisation's official account; the
    webhook then records who sent it. The LINE user id is personal data: encrypted."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("องค์กร")
    )
    # A citizen following one request, or a staff member linking their own LINE: one of two.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="line_links",
        verbose_name=_("คำร้อง"),
    )  # fmt: skip
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", verbose_name=_("เจ้าหน้าที่"),
    )  # fmt: skip
    code = models.CharField(_("รหัสเชื่อมต่อ"), max_length=16, unique=True)
    expires_at = models.DateTimeField(_("รหัสหมดอายุ"))
    linked_at = models.DateTimeField(_("เชื่อมต่อเมื่อ"), null=True, blank=True)
    line_user_encrypted = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), default=timezone.now)

    class Meta:
        verbose_name = _("การติดตามคำร้องทาง LINE")
        verbose_name_plural = pgettext_lazy("plural", "การติดตามคำร้องทาง LINE")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, user__isnull=True)
                | models.Q(case__isnull=True, user__isnull=False),
                name="line_link_case_or_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id or self.user_id} {self.code}"
