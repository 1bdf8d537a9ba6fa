"""Open data: the public, non-confidential requests of one month (of an organisation or of the
whole platform) as CSV and GeoJSON rows, and the performance figures as JSON.

What a row holds, and why nothing more: the request number, its type and category (the
organisation's names), status, channel, the dates filed and completed, working days taken, the
subdistrict, district and province *from the gazetteer code* (never the text the citizen typed),
and the pinned place rounded to 3 decimals (about 100 m). Never a name, a national ID, a phone,
a house number, a subject, details, a landmark or any other free text. Confidential types are
not in the query at all.

Rows are read in batches by keyset on (submitted_at, id), on the index of the staff inbox
(`case_org_newest`; `submitted_at`'s own index for the platform): a month is never in memory,
and each batch costs the same whatever its place in the month."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, Sum
from django.utils import timezone, translation

from onestop.cases.models import Case
from onestop.cases.numbering import display
from onestop.cases.workflow import Status
from onestop.core.addresses import subdistrict_by_code
from onestop.core.workdays import holidays_between
from onestop.organisations.models import Organisation
from onestop.reports.figures import SMALL, Figures
from onestop.reports.models import MonthlyCount, OpenCount
from onestop.reports.selectors import (
    PeriodReport,
    PublicPerformance,
    fiscal_year,
    fiscal_year_period,
    late_condition,
)
from onestop.reports.workdays import working_days_between

BANGKOK = ZoneInfo("Asia/Bangkok")
BATCH = 1000
CHUNK_ROWS = 200  # rows per chunk written to the network
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
COLUMNS = (
    "number", "organisation", "request_type", "category", "status", "channel",
    "submitted_on", "completed_on", "working_days", "subdistrict_code", "subdistrict",
    "district", "province", "latitude", "longitude",
)  # fmt: skip
FIRST_MONTH = dt.date(2017, 1, 1)
PLACE = Decimal("0.001")


class InvalidMonth(ValueError):
    def __init__(self, *, not_yet: bool = False) -> None:
        super().__init__("not yet" if not_yet else "invalid")
        self.not_yet = not_yet


def open_data_month(*, year: int, month: int, today: dt.date) -> dt.date:
    """The first day of the month of a URL, checked: `InvalidMonth` for no such month (or one
    before OneStop), `InvalidMonth(not_yet=True)` for a month still to come."""
    if not (1 <= month <= 12) or not (FIRST_MONTH.year <= year <= 2200):
        raise InvalidMonth
    first = dt.date(year, month, 1)
    if first < FIRST_MONTH:
        raise InvalidMonth
    if first > today:
        raise InvalidMonth(not_yet=True)
    return first


def months_offered(today: dt.date, count: int = 12) -> list[dt.date]:
    """The first days of this month and the `count - 1` before it, newest first."""
    months = [today.replace(day=1)]
    while len(months) < count:
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    return months


def rounded(value: Decimal | None) -> float | None:
    """A coordinate to 3 decimals (about 110 m of latitude): the street, not the house."""
    if value is None:
        return None
    return float(Decimal(value).quantize(PLACE, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class OpenRow:
    number: str
    organisation: str
    request_type: str
    category: str
    status: str
    channel: str
    submitted_on: dt.date
    completed_on: dt.date | None
    working_days: int | None
    subdistrict_code: str
    subdistrict: str
    district: str
    province: str
    latitude: float | None
    longitude: float | None

    def values(self) -> list[object]:
        return [getattr(self, name) for name in COLUMNS]


_FIELDS = (
    "pk", "number", "submitted_at", "completed_at", "status", "channel", "subdistrict_code",
    "latitude", "longitude", "organisation__slug", "request_type__name_th",
    "request_type__category__name_th",
)  # fmt: skip


def open_rows(
    *, month: dt.date, organisation: Organisation | None, today: dt.date | None = None,
    batch: int | None = None,
) -> Iterator[OpenRow]:  # fmt: skip
    """The public rows of requests filed in `month` (Bangkok time) in `organisation` (None:
    every active organisation), oldest first. One query for the holidays, then one per
    `batch` rows."""
    today = today or timezone.localdate()
    size = batch or BATCH
    start = dt.datetime.combine(month, dt.time(), tzinfo=BANGKOK)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    end = dt.datetime.combine(following, dt.time(), tzinfo=BANGKOK)
    holidays = holidays_between(month, max(today, month))
    cases = Case.objects.filter(
        submitted_at__gte=start,
        submitted_at__lt=end,
        request_type__is_confidential=False,
        organisation__is_active=True,
    )
    if organisation is not None:
        cases = cases.filter(organisation=organisation)
    after: tuple[dt.datetime, int] | None = None
    while True:
        page = cases
        if after is not None:
            # The first condition lets the index start at the last row read; the second
            # skips the rows of that same instant already read.
            page = page.filter(submitted_at__gte=after[0]).filter(
                Q(submitted_at__gt=after[0]) | Q(pk__gt=after[1])
            )
        rows = list(page.order_by("submitted_at", "pk").values(*_FIELDS)[:size])
        for row in rows:
            yield _open_row(row, holidays)
        if len(rows) < size:
            return
        after = (rows[-1]["submitted_at"], rows[-1]["pk"])


def _open_row(row: dict[str, Any], holidays: set[dt.date]) -> OpenRow:
    submitted = timezone.localtime(row["submitted_at"], BANGKOK).date()
    completed = None
    days = None
    if row["status"] == Status.COMPLETED and row["completed_at"] is not None:
        completed = timezone.localtime(row["completed_at"], BANGKOK).date()
        days = working_days_between(submitted, completed, holidays=holidays)
    place = subdistrict_by_code(row["subdistrict_code"]) if row["subdistrict_code"] else None
    return OpenRow(
        number=display(row["number"]),
        organisation=row["organisation__slug"],
        request_type=row["request_type__name_th"],
        category=row["request_type__category__name_th"],
        status=row["status"],
        channel=row["channel"],
        submitted_on=submitted,
        completed_on=completed,
        working_days=days,
        subdistrict_code=place.code if place else "",
        subdistrict=place.name if place else "",
        district=place.district if place else "",
        province=place.province if place else "",
        latitude=rounded(row["latitude"]),
        longitude=rounded(row["longitude"]),
    )


def geojson_chunks(rows: Iterator[OpenRow], *, name: str) -> Iterator[str]:
    """A GeoJSON FeatureCollection (RFC 7946: [longitude, latitude]; a request without a pin
    has a null geometry), written as it is read, with its licence in the collection."""
    head = {"type": "FeatureCollection", "name": name, "license": LICENCE}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ['
    first = True
    buffer: list[str] = []
    for row in rows:
        geometry = None
        if row.latitude is not None and row.longitude is not None:
            geometry = {"type": "Point", "coordinates": [row.longitude, row.latitude]}
        properties = {k: v for k, v in zip(COLUMNS, row.values(), strict=True)
                      if k not in ("latitude", "longitude")}  # fmt: skip
        feature = {"type": "Feature", "geometry": geometry, "properties": properties}
        buffer.append(
            ("" if first else ",\n") + json.dumps(feature, ensure_ascii=False, default=str)
        )
        first = False
        if len(buffer) >= CHUNK_ROWS:
            yield "".join(buffer)
            buffer = []
    yield "".join(buffer) + "]}\n"


# --- Figures as JSON --------------------------------------------------------------------------


def count_value(n: int) -> int | str:
    """A count as the page shows it: 1 to 4 is "<5" (nobody singled out), else the number."""
    return "<5" if 0 < n < SMALL else n


def _share(part: int, whole: int) -> float | str | None:
    if whole == 0:
        return None
    if whole < SMALL:
        return "<5"
    return round(part / whole, 4)


def _days(figures: Figures, which: str, p: float) -> float | str | None:
    histogram = getattr(figures, which)
    if histogram.n == 0:
        return None
    if histogram.n < SMALL:
        return "<5"
    value = histogram.percentile(p)
    if value is None:
        return None
    return ">60" if value == float("inf") else round(value, 1)


def figures_dict(figures: Figures) -> dict[str, Any]:
    counts = ("received", "completed", "completed_on_time", "reopened_by_citizen", "forwarded",
              "rejected", "cancelled", "open_now", "overdue_now")  # fmt: skip
    data: dict[str, Any] = {name: count_value(getattr(figures, name)) for name in counts}
    data["on_time_share"] = _share(figures.completed_on_time, figures.completed)
    data["reopened_share"] = _share(figures.reopened_by_citizen, figures.completed)
    data["first_response_median_days"] = _days(figures, "first_response", 0.5)
    data["completion_median_days"] = _days(figures, "completion", 0.5)
    data["completion_p90_days"] = _days(figures, "completion", 0.9)
    n = figures.rating_count
    average = figures.rating_average
    data["rating_count"] = count_value(n)
    data["rating_average"] = None if average is None else "<5" if n < SMALL else round(average, 2)
    return data


def _period_dict(report: PeriodReport) -> dict[str, Any]:
    return {
        "start": report.period.start.isoformat(),
        "end": report.period.end.isoformat(),
        "total": figures_dict(report.total),
        "categories": [{"name": r.label, **figures_dict(r.figures)} for r in report.categories],
        "types": [{"name": r.label, **figures_dict(r.figures)} for r in report.types],
    }


NOTES = (
    "Counts of 1 to 4 requests, and shares, medians and averages based on them, are given as "
    "'<5'. Confidential types are counted in totals only. Working days exclude weekends and "
    "Thai public holidays. Fiscal years run from 1 October to 30 September (Buddhist Era)."
)


def performance_json(report: PublicPerformance, *, generated_at: dt.datetime) -> dict[str, Any]:
    """The public page's figures, the same cells hidden."""
    return {
        "organisation": {"slug": report.organisation.slug, "name": report.organisation.name},
        "generated_at": generated_at.isoformat(),
        "last_change": report.last_change.isoformat() if report.last_change else None,
        "license": LICENCE,
        "notes": NOTES,
        "open_now": count_value(report.open_now),
        "overdue_now": count_value(report.overdue_now),
        "fiscal_year": report.fiscal_year,
        "this_month": _period_dict(report.this_month),
        "this_fiscal_year": _period_dict(report.this_fiscal_year),
        "chosen": _period_dict(report.chosen),
        "months": [
            {
                "month": m.month.isoformat()[:7],
                "received": count_value(m.received),
                "completed": count_value(m.completed),
            }
            for m in report.months
        ],
    }


