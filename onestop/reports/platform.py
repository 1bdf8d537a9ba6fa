"""The platform view (ภาพรวมทุกองค์กร): every organisation side by side, for the operators of the
whole platform, from the rollups only (monthly counts and ratings, open counts).

Ranking small organisations fairly: a share computed on 3 requests says little, so each share
comes with its Wilson score interval (95 %), the table is sorted by the end of the interval
that is least flattering (the lower bound of the on-time share, the upper bound of the reopened
share), and an organisation with fewer than `MIN_RANKED` requests behind a share (completions;
ratings for satisfaction) is never ranked above one with more: it is listed after all of them."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.utils import timezone, translation

from onestop.organisations.models import Organisation
from onestop.reports.figures import Histogram
from onestop.reports.models import Measure, MonthlyCount, MonthlyDistribution, OpenCount
from onestop.reports.selectors import Period, late_condition

MIN_RANKED = 30
Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson_interval(successes: int, n: int, z: float = Z_95) -> Interval | None:
    """Wilson's score interval for a share of `successes` out of `n` (None without any).
    Unlike the usual p ± z·√(p(1−p)/n) it stays within 0..1 and does not shrink to nothing
    at 0 of 3 or 3 of 3, which is what makes small organisations comparable."""
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    denominator = 1 + z2 / n
    return Interval(max(0.0, (centre - spread) / denominator),
                    min(1.0, (centre + spread) / denominator))  # fmt: skip


@dataclass(frozen=True)
class OrganisationName:
    """What a row shows of its organisation, its name in the reader's language (linked to its
    public page): 8,000 model instances took longer to make than the three sums to read."""

    pk: int
    slug: str
    name: str


@dataclass
class OrganisationRow:
    organisation: OrganisationName | Organisation
    received: int = 0
    completed: int = 0
    completed_on_time: int = 0
    reopened_by_citizen: int = 0
    open_now: int = 0
    overdue_now: int = 0
    ratings: Histogram = field(default_factory=Histogram)

    @property
    def on_time_share(self) -> float | None:
        return self.completed_on_time / self.completed if self.completed else None

    @property
    def on_time_interval(self) -> Interval | None:
        return wilson_interval(self.completed_on_time, self.completed)

    @property
    def reopened_share(self) -> float | None:
        return self.reopened_by_citizen / self.completed if self.completed else None

    @property
    def reopened_interval(self) -> Interval | None:
        return wilson_interval(self.reopened_by_citizen, self.completed)

    @property
    def rating_average(self) -> float | None:
        return self.ratings.mean()


def _low(interval: Interval | None) -> float | None:
    return None if interval is None else interval.low


def _high(interval: Interval | None) -> float | None:
    return None if interval is None else interval.high


def _never(value: float | None, worst: float) -> float:
    return worst if value is None else value


@dataclass(frozen=True)
class Sort:
    key: Callable[[OrganisationRow], tuple[Any, ...]]  # smaller first
    basis: Callable[[OrganisationRow], int] | None = None  # requests behind the figure


SORTS: dict[str, Sort] = {
    "name": Sort(lambda r: (r.organisation.name,)),
    "received": Sort(lambda r: (-r.received, r.organisation.name)),
    "backlog": Sort(lambda r: (-r.open_now, r.organisation.name)),
    "overdue": Sort(lambda r: (-r.overdue_now, r.organisation.name)),
    "on_time": Sort(
        lambda r: (-_never(_low(r.on_time_interval), -1.0),
                   -r.completed, r.organisation.name),
        basis=lambda r: r.completed,
    ),
    "reopened": Sort(
        lambda r: (_never(_high(r.reopened_interval), 2.0),
                   -r.completed, r.organisation.name),
        basis=lambda r: r.completed,
    ),
    "satisfaction": Sort(
        lambda r: (-_never(r.rating_average, -1.0), -r.ratings.n, r.organisation.name),
        basis=lambda r: r.ratings.n,
    ),
}  # fmt: skip
DEFAULT_SORT = "on_time"


def rank(rows: list[OrganisationRow], sort: str) -> list[OrganisationRow]:
    """`rows` in the order of `sort`. For a share or an average, organisations with at least
    `MIN_RANKED` requests behind it come first, then the others (each group in sort order)."""
    chosen = SORTS[sort]
    ordered = sorted(rows, key=chosen.key)
    basis = chosen.basis
    if basis is not None:
        ordered = [r for r in ordered if basis(r) >= MIN_RANKED] + [
            r for r in ordered if basis(r) < MIN_RANKED
        ]
    return ordered


def platform_rows(*, period: Period, today: dt.date | None = None) -> list[OrganisationRow]:
    """One row per active organisation: its figures for `period` (whole months) and its open
    requests now. Three grouped queries on the rollups and one on organisations."""
    today = today or timezone.localdate()
    english = (translation.get_language() or "th").startswith("en")  # as BilingualNameMixin
    rows = {
        pk: OrganisationRow(OrganisationName(pk, slug, name_en if english and name_en else name_th))
        for pk, slug, name_th, name_en in Organisation.objects.filter(is_active=True)
        .order_by("pk")
        .values_list("pk", "slug", "name_th", "name_en")
    }
    months = {"month__gte": period.start.replace(day=1), "month__lte": period.end}
    counted = ("received", "completed", "completed_on_time", "reopened_by_citizen")
    for found in (
        MonthlyCount.objects.filter(organisation__is_active=True, **months)
        .values("organisation")
        .annotate(**{name: Sum(name) for name in counted})
        .order_by()
    ):
        row = rows[found["organisation"]]
        sums: dict[str, Any] = dict(found)
        for name in counted:
            setattr(row, name, sums[name] or 0)
    scores: dict[int, Counter[int]] = defaultdict(Counter)
    for found in (
        MonthlyDistribution.objects.filter(
            organisation__is_active=True, measure=Measure.RATING, **months
        )
        .values("organisation", "value")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        scores[found["organisation"]][found["value"]] += found["n"]
    for pk, counts in scores.items():
        rows[pk].ratings = Histogram(counts)
    for found in (
        OpenCount.objects.filter(organisation__is_active=True)
        .values("organisation")
        .annotate(n=Sum("count"), late=Sum("count", filter=late_condition(today)))
        .order_by()
    ):
        row = rows[found["organisation"]]
        row.open_now, row.overdue_now = found["n"] or 0, found["late"] or 0
    return list(rows.values())
