"""Reads for the performance pages. Every read names the organisation, and reads rollups, not
requests: the number of queries and rows does not grow with the number of requests."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Q, Sum
from django.http import Http404
from django.utils import timezone

from onestop.cases.models import Attachment, AttachmentKind, Case
from onestop.cases.workflow import OPEN_STATUSES, Status
from onestop.catalog.models import Category, RequestType
from onestop.core.thaidate import BE_OFFSET
from onestop.organisations.models import Organisation
from onestop.reports.figures import Figures
from onestop.reports.models import (
    DAILY_FIELDS,
    CaseState,
    Measure,
    MonthlyCount,
    MonthlyDistribution,
    OpenCount,
)
from onestop.reports.workdays import working_days_between

# --- The citizen's shortcuts --------------------------------------------------------------


def request_types_most_used(
    *, organisation: Organisation, today: dt.date, months: int = 12, limit: int = 4
) -> list[int]:
    """The ids of `organisation`'s types with the most requests received in the last `months`
    whole and current months, most first (ties by id), at most `limit`; one query on the
    monthly rollups (a few rows per type and month, whatever the number of requests).
    Confidential types are left out: the shortcut must not advertise how many there are."""
    month = today.month - months
    since = dt.date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return list(
        MonthlyCount.objects.filter(
            organisation=organisation, month__gt=since, received__gt=0,
            request_type__is_active=True, request_type__is_confidential=False,
        )
        .values("request_type")
        .annotate(total=Sum("received"))
        .order_by("-total", "request_type")
        .values_list("request_type", flat=True)[:limit]
    )  # fmt: skip


# --- Periods -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole months, from the first day of `start`'s month to `end` (the last day of a month)."""

    start: dt.date
    end: dt.date  # inclusive


def month_period(year: int, month: int) -> Period:
    start = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return Period(start, following - dt.timedelta(days=1))


def fiscal_year(day: dt.date) -> int:
    """The Thai fiscal year (ปีงบประมาณ, B.E.) of `day`: October to September, named by the
    year in which it ends (1 October 2025 is in fiscal year 2569)."""
    return day.year + (day.month >= 10) + BE_OFFSET


def fiscal_year_period(year_be: int) -> Period:
    year = year_be - BE_OFFSET
    return Period(dt.date(year - 1, 10, 1), dt.date(year, 9, 30))


def late_condition(today: dt.date) -> Q:
    """Open and past its due date, or still unanswered past its first-response date (the same
    rule as the staff inbox's "overdue" tab), on OpenCount rows."""
    return Q(due_date__lt=today) | Q(status=Status.SUBMITTED, first_response_due__lt=today)


# --- Figures by request type ------------------------------------------------------------------


