"""Local administrative organisations (อปท.), their departments and the staff who serve them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onestop.core.models import BilingualNameMixin, NamedEntry


class OrganisationKind(models.TextChoices):
    CITY_MUNICIPALITY = "city_municipality", _("เทศบาลนคร")
    TOWN_MUNICIPALITY = "town_municipality", _("เทศบาลเมือง")
    SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", _("เทศบาลตำบล")
    SAO = "sao", _("องค์การบริหารส่วนตำบล")
    PAO = "pao", _("องค์การบริหารส่วนจังหวัด")
    BANGKOK = "bangkok", _("กรุงเทพมหานคร")
    PATTAYA = "pattaya", _("เมืองพัทยา")


# Path segments the platform itself uses, at the top (config/urls.py) and under /staff/ (the
# accounts and invitation pages come before /staff/<organisation>/): no organisation takes them.
RESERVED_SLUGS = frozenset({
    "admin", "staff", "i18n", "static", "media", "api", "health",
    "login", "logout", "2fa", "password", "invitations", "open-data",
})  # fmt: skip


def validate_slug_not_reserved(slug: str) -> None:
    if slug.lower() in RESERVED_SLUGS:
        raise ValidationError(_("ชื่อย่อนี้ระบบใช้อยู่แล้ว กรุณาเลือกชื่ออื่น"), code="reserved_slug")


# How long closed requests keep the requester's personal data (README, "Privacy"): five years
# by default, never less than one (complaints are appealed and audited within a year).
RETENTION_DEFAULT_DAYS = 5 * 365 + 1
RETENTION_MINIMUM_DAYS = 365


class Organisation(BilingualNameMixin, models.Model):
    """One tenant of the platform. Everything a citizen files belongs to exactly one."""

    code = models.CharField(
        _("รหัส อปท."),
        max_length=20,
        unique=True,
        help_text=_("รหัสองค์กรปกครองส่วนท้องถิ่นของกรมส่งเสริมการปกครองท้องถิ่น"),
    )
    slug = models.SlugField(
        _("ชื่อย่อใน URL"), max_length=60, unique=True, validators=[validate_slug_not_reserved]
    )
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=200)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=200, blank=True)
    kind = models.CharField(_("ประเภท"), max_length=32, choices=OrganisationKind.choices)
    province = models.CharField(_("จังหวัด"), max_length=100)
    district = models.CharField(_("อำเภอ"), max_length=100)
    province_code = models.CharField(_("รหัสจังหวัด"), max_length=2, blank=True)
    district_code = models.CharField(_("รหัสอำเภอ"), max_length=4, blank=True)
    address = models.TextField(_("ที่อยู่"), blank=True)
    phone = models.CharField(_("โทรศัพท์"), max_length=50, blank=True)
    email = models.EmailField(_("อีเมล"), blank=True)
    website = models.URLField(_("เว็บไซต์"), blank=True)
    logo = models.ImageField(_("ตราสัญลักษณ์"), upload_to="logos/", blank=True)
    # Where the citizen's map opens (the office, or the middle of the area served). The address
    # data set has no coordinates, so without these the wizard falls back on the district's
    # other organisations (eservice.selectors.map_start).
    latitude = models.DecimalField(
        _("ละติจูดของสำนักงาน"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(21)],
        help_text=_("ใช้เป็นจุดเริ่มต้นของแผนที่ในแบบฟอร์มยื่นคำร้อง เช่น 16.704167"),
    )  # fmt: skip
    longitude = models.DecimalField(
        _("ลองจิจูดของสำนักงาน"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(97), MaxValueValidator(106)],
        help_text=_("เช่น 99.242778"),
    )  # fmt: skip
    is_active = models.BooleanField(_("เปิดให้บริการ"), default=True)
    # Workflow policy: may an officer close their own work, or must the head complete it?
    # PDPA: personal data of a closed request is removed this many days after its last change
    # (onestop.cases.services.privacy); the request and its statistics stay.
    personal_data_retention_days = models.PositiveIntegerField(
        _("เก็บข้อมูลส่วนบุคคลของคำร้องที่ปิดแล้ว (วัน)"),
        default=RETENTION_DEFAULT_DAYS,
        db_default=RETENTION_DEFAULT_DAYS,
        validators=[MinValueValidator(RETENTION_MINIMUM_DAYS)],
    )
    officers_may_complete = models.BooleanField(
        _("เจ้าหน้าที่กองปิดเรื่องได้เอง"),
        default=True,
        help_text=_("ถ้าปิด เจ้าหน้าที่ต้องส่งให้หัวหน้ากองเป็นผู้ปิดเรื่อง ถ้าเปิด หัวหน้ากองจะได้รับแจ้งเมื่อปิดเรื่อง"),
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)

    class Meta:
        ordering = ["province", "name_th"]
        verbose_name = _("องค์กรปกครองส่วนท้องถิ่น")
        verbose_name_plural = pgettext_lazy("plural", "องค์กรปกครองส่วนท้องถิ่น")
        indexes = [models.Index(fields=["province", "name_th"])]

    def __str__(self) -> str:
        return self.name_th


class Department(NamedEntry):
    """A division (กอง/สำนัก) of an organisation that works requests."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="departments",
        verbose_name=_("องค์กร"),
    )  # fmt: skip

    class Meta:
        ordering = ["organisation", "position", "name_th"]
        verbose_name = _("กอง/สำนัก")
        verbose_name_plural = pgettext_lazy("plural", "กอง/สำนัก")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="department_key_unique"),
        ]


