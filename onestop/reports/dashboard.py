"""The staff dashboard's reads (ภาพรวมผลการดำเนินงาน): the public page's figures for any range of
days, filtered and broken down by department, channel, type, category and officer, the overdue
list and the weekly backlog.

Who sees what is decided by the caller (the back office, from the member's role) and passed in
as a `Viewer`: a department restriction and the confidential grant. Everything is read from
the rollups (month rows for whole months, day rows otherwise) in a fixed number of queries
whatever the number of requests, except two reads that need the officer, which the rollups do
not carry (one more dimension would multiply their rows by the number of officers): the open
workload by officer comes from the requests still open (the inbox's index on organisation,
status, type, department, assignee, due dates: an index-only scan of the backlog, not of every
request), and completions by officer from `CaseState` (one row per request, by the index on
organisation × completion time). The overdue list is the first `OVERDUE_SHOWN` by due date, by
the index on organisation × due date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.cases.models import Case, Channel
from onestop.cases.workflow import OPEN_STATUSES, Status
from onestop.catalog.models import RequestType
from onestop.organisations.models import Department, Organisation
from onestop.reports.figures import Figures
from onestop.reports.models import (
    DAILY_FIELDS,
    CaseState,
    DailyCount,
    Distribution,
    Measure,
    MonthlyKeyCount,
    MonthlyKeyDistribution,
    OpenCount,
)
from onestop.reports.selectors import MonthBar, first_of_months, late_condition, month_bars

OVERDUE_SHOWN = 50
TREND_WEEKS = 12
TREND_MONTHS = 12


@dataclass(frozen=True)
class Viewer:
    """What the member asking may see: one department only (heads, officers) or the whole
    organisation (None), and confidential types or not."""

    department_id: int | None
    sees_confidential: bool


@dataclass(frozen=True)
class DashboardQuery:
    """The filters: days from `start` to `end` (inclusive, Bangkok), and optionally one
    department, category, request type and channel."""

    start: dt.date
    end: dt.date
    department_id: int | None = None
    category_id: int | None = None
    request_type_id: int | None = None
    channel: str | None = None


@dataclass
class Row:
    label: str
    figures: Figures


@dataclass
class OfficerRow:
    name: str
    open_now: int = 0
    overdue_now: int = 0
    completed: int = 0
    completed_on_time: int = 0

    @property
    def on_time_share(self) -> float | None:
        return self.completed_on_time / self.completed if self.completed else None


@dataclass
class Week:
    end: dt.date  # the last day of the week (the last week ends today)
    received: int
    completed: int
    backlog: int  # requests open at the end of `end`


@dataclass
class Dashboard:
    organisation: Organisation
    query: DashboardQuery
    today: dt.date
    open_now: int
    overdue_now: int
    total: Figures
    categories: list[Row]
    types: list[Row]
    departments: list[Row]
    channels: list[Row]
    officers: list[OfficerRow]
    overdue: list[Case]
    weeks: list[Week]
    months: list[MonthBar]
    last_change: dt.datetime | None = None
    overdue_more: bool = field(default=False)


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


def visible_types(
    *, organisation: Organisation, viewer: Viewer, query: DashboardQuery
) -> list[RequestType]:
    """The request types whose figures this viewer sees under these filters."""
    types = (
        RequestType.objects.filter(organisation=organisation)
        .select_related("category")
        .order_by("category__position", "category__pk", "position", "pk")
    )
    if not viewer.sees_confidential:
        types = types.filter(is_confidential=False)
    if query.category_id is not None:
        types = types.filter(category_id=query.category_id)
    if query.request_type_id is not None:
        types = types.filter(pk=query.request_type_id)
    return list(types)


def _department(viewer: Viewer, query: DashboardQuery) -> int | None:
    """A department-bound viewer sees their department whatever the filter says."""
    return viewer.department_id if viewer.department_id is not None else query.department_id


def dashboard_get(
    *,
    organisation: Organisation,
    viewer: Viewer,
    query: DashboardQuery,
    today: dt.date | None = None,
) -> Dashboard:
    """Everything on the dashboard of `organisation` for `viewer` under `query`.

    1. The types the viewer may see under the filters (confidential only with the grant).
    2. Day rollups of the period, by type × department × channel: counts and histograms.
    3. Open requests now (OpenCount): all of the scope, and those filed in the period.
    4. By officer, the overdue list and the weekly backlog (see the module's docstring)."""
    today = today or timezone.localdate()
    types = visible_types(organisation=organisation, viewer=viewer, query=query)
    type_ids = [t.pk for t in types]
    department_id = _department(viewer, query)
    scope: dict[str, Any] = {"organisation": organisation, "request_type__in": type_ids}
    if department_id is not None:
        scope["department"] = department_id
    if query.channel:
        scope["channel"] = query.channel
    # Whole months (a fiscal year, a quarter, a month) read the month rows, other days the
    # day rows: the same counts, the month rows are 30 times fewer.
    count_model: type[DailyCount | MonthlyKeyCount] = DailyCount
    distribution_model: type[Distribution | MonthlyKeyDistribution] = Distribution
    days: dict[str, dt.date] = {"day__gte": query.start, "day__lte": query.end}
    if query.start.day == 1 and (query.end + dt.timedelta(days=1)).day == 1:
        count_model, distribution_model = MonthlyKeyCount, MonthlyKeyDistribution
        days = {"month__gte": query.start, "month__lte": query.end}

    sums = _Sums({t.pk: t.category_id for t in types})
    counts: Iterable[Mapping[str, Any]] = (
        count_model._default_manager.filter(**scope, **days)
        .values("request_type", "department", "channel")
        .annotate(**{f"sum_{name}": Sum(name) for name in DAILY_FIELDS})
        .order_by()
    )
    for row in counts:
        amounts = [(name, row[f"sum_{name}"] or 0) for name in DAILY_FIELDS]
        for figures in sums.targets(row):
            for name, n in amounts:
                setattr(figures, name, getattr(figures, name) + n)
    for row in (
        distribution_model._default_manager.filter(**scope, **days)
        .values("request_type", "department", "channel", "measure", "value")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        histogram, value, n = _HISTOGRAMS[row["measure"]], row["value"], row["n"]
        for figures in sums.targets(row):
            getattr(figures, histogram).counts[value] += n
    in_period = Q(submitted_on__gte=query.start, submitted_on__lte=query.end)
    late = late_condition(today)
    open_now = overdue_now = 0
    for row in (
        OpenCount.objects.filter(**scope)
        .values("request_type", "department", "channel")
        .annotate(
            n=Sum("count"),
            late=Sum("count", filter=late),
            n_period=Sum("count", filter=in_period),
            late_period=Sum("count", filter=in_period & late),
        )
        .order_by()
    ):
        open_now += row["n"] or 0
        overdue_now += row["late"] or 0
        for figures in sums.targets(row):
            figures.open_now += row["n_period"] or 0
            figures.overdue_now += row["late_period"] or 0

    departments = list(Department.objects.filter(organisation=organisation))
    overdue = _overdue(organisation, type_ids, department_id, query.channel, today)
    return Dashboard(
        organisation=organisation,
        query=query,
        today=today,
        open_now=open_now,
        overdue_now=overdue_now,
        total=sums.total,
        categories=_rows(sums.categories, {t.category_id: t.category.name for t in types}),
        types=_rows(sums.types, {t.pk: t.name for t in types}),
        departments=_rows(
            sums.departments, {None: _("ยังไม่ระบุกอง"), **{d.pk: d.name for d in departments}}
        ),
        channels=_rows(sums.channels, {c.value: str(c.label) for c in Channel}),
        officers=_officers(organisation, scope, query, today),
        overdue=overdue[:OVERDUE_SHOWN],
        overdue_more=len(overdue) > OVERDUE_SHOWN,
        weeks=_weeks(scope, today, open_now),
        months=_months(scope, today),
        last_change=CaseState.objects.filter(organisation=organisation)
        .order_by("-changed_at")
        .values_list("changed_at", flat=True)
        .first(),
    )


# The histogram of Figures that each measure of the distribution rows fills.
_HISTOGRAMS = {
    Measure.FIRST_RESPONSE.value: "first_response",
    Measure.COMPLETION.value: "completion",
    Measure.RATING.value: "ratings",
}


@dataclass
class _Sums:
    """Figures summed as rows arrive: the total and one per type, category, department and
    channel (each row is added once to each, never Figures to Figures)."""

    category_of: dict[int, int]
    total: Figures = field(default_factory=Figures)
    types: dict[Any, Figures] = field(default_factory=lambda: defaultdict(Figures))
    categories: dict[Any, Figures] = field(default_factory=lambda: defaultdict(Figures))
    departments: dict[Any, Figures] = field(default_factory=lambda: defaultdict(Figures))
    channels: dict[Any, Figures] = field(default_factory=lambda: defaultdict(Figures))

    def targets(self, row: Mapping[str, Any]) -> tuple[Figures, ...]:
        request_type = row["request_type"]
        return (
            self.total,
            self.types[request_type],
            self.categories[self.category_of[request_type]],
            self.departments[row["department"]],
            self.channels[row["channel"]],
        )


def _rows(sums: dict[Any, Figures], labels: dict[Any, str]) -> list[Row]:
    """Rows in the order of `labels`, then any value without a label; only those with
    something to show."""
    ordered = [*labels, *(value for value in sums if value not in labels)]
    return [
        Row(labels.get(value, str(value)), sums[value])
        for value in ordered
        if value in sums and _has_anything(sums[value])
    ]


def _has_anything(figures: Figures) -> bool:
    return any(getattr(figures, name) for name in Figures.COUNTS) or bool(figures.ratings.n)


def _officers(
    organisation: Organisation, scope: dict[str, Any], query: DashboardQuery, today: dt.date
) -> list[OfficerRow]:
    """Open and overdue now by officer in charge (requests still open), completions of the
    period by the officer in charge when last completed (CaseState)."""
    case_scope = dict(scope)
    if "department" in case_scope:
        case_scope["department_id"] = case_scope.pop("department")
    open_rows = (
        Case.objects.filter(**case_scope, status__in=OPEN_STATUSES, assignee__isnull=False)
        .values("assignee")
        .annotate(  # columns of the inbox's index only: no visit to each row
            n=Count("*"),
            late=Count(
                "status",
                filter=Q(due_date__lt=today)
                | Q(status=Status.SUBMITTED, first_response_due__lt=today),
            ),
        )
        .order_by()
    )
    done_rows = (
        CaseState.objects.filter(
            **scope,
            status=Status.COMPLETED,
            completed_at__gte=_local_midnight(query.start),
            completed_at__lt=_local_midnight(query.end + dt.timedelta(days=1)),
            assignee__isnull=False,
        )
        .values("assignee")
        .annotate(  # columns of reports_state_done_cover only
            n=Count("*"), on_time=Count("completed_on_time", filter=Q(completed_on_time=True))
        )
        .order_by()
    )
    rows: dict[int, OfficerRow] = {}
    for found in open_rows:
        officer = rows.setdefault(found["assignee"], OfficerRow(""))
        officer.open_now, officer.overdue_now = found["n"], found["late"]
    for done in done_rows:
        officer = rows.setdefault(done["assignee"], OfficerRow(""))
        officer.completed, officer.completed_on_time = done["n"], done["on_time"]
    for user in User.objects.filter(pk__in=list(rows)).only("username", "first_name", "last_name"):
        rows[user.pk].name = user.get_full_name() or user.get_username()
    return sorted(rows.values(), key=lambda r: (-r.open_now, -r.overdue_now, r.name))


def _overdue(
    organisation: Organisation,
    type_ids: list[int],
    department_id: int | None,
    channel: str | None,
    today: dt.date,
) -> list[Case]:
    """The most overdue open requests first (index: organisation × due date), at most
    `OVERDUE_SHOWN` + 1 (the extra one says that there are more)."""
    cases = Case.objects.filter(
        Q(due_date__lt=today) | Q(status=Status.SUBMITTED, first_response_due__lt=today),
        organisation=organisation,
        request_type__in=type_ids,
        status__in=OPEN_STATUSES,
    )
    if department_id is not None:
        cases = cases.filter(department_id=department_id)
    if channel:
        cases = cases.filter(channel=channel)
    return list(
        cases.select_related("request_type", "department", "assignee").order_by("due_date", "pk")[
            : OVERDUE_SHOWN + 1
        ]
    )


# Requests enter the open set when filed or reopened and leave it when completed, forwarded,
# not accepted or cancelled: the backlog at the end of a day is today's less what came in since,
# plus what left since.
_IN = ("received", "reopened_by_citizen", "reopened_by_staff")
_OUT = ("completed", "forwarded", "rejected", "cancelled")


def _weeks(scope: dict[str, Any], today: dt.date, open_now: int) -> list[Week]:
    """`TREND_WEEKS` weeks ending today: received, completed and the backlog at each week's
    end, from the day rollups (one query, at most 7 × TREND_WEEKS rows)."""
    first = today - dt.timedelta(days=7 * TREND_WEEKS - 1)
    by_day: dict[dt.date, dict[str, Any]] = {
        row["day"]: dict(row)
        for row in DailyCount.objects.filter(**scope, day__gte=first, day__lte=today)
        .values("day")
        .annotate(**{name: Sum(name) for name in (*_IN, *_OUT)})
        .order_by()
    }
    weeks: list[Week] = []
    backlog = open_now
    end = today
    for _index in range(TREND_WEEKS):
        days = [end - dt.timedelta(days=i) for i in range(7)]
        rows = [by_day[d] for d in days if d in by_day]
        weeks.append(
            Week(
                end=end,
                received=sum(r["received"] or 0 for r in rows),
                completed=sum(r["completed"] or 0 for r in rows),
                backlog=backlog,
            )
        )
        backlog -= sum(_net(r) for r in rows)  # the backlog a week earlier
        end -= dt.timedelta(days=7)
    weeks.reverse()
    return weeks


def _months(scope: dict[str, Any], today: dt.date) -> list[MonthBar]:
    """Received and completed in each of the `TREND_MONTHS` months up to this one, under the
    filters but whatever the period (the public page's chart, from the month rows by key: one
    query, a few rows per type, department and channel a month)."""
    first = first_of_months(today, TREND_MONTHS)
    rows = (
        MonthlyKeyCount.objects.filter(**scope, month__gte=first, month__lte=today)
        .values("month")
        .annotate(received=Sum("received"), completed=Sum("completed"))
        .order_by()
    )
    return month_bars(rows, first=first, count=TREND_MONTHS)


def _net(row: dict[str, Any]) -> int:
    return sum(row[n] or 0 for n in _IN) - sum(row[n] or 0 for n in _OUT)
