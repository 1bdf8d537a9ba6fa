"""The reports that organisations publish for the integrity and transparency assessment (ITA):
the complaint handling report (รายงานผลการดำเนินการเรื่องร้องเรียน/ร้องทุกข์) and the
corruption complaints report (รายงานผลการดำเนินการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ), by
fiscal quarter or fiscal year (B.E.). Figures only, read from the rollups (three queries
whatever the number of requests); `ita_pdf` and `ita_xlsx` lay them out.

Which types count (one rule, `kind_includes`): the corruption report counts the confidential
types (in the default catalogue: corruption, complaints about an official, tip-offs about
wrongdoing: "ทุจริตและประพฤติมิชอบ"); the complaint report counts every other type, since the
OSS form is the "แบบคำร้อง/ร้องเรียน" and Thai local governments report every request filed
through it as ร้องเรียน/ร้องทุกข์. The two reports never overlap.

Exact counts, no "< 5": these are the official reports ITA asks for by number, and they hold
no subject, name, date or place of any request, only totals by channel, category (or type) and
month of a quarter at least; the "< 5" rule stays on the public performance page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onestop.cases.models import Channel
from onestop.catalog.models import RequestType
from onestop.core.thaidate import BE_OFFSET, THAI_MONTHS, format_date
from onestop.organisations.models import Organisation
from onestop.reports.figures import Histogram
from onestop.reports.models import DailyCount, Distribution, Measure, OpenCount
from onestop.reports.selectors import Period, fiscal_year, fiscal_year_period

KINDS: dict[str, Any] = {
    "complaints": gettext_lazy("รายงานผลการดำเนินการเรื่องร้องเรียน/ร้องทุกข์"),
    "corruption": gettext_lazy("รายงานผลการดำเนินการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"),
}
# Reports are offered from this fiscal year on (B.E.); OneStop holds nothing older.
FIRST_YEAR = 2560


class InvalidPeriod(ValueError):
    """A year or quarter that does not exist (400), or has not begun (404: `not_yet`)."""

    def __init__(self, *, not_yet: bool = False) -> None:
        super().__init__("not yet" if not_yet else "invalid")
        self.not_yet = not_yet


@dataclass(frozen=True)
class ItaPeriod:
    """A fiscal quarter (1: October to December, ... 4: July to September) or, with
    `quarter` 0, the whole fiscal year `year` (B.E., named by the year in which it ends)."""

    year: int
    quarter: int  # 0: the fiscal year

    @property
    def period(self) -> Period:
        whole = fiscal_year_period(self.year)
        if not self.quarter:
            return whole
        start = whole.start
        for _index in range(3 * (self.quarter - 1)):
            start = (start + dt.timedelta(days=32)).replace(day=1)
        end = start
        for _index in range(3):
            end = (end + dt.timedelta(days=32)).replace(day=1)
        return Period(start, end - dt.timedelta(days=1))

    @property
    def label(self) -> str:
        """`ไตรมาสที่ 1 ปีงบประมาณ พ.ศ. 2569` or `ปีงบประมาณ พ.ศ. 2569`."""
        if self.quarter:
            return _("ไตรมาสที่ %(quarter)s ปีงบประมาณ พ.ศ. %(year)s") % {
                "quarter": self.quarter, "year": self.year,
            }  # fmt: skip
        return _("ปีงบประมาณ พ.ศ. %(year)s") % {"year": self.year}

    @property
    def dates(self) -> str:
        period = self.period
        return f"{format_date(period.start)} – {format_date(period.end)}"

    @property
    def key(self) -> str:
        return f"{self.year}-q{self.quarter}" if self.quarter else str(self.year)


def ita_period(*, year: int, quarter: int | None = None, today: dt.date) -> ItaPeriod:
    """The period of a URL (no quarter: the fiscal year), checked: `InvalidPeriod` for a
    quarter outside 1..4 or a year outside FIRST_YEAR..2700, `InvalidPeriod(not_yet=True)`
    for one that has not begun."""
    if (quarter is not None and not 1 <= quarter <= 4) or not FIRST_YEAR <= year <= 2700:
        raise InvalidPeriod
    chosen = ItaPeriod(year, quarter or 0)
    if chosen.period.start > today:
        raise InvalidPeriod(not_yet=True)
    return chosen


def quarter_of(day: dt.date) -> ItaPeriod:
    return ItaPeriod(fiscal_year(day), (day.month - 10) % 12 // 3 + 1)


def periods_offered(today: dt.date) -> list[ItaPeriod]:
    """What the public page links to and the monthly task keeps ready: the last four quarters
    (this one so far first), this fiscal year so far and the last one."""
    quarters = [quarter_of(today)]
    while len(quarters) < 4:
        previous = quarters[-1].period.start - dt.timedelta(days=1)
        quarters.append(quarter_of(previous))
    year = fiscal_year(today)
    return [*quarters, ItaPeriod(year, 0), ItaPeriod(year - 1, 0)]


def kind_includes(kind: str, request_type: RequestType) -> bool:
    """The one rule of which types a report counts (see the module's docstring)."""
    return request_type.is_confidential == (kind == "corruption")


# --- Figures --------------------------------------------------------------------------------


@dataclass
class Line:
    """One row of a report's tables."""

    label: str
    received: int = 0
    completed: int = 0
    completed_on_time: int = 0
    in_progress: int = 0  # of those received in the period, still open on the report's day
    forwarded: int = 0
    rejected: int = 0  # not accepted (ไม่รับเรื่อง)
    cancelled: int = 0
    days: Histogram = field(default_factory=Histogram)  # working days filed → completed

    COUNTS = ("received", "completed", "completed_on_time", "in_progress", "forwarded",
              "rejected", "cancelled")  # fmt: skip

    def add(self, other: Line) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.days.add(other.days)

    @property
    def average_days(self) -> float | None:
        """Mean working days to completion (a completion after more than 60 counts as 61)."""
        mean = self.days.mean()
        return None if mean is None else round(mean, 2)


@dataclass
class ItaReport:
    organisation: Organisation
    kind: str
    period: ItaPeriod
    as_of: dt.date
    total: Line
    by_channel: list[Line]
    by_group: list[Line]  # categories (complaints) or types (corruption)
    by_month: list[Line]

    @property
    def title(self) -> str:
        return str(KINDS[self.kind])

    @property
    def group_heading(self) -> str:
        return _("ประเภทเรื่อง") if self.kind == "corruption" else _("หมวดเรื่อง")


def ita_report(
    *, organisation: Organisation, kind: str, period: ItaPeriod, today: dt.date | None = None
) -> ItaReport:
    """The figures of one report: counts of the period's events (by the day they happened),
    "in progress" of the requests received in the period as of `today`."""
    today = today or timezone.localdate()
    span = period.period
    types = {
        t.pk: t
        for t in RequestType.objects.filter(organisation=organisation)
        .select_related("category")
        .order_by("category__position", "category__pk", "position", "pk")
        if kind_includes(kind, t)
    }
    # Keyed by (type, channel, month): everything below is a sum of these.
    cells: dict[tuple[int, str, dt.date], Line] = defaultdict(lambda: Line(""))
    days = {"day__gte": span.start, "day__lte": span.end, "request_type__in": list(types)}
    for row in (
        DailyCount.objects.filter(organisation=organisation, **days)
        .annotate(month=TruncMonth("day"))
        .values("request_type", "channel", "month")
        .annotate(
            received=Sum("received"), completed=Sum("completed"),
            completed_on_time=Sum("completed_on_time"), forwarded=Sum("forwarded"),
            rejected=Sum("rejected"), cancelled=Sum("cancelled"),
        )
        .order_by()
    ):  # fmt: skip
        line = cells[(row["request_type"], row["channel"], _as_date(row["month"]))]
        for name in ("received", "completed", "completed_on_time", "forwarded", "rejected",
                     "cancelled"):  # fmt: skip
            setattr(line, name, row[name] or 0)
    for bucket in (
        Distribution.objects.filter(organisation=organisation, measure=Measure.COMPLETION, **days)
        .annotate(month=TruncMonth("day"))
        .values("request_type", "channel", "month", "value")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        cells[(bucket["request_type"], bucket["channel"], _as_date(bucket["month"]))].days.counts[
            bucket["value"]
        ] += bucket["n"]
    for still in (
        OpenCount.objects.filter(
            organisation=organisation, submitted_on__gte=span.start, submitted_on__lte=span.end,
            request_type__in=list(types),
        )
        .annotate(month=TruncMonth("submitted_on"))
        .values("request_type", "channel", "month")
        .annotate(n=Sum("count"))
        .order_by()
    ):  # fmt: skip
        where = (still["request_type"], still["channel"], _as_date(still["month"]))
        cells[where].in_progress += still["n"] or 0

    total = Line(_("รวมทั้งสิ้น"))
    channels = {value: Line(str(label)) for value, label in Channel.choices}
    groups: dict[int, Line] = {}
    for request_type in types.values():
        key = request_type.pk if kind == "corruption" else request_type.category_id
        label = request_type.name if kind == "corruption" else request_type.category.name
        groups.setdefault(key, Line(label))
    months: dict[dt.date, Line] = {}
    month = span.start
    while month <= span.end:
        months[month] = Line(f"{THAI_MONTHS[month.month - 1]} {month.year + BE_OFFSET}")
        month = (month + dt.timedelta(days=32)).replace(day=1)
    for (type_id, channel, month), line in cells.items():
        request_type = types[type_id]
        total.add(line)
        channels.setdefault(channel, Line(channel)).add(line)
        group = request_type.pk if kind == "corruption" else request_type.category_id
        groups[group].add(line)
        months[month].add(line)
    return ItaReport(
        organisation=organisation,
        kind=kind,
        period=period,
        as_of=today,
        total=total,
        by_channel=list(channels.values()),
        by_group=list(groups.values()),
        by_month=list(months.values()),
    )


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def columns() -> list[tuple[str, str]]:
    """(attribute, heading) of the columns of every table, in order."""
    return [
        ("received", _("รับเรื่อง")),
        ("completed", _("ดำเนินการแล้วเสร็จ")),
        ("completed_on_time", _("แล้วเสร็จภายในกำหนด")),
        ("in_progress", _("อยู่ระหว่างดำเนินการ")),
        ("forwarded", _("ส่งต่อหน่วยงานอื่น")),
        ("rejected", _("ไม่รับเรื่อง")),
        ("cancelled", _("ผู้ร้องขอยกเลิก")),
        ("average_days", _("เฉลี่ย (วันทำการ)")),
    ]


def cell_text(line: Line, attribute: str) -> str:
    value = getattr(line, attribute)
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}"
    return f"{value:,}"


def notes() -> list[str]:
    return [
        _("นับเรื่องที่รับ แล้วเสร็จ ส่งต่อ และไม่รับเรื่อง ตามวันที่เกิดขึ้นในช่วงเวลาของรายงาน"),
        _("อยู่ระหว่างดำเนินการ คือเรื่องที่รับในช่วงเวลานี้และยังไม่แล้วเสร็จ ณ วันที่ของข้อมูล"),
        _("วันทำการ คือวันจันทร์ถึงวันศุกร์ ไม่รวมวันหยุดราชการ นับจากวันที่ยื่นเรื่อง"),
        _("เรื่องที่แล้วเสร็จ ถูกเปิดใหม่ และแล้วเสร็จอีกครั้ง นับเป็นการแล้วเสร็จทั้งสองครั้ง"),
        _("รายงานนี้ไม่มีชื่อผู้ร้อง ผู้ถูกร้อง หรือรายละเอียดของเรื่องใด"),
    ]