class Role(models.TextChoices):
    COUNTER = "counter", _("เจ้าหน้าที่ศูนย์บริการ")
    OFFICER = "officer", _("เจ้าหน้าที่กอง/สำนัก")
    HEAD = "head", _("หัวหน้ากอง/สำนัก")
    EXECUTIVE = "executive", _("ผู้บริหาร")
    ADMIN = "admin", _("ผู้ดูแลระบบขององค์กร")


class Membership(models.Model):
    """A person's role in one organisation. A person may serve several organisations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("ผู้ใช้"),
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("องค์กร"),
    )  # fmt: skip
    role = models.CharField(_("บทบาท"), max_length=16, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="members",
        verbose_name=_("กอง/สำนัก"),
    )  # fmt: skip
    can_see_confidential = models.BooleanField(
        _("เห็นเรื่องร้องเรียนที่เป็นความลับ"),
        default=False,
        help_text=_("เฉพาะผู้ที่ได้รับมอบหมาย เช่น ผู้บริหารหรือผู้ตรวจสอบ"),
    )
    is_active = models.BooleanField(_("ใช้งาน"), default=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("เจ้าหน้าที่ขององค์กร")
        verbose_name_plural = pgettext_lazy("plural", "เจ้าหน้าที่ขององค์กร")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class Invitation(models.Model):
    """An offer of a role in an organisation to a person whose account already serves another
    organisation: nothing changes until they accept it, signed in, before it expires."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations",
        verbose_name=_("องค์กร"),
    )  # fmt: skip
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_invitations",
        verbose_name=_("ผู้ได้รับเชิญ"),
    )  # fmt: skip
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("ผู้เชิญ"),
    )  # fmt: skip
    role = models.CharField(_("บทบาท"), max_length=16, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("กอง/สำนัก"),
    )  # fmt: skip
    can_see_confidential = models.BooleanField(_("เห็นเรื่องร้องเรียนที่เป็นความลับ"), default=False)
    # Random, in the e-mailed link; useless without signing in as `user`.
    token = models.CharField(_("รหัสคำเชิญ"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    expires_at = models.DateTimeField(_("หมดอายุ"))
    accepted_at = models.DateTimeField(_("ตอบรับเมื่อ"), null=True, blank=True)
    declined_at = models.DateTimeField(_("ปฏิเสธเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("คำเชิญเป็นเจ้าหน้าที่")
        verbose_name_plural = pgettext_lazy("plural", "คำเชิญเป็นเจ้าหน้าที่")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(accepted_at__isnull=True, declined_at__isnull=True),
                name="invitation_one_open_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation} · {self.get_role_display()}"