def figures_by_type(
    *, organisation: Organisation, period: Period, today: dt.date
) -> dict[int, Figures]:
    """Figures of every request type of `organisation` with activity in `period`, whole months
    (three queries on the monthly rollups). Confidential types are included: callers decide
    where they show."""
    by_type: dict[int, Figures] = defaultdict(Figures)
    days = {"month__gte": period.start.replace(day=1), "month__lte": period.end}
    daily: Iterable[Mapping[str, Any]] = (
        MonthlyCount.objects.filter(organisation=organisation, **days)
        .values("request_type")
        .annotate(**{f"sum_{name}": Sum(name) for name in DAILY_FIELDS})
        .order_by()
    )
    for row in daily:
        figures = by_type[row["request_type"]]
        for name in DAILY_FIELDS:
            setattr(figures, name, row[f"sum_{name}"] or 0)
    buckets = (
        MonthlyDistribution.objects.filter(organisation=organisation, **days)
        .values("request_type", "measure", "value")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for row in buckets:
        figures = by_type[row["request_type"]]
        histogram = {
            Measure.FIRST_RESPONSE: figures.first_response,
            Measure.COMPLETION: figures.completion,
            Measure.RATING: figures.ratings,
        }[Measure(row["measure"])]
        histogram.counts[row["value"]] += row["n"]
    still_open = (
        OpenCount.objects.filter(
            organisation=organisation,
            submitted_on__gte=period.start,
            submitted_on__lte=period.end,
        )
        .values("request_type")
        .annotate(n=Sum("count"), late=Sum("count", filter=late_condition(today)))
        .order_by()
    )
    for row in still_open:
        figures = by_type[row["request_type"]]
        figures.open_now = row["n"] or 0
        figures.overdue_now = row["late"] or 0
    return dict(by_type)


@dataclass
class Row:
    label: str
    figures: Figures


@dataclass
class PeriodReport:
    period: Period
    total: Figures
    categories: list[Row]
    types: list[Row]


def _period_report(
    organisation: Organisation, period: Period, today: dt.date, types: list[RequestType]
) -> PeriodReport:
    by_type = figures_by_type(organisation=organisation, period=period, today=today)
    total = Figures()
    for figures in by_type.values():
        total.add(figures)
    categories: dict[int, Row] = {}
    type_rows: list[Row] = []
    for request_type in types:
        if request_type.is_confidential:
            continue  # inside the total only: never a row of its own, never in a category's
        figures = by_type.get(request_type.pk, Figures())
        category: Category = request_type.category
        row = categories.setdefault(category.pk, Row(category.name, Figures()))
        row.figures.add(figures)
        type_rows.append(Row(request_type.name, figures))
    return PeriodReport(period, total, list(categories.values()), type_rows)


# --- The public page ---------------------------------------------------------------------------


@dataclass
class MonthBar:
    month: dt.date
    received: int
    completed: int


@dataclass
class RecentWork:
    type_name: str
    subject: str
    completed_at: dt.datetime
    photo_id: int | None


@dataclass
class PublicPerformance:
    organisation: Organisation
    today: dt.date
    open_now: int
    overdue_now: int
    this_month: PeriodReport
    this_fiscal_year: PeriodReport
    chosen: PeriodReport
    months: list[MonthBar]
    recent: list[RecentWork]
    last_change: dt.datetime | None
    fiscal_year: int
    months_max: int = field(init=False)

    def __post_init__(self) -> None:
        self.months_max = max([1, *(m.received for m in self.months),
                               *(m.completed for m in self.months)])  # fmt: skip


RECENT_SHOWN = 6


def public_performance(
    *, organisation: Organisation, chosen: Period, today: dt.date | None = None
) -> PublicPerformance:
    """Everything on the public performance page of `organisation`: nothing personal, and
    confidential types only inside totals."""
    today = today or timezone.localdate()
    types = list(
        RequestType.objects.filter(organisation=organisation)
        .select_related("category")
        .order_by("category__position", "category__pk", "position", "pk")
    )
    now = OpenCount.objects.filter(organisation=organisation).aggregate(
        n=Sum("count"), late=Sum("count", filter=late_condition(today))
    )
    year = fiscal_year(today)
    return PublicPerformance(
        organisation=organisation,
        today=today,
        open_now=now["n"] or 0,
        overdue_now=now["late"] or 0,
        this_month=_period_report(
            organisation, month_period(today.year, today.month), today, types
        ),
        this_fiscal_year=_period_report(organisation, fiscal_year_period(year), today, types),
        chosen=_period_report(organisation, chosen, today, types),
        months=months_received_completed(organisation=organisation, today=today),
        recent=recently_completed(organisation=organisation, types=types),
        last_change=CaseState.objects.filter(organisation=organisation).aggregate(
            last=Max("changed_at")
        )["last"],
        fiscal_year=year,
    )


def months_received_completed(
    *, organisation: Organisation, today: dt.date, count: int = 12
) -> list[MonthBar]:
    """Received and completed per month for the `count` months up to this one (all types)."""
    first = first_of_months(today, count)
    rows = (
        MonthlyCount.objects.filter(organisation=organisation, month__gte=first, month__lte=today)
        .values("month")
        .annotate(received=Sum("received"), completed=Sum("completed"))
        .order_by()
    )
    return month_bars(rows, first=first, count=count)


def first_of_months(today: dt.date, count: int) -> dt.date:
    """The first day of the earliest of the `count` months up to `today`'s."""
    first = dt.date(today.year, today.month, 1)
    for _ in range(count - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def month_bars(rows: Iterable[Mapping[str, Any]], *, first: dt.date, count: int) -> list[MonthBar]:
    """One bar per month from `first` for `count` months, from rows of `month`, `received` and
    `completed` (a month without a row has none of either)."""
    found: dict[dt.date, Mapping[str, Any]] = {row["month"]: row for row in rows}
    months: list[MonthBar] = []
    month = first
    for _ in range(count):
        sums = found.get(month, {})
        months.append(MonthBar(month, sums.get("received") or 0, sums.get("completed") or 0))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def recently_completed(
    *, organisation: Organisation, types: list[RequestType], count: int = RECENT_SHOWN
) -> list[RecentWork]:
    """The latest completed work of non-confidential types, newest first, with one public
    "after" photo each when staff published one (two queries, by an index on completion)."""
    confidential = [t.pk for t in types if t.is_confidential]
    names = {t.pk: t.name for t in types}
    states = list(
        CaseState.objects.filter(
            organisation=organisation, status=Status.COMPLETED, completed_at__isnull=False
        )
        .exclude(request_type__in=confidential)
        .select_related("case")
        .order_by("-completed_at")[:count]
    )
    photos: dict[int, int] = {}
    for case_id, pk in (
        Attachment.objects.filter(
            case__in=[s.case_id for s in states], kind=AttachmentKind.RESULT, is_public=True
        )
        .order_by("-uploaded_at", "-pk")
        .values_list("case_id", "pk")
    ):
        photos.setdefault(case_id, pk)
    return [
        RecentWork(
            type_name=names.get(state.request_type_id, ""),
            subject=public_subject(state.case, fallback=names.get(state.request_type_id, "")),
            completed_at=state.completed_at or state.changed_at,
            photo_id=photos.get(state.case_id),
        )
        for state in states
    ]


def public_subject(case: Case, *, fallback: str) -> str:
    """The subject as the citizen wrote it, unless it holds something of theirs (name, phone,
    house number, email): then only the type's name. Subjects are short and chosen from the
    type's wording most of the time; this catches the rest."""
    subject = case.subject.strip()
    personal = [
        case.requester_first_name, case.requester_last_name, case.phone, case.phone[-9:],
        case.house_no, case.email,
    ]  # fmt: skip
    lowered = subject.lower()
    if any(p and len(p.strip()) >= 2 and p.strip().lower() in lowered for p in personal):
        return fallback
    if sum(ch.isdigit() for ch in subject) >= 9:  # an ID or a phone number, however written
        return fallback
    return subject


def public_photo_get(*, organisation: Organisation, pk: int) -> Attachment:
    """A published "after" photo of completed, non-confidential work of `organisation`."""
    photo = (
        Attachment.objects.filter(
            pk=pk,
            kind=AttachmentKind.RESULT,
            is_public=True,
            case__organisation=organisation,
            case__status=Status.COMPLETED,
            case__request_type__is_confidential=False,
        )
        .only("pk", "file", "content_type")
        .first()
    )
    if photo is None:
        raise Http404
    return photo


# --- Where one request stands against its target (the tracking page) ------------------------


@dataclass(frozen=True)
class Standing:
    """Against the type's target in working days: `late_days` 0 means within target."""

    late_days: int
    finished: bool


def target_standing(*, case: Case, today: dt.date | None = None) -> Standing | None:
    """Where `case` stands against its due date: open requests against today, completed ones
    against their completion day; None for requests closed otherwise or without a due date."""
    if case.due_date is None:
        return None
    if case.status == Status.COMPLETED and case.completed_at is not None:
        end, finished = timezone.localdate(case.completed_at), True
    elif case.status in OPEN_STATUSES:
        end, finished = today or timezone.localdate(), False
    else:
        return None
    return Standing(working_days_between(case.due_date, end), finished)
