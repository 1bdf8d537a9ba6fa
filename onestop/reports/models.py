"""Rollups of the event log: what the performance pages read instead of scanning requests.

All four tables are kept by `reports.rollups` in the transaction of every change of a request
(a receiver of `cases.signals.event_recorded`) and can be rebuilt from the event log
(`manage.py reports_rebuild`). See README.md for why they look like this."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from onestop.cases.models import Case, Channel
from onestop.cases.workflow import Status
from onestop.catalog.models import RequestType
from onestop.organisations.models import Department, Organisation

# Working days are counted exactly from 0 to 60; everything slower falls in one last bucket.
HISTOGRAM_LAST = 61
# An open request without a due date (none recorded) is never overdue.
NO_DUE_DATE = dt.date(9999, 12, 31)


class Measure(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("วันทำการจนถึงการตอบกลับครั้งแรก")
    COMPLETION = "completion", _("วันทำการจนแล้วเสร็จ")
    RATING = "rating", _("คะแนนความพึงพอใจ")


def _key_fields() -> list[F | Coalesce]:
    # COALESCE: a request with no department yet still has exactly one row per key.
    return [
        F("organisation"), F("request_type"), Coalesce(F("department"), Value(0)), F("channel"),
    ]  # fmt: skip


class RollupKey(models.Model):
    """Organisation × request type × department × channel: the dimensions of every rollup.
    The department is the one in charge when the event happened (NULL: none yet)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("องค์กร")
    )
    request_type = models.ForeignKey(
        RequestType, on_delete=models.CASCADE, related_name="+", verbose_name=_("ประเภทคำร้อง")
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("กอง/สำนัก"),
    )  # fmt: skip
    channel = models.CharField(_("ช่องทาง"), max_length=16, choices=Channel.choices)

    class Meta:
        abstract = True


class Counters(models.Model):
    """How many requests changed in each counted way: the same counters by day and by month."""

    received = models.PositiveIntegerField(_("ยื่นคำร้อง"), default=0)
    first_responded = models.PositiveIntegerField(_("ตอบกลับครั้งแรก"), default=0)
    completed = models.PositiveIntegerField(_("แล้วเสร็จ"), default=0)
    completed_on_time = models.PositiveIntegerField(_("แล้วเสร็จภายในกำหนด"), default=0)
    reopened_by_citizen = models.PositiveIntegerField(_("ผู้ยื่นแจ้งว่ายังไม่ได้รับการแก้ไข"), default=0)
    reopened_by_staff = models.PositiveIntegerField(_("เจ้าหน้าที่เปิดเรื่องอีกครั้ง"), default=0)
    forwarded = models.PositiveIntegerField(_("ส่งต่อหน่วยงานอื่น"), default=0)
    rejected = models.PositiveIntegerField(_("ไม่รับเรื่อง"), default=0)
    cancelled = models.PositiveIntegerField(_("ยกเลิกโดยผู้ยื่น"), default=0)
    confirmed_solved = models.PositiveIntegerField(_("ผู้ยื่นยืนยันว่าแก้ไขแล้ว"), default=0)

    class Meta:
        abstract = True


class DailyCount(RollupKey, Counters):
    """How many requests changed in a given way on one (Bangkok) day."""

    day = models.DateField(_("วันที่"))

    class Meta:
        verbose_name = _("ยอดรายวัน")
        verbose_name_plural = _("ยอดรายวัน")
        constraints = [
            models.UniqueConstraint(*_key_fields(), F("day"), name="reports_daily_key"),
        ]
        indexes = [models.Index(fields=["organisation", "day"], name="reports_daily_org_day")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.request_type_id} {self.day}"


# The counters of DailyCount, in the order the pages list them.
DAILY_FIELDS = (
    "received", "first_responded", "completed", "completed_on_time", "reopened_by_citizen",
    "reopened_by_staff", "forwarded", "rejected", "cancelled", "confirmed_solved",
)  # fmt: skip