def platform_json(*, today: dt.date, generated_at: dt.datetime) -> dict[str, Any]:
    """This fiscal year's totals of every active organisation, side by side (three queries)."""
    year = fiscal_year(today)
    period = fiscal_year_period(year)
    # (pk, slug, name) tuples, and the sums joined to the active organisations rather than
    # listing 8,000 ids: model instances and a long IN list took most of the time.
    english = (translation.get_language() or "th").startswith("en")  # as BilingualNameMixin
    organisations = [
        (pk, slug, name_en if english and name_en else name_th)
        for pk, slug, name_th, name_en in Organisation.objects.filter(is_active=True)
        .order_by("name_th", "pk")
        .values_list("pk", "slug", "name_th", "name_en")
    ]
    by_org: dict[int, Figures] = {pk: Figures() for pk, _slug, _name in organisations}
    names = ("received", "completed", "completed_on_time", "reopened_by_citizen", "forwarded",
             "rejected", "cancelled")  # fmt: skip
    sums: Iterable[Mapping[str, Any]] = (
        MonthlyCount.objects.filter(
            organisation__is_active=True, month__gte=period.start, month__lte=period.end
        )
        .values("organisation")
        .annotate(**{name: Sum(name) for name in names})
        .order_by()
    )
    for row in sums:
        for name in names:
            setattr(by_org[row["organisation"]], name, row[name] or 0)
    for row in (
        OpenCount.objects.filter(
            organisation__is_active=True,
            submitted_on__gte=period.start,
            submitted_on__lte=period.end,
        )
        .values("organisation")
        .annotate(n=Sum("count"), late=Sum("count", filter=late_condition(today)))
        .order_by()
    ):
        by_org[row["organisation"]].open_now = row["n"] or 0
        by_org[row["organisation"]].overdue_now = row["late"] or 0
    return {
        "generated_at": generated_at.isoformat(),
        "fiscal_year": year,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "license": LICENCE,
        "notes": NOTES,
        "organisations": [
            {"slug": slug, "name": name, **figures_dict(by_org[pk])}
            for pk, slug, name in organisations
        ],
    }