class Distribution(RollupKey):
    """A histogram: how many requests of a key had `value` for `measure` on `day` (working
    days to first response or to completion, 0..60 and 61 for "more"; or a rating 1..5).
    One row per non-empty bucket: medians and percentiles come from summing a few rows."""

    day = models.DateField(_("วันที่"))
    measure = models.CharField(_("ตัววัด"), max_length=16, choices=Measure.choices)
    value = models.PositiveSmallIntegerField(_("ค่า"))
    count = models.PositiveIntegerField(_("จำนวน"), default=0)

    class Meta:
        verbose_name = _("การกระจายของระยะเวลาและคะแนน")
        verbose_name_plural = _("การกระจายของระยะเวลาและคะแนน")
        constraints = [
            models.UniqueConstraint(
                *_key_fields(), F("day"), F("measure"), F("value"),
                name="reports_distribution_key",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["organisation", "measure", "day"], name="reports_dist_org_day")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.measure}={self.value} ×{self.count}"


class OpenCount(RollupKey):
    """Requests open right now, by status, day filed and due dates: "in progress" and "overdue
    now" are sums over a few rows (overdue: `due_date` or, still unanswered,
    `first_response_due` before today), never a scan of requests."""

    status = models.CharField(_("สถานะ"), max_length=20, choices=Status.choices)
    submitted_on = models.DateField(_("วันที่ยื่น"))
    due_date = models.DateField(_("กำหนดแล้วเสร็จ"))
    first_response_due = models.DateField(_("กำหนดตอบกลับครั้งแรก"))
    count = models.IntegerField(_("จำนวน"), default=0)

    class Meta:
        verbose_name = _("คำร้องที่ยังดำเนินการอยู่")
        verbose_name_plural = _("คำร้องที่ยังดำเนินการอยู่")
        constraints = [
            models.UniqueConstraint(
                *_key_fields(), F("status"), F("submitted_on"), F("due_date"),
                F("first_response_due"), name="reports_open_key",
            ),
            models.CheckConstraint(condition=models.Q(count__gte=0), name="reports_open_count"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["organisation", "due_date"], name="reports_open_org_due")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.status} ×{self.count}"


class CaseState(models.Model):
    """What the rollups last counted for one request: which OpenCount row to move it out of at
    its next change, and the list of recently completed work (indexed by completion)."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="+",
        verbose_name=_("คำร้อง"),
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("องค์กร")
    )
    request_type = models.ForeignKey(
        RequestType, on_delete=models.CASCADE, related_name="+", verbose_name=_("ประเภทคำร้อง")
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("กอง/สำนัก"),
    )  # fmt: skip
    channel = models.CharField(_("ช่องทาง"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("สถานะ"), max_length=20, choices=Status.choices)
    submitted_on = models.DateField(_("วันที่ยื่น"))
    due_date = models.DateField(_("กำหนดแล้วเสร็จ"))
    first_response_due = models.DateField(_("กำหนดตอบกลับครั้งแรก"))
    completed_at = models.DateTimeField(_("เสร็จสิ้นเมื่อ"), null=True, blank=True)
    changed_at = models.DateTimeField(_("เปลี่ยนแปลงล่าสุด"))
    # The officer in charge, and whether the last completion met the target: the dashboard's
    # "by officer" (the day rollups have no officer dimension; see dashboard.py).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("ผู้รับผิดชอบ"),
    )  # fmt: skip
    completed_on_time = models.BooleanField(_("แล้วเสร็จภายในกำหนด"), null=True, blank=True)

    class Meta:
        verbose_name = _("สถานะคำร้องที่นับแล้ว")
        verbose_name_plural = _("สถานะคำร้องที่นับแล้ว")
        indexes = [
            models.Index(fields=["organisation", "-completed_at"], name="reports_state_done"),
            models.Index(fields=["organisation", "-changed_at"], name="reports_state_changed"),
            models.Index(
                fields=["organisation", "completed_at", "assignee"], name="reports_state_officer"
            ),
            # The dashboard's completions by officer read only this index (an index-only scan,
            # no visit to each row): at 330,000 requests in one organisation, a fiscal year's
            # 120,000 completions took 350 ms through the heap.
            # (All key columns: SQLite, the tests' database, has no INCLUDE.)
            models.Index(
                fields=[
                    "organisation",
                    "completed_at",
                    "assignee",
                    "request_type",
                    "department",
                    "channel",
                    "completed_on_time",
                ],
                condition=models.Q(status="completed"),
                name="reports_state_done_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"


class MonthlyCount(Counters):
    """The counters of DailyCount by organisation × type × month, kept with them: what the
    public page reads (its periods are whole months), a few hundred rows per organisation and
    year whatever the number of requests and of departments and channels."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("องค์กร")
    )
    request_type = models.ForeignKey(
        RequestType, on_delete=models.CASCADE, related_name="+", verbose_name=_("ประเภทคำร้อง")
    )
    month = models.DateField(_("เดือน"))  # its first day

    class Meta:
        verbose_name = _("ยอดรายเดือน")
        verbose_name_plural = _("ยอดรายเดือน")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "request_type"], name="reports_monthly_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.request_type_id} {self.month}"


class MonthlyDistribution(models.Model):
    """Distribution by organisation × type × month (see MonthlyCount)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("องค์กร")
    )
    request_type = models.ForeignKey(
        RequestType, on_delete=models.CASCADE, related_name="+", verbose_name=_("ประเภทคำร้อง")
    )
    month = models.DateField(_("เดือน"))
    measure = models.CharField(_("ตัววัด"), max_length=16, choices=Measure.choices)
    value = models.PositiveSmallIntegerField(_("ค่า"))
    count = models.PositiveIntegerField(_("จำนวน"), default=0)

    class Meta:
        verbose_name = _("การกระจายรายเดือน")
        verbose_name_plural = _("การกระจายรายเดือน")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "request_type", "measure", "value"],
                name="reports_monthly_distribution_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month} {self.measure}={self.value} ×{self.count}"


class PublishedReport(models.Model):
    """A generated ITA report kept ready (`reports.publications`): one stored file per
    organisation × kind × period × format, replaced when stale. `version` is the layout's
    (`publications.VERSION`): a file made by an older layout is made again."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("องค์กร")
    )
    kind = models.CharField(_("รายงาน"), max_length=16)
    year = models.PositiveSmallIntegerField(_("ปีงบประมาณ"))
    quarter = models.PositiveSmallIntegerField(_("ไตรมาส"))  # 0: the whole fiscal year
    format = models.CharField(_("รูปแบบ"), max_length=8)
    version = models.PositiveSmallIntegerField(_("รุ่น"))
    file = models.FileField(_("ไฟล์"), upload_to="reports/", max_length=200)
    generated_at = models.DateTimeField(_("สร้างเมื่อ"))

    class Meta:
        verbose_name = _("รายงานที่เผยแพร่")
        verbose_name_plural = _("รายงานที่เผยแพร่")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "year", "quarter", "format"],
                name="reports_published_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind} {self.year}-q{self.quarter}.{self.format}"


class MonthlyKeyCount(RollupKey, Counters):
    """The counters of DailyCount by month, keeping every dimension (type, department,
    channel): what the staff dashboard reads for whole months (a fiscal year, a quarter, a
    month), a few thousand rows per organisation and year whatever the number of requests. The
    public page reads the leaner MonthlyCount."""

    month = models.DateField(_("เดือน"))  # its first day

    class Meta:
        verbose_name = _("ยอดรายเดือนแยกกองและช่องทาง")
        verbose_name_plural = _("ยอดรายเดือนแยกกองและช่องทาง")
        constraints = [
            models.UniqueConstraint(*_key_fields(), F("month"), name="reports_monthly_key_key"),
        ]
        indexes = [models.Index(fields=["organisation", "month"], name="reports_mkey_org_month")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.request_type_id} {self.month}"


class MonthlyKeyDistribution(RollupKey):
    """Distribution by month with every dimension (see MonthlyKeyCount)."""

    month = models.DateField(_("เดือน"))
    measure = models.CharField(_("ตัววัด"), max_length=16, choices=Measure.choices)
    value = models.PositiveSmallIntegerField(_("ค่า"))
    count = models.PositiveIntegerField(_("จำนวน"), default=0)

    class Meta:
        verbose_name = _("การกระจายรายเดือนแยกกองและช่องทาง")
        verbose_name_plural = _("การกระจายรายเดือนแยกกองและช่องทาง")
        constraints = [
            models.UniqueConstraint(
                *_key_fields(), F("month"), F("measure"), F("value"),
                name="reports_monthly_key_distribution_key",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["organisation", "month"], name="reports_mkeyd_org_month")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month} {self.measure}={self.value} ×{self.count}"
