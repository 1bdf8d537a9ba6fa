"""Figures computed from rollup rows: counts, shares, percentiles from histograms."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from onestop.reports.models import HISTOGRAM_LAST

# A cell that stands for fewer requests than this is shown as "< 5": nobody is singled out.
SMALL = 5


@dataclass
class Histogram:
    """Counts by value (working days 0..60, 61 meaning "more than 60"; or scores 1..5)."""

    counts: Counter[int] = field(default_factory=Counter)

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    def add(self, other: Histogram) -> None:
        self.counts.update(other.counts)

    def _nth(self, index: int) -> int:
        """The value at `index` (0-based) of the values sorted in ascending order."""
        seen = 0
        for value in sorted(self.counts):
            seen += self.counts[value]
            if index < seen:
                return value
        raise IndexError(index)

    def percentile(self, p: float) -> float | None:
        """The `p` quantile (0..1) by linear interpolation between the two nearest ranks (the
        usual median for p = 0.5); `math.inf` when it falls among "more than 60" days; None
        without values. Exact: every bucket but the last holds a single value."""
        n = self.n
        if n == 0:
            return None
        position = (n - 1) * p
        low, high = math.floor(position), math.ceil(position)
        a, b = self._nth(low), self._nth(high)
        if HISTOGRAM_LAST in (a, b) and self.counts.get(HISTOGRAM_LAST):
            return math.inf
        return a + (b - a) * (position - low)

    def mean(self) -> float | None:
        n = self.n
        return sum(v * c for v, c in self.counts.items()) / n if n else None


@dataclass
class Figures:
    """What happened to the requests of one scope (an organisation, a category, a type) in one
    period, and where those filed in it stand now."""

    received: int = 0
    first_responded: int = 0
    completed: int = 0
    completed_on_time: int = 0
    reopened_by_citizen: int = 0
    reopened_by_staff: int = 0
    forwarded: int = 0
    rejected: int = 0
    cancelled: int = 0
    confirmed_solved: int = 0
    open_now: int = 0  # of those filed in the period, still open now
    overdue_now: int = 0  # of those, past their due date now
    first_response: Histogram = field(default_factory=Histogram)
    completion: Histogram = field(default_factory=Histogram)
    ratings: Histogram = field(default_factory=Histogram)

    COUNTS = (
        "received", "first_responded", "completed", "completed_on_time", "reopened_by_citizen",
        "reopened_by_staff", "forwarded", "rejected", "cancelled", "confirmed_solved",
        "open_now", "overdue_now",
    )  # fmt: skip

    def add(self, other: Figures) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.first_response.add(other.first_response)
        self.completion.add(other.completion)
        self.ratings.add(other.ratings)

    @property
    def on_time_share(self) -> float | None:
        return self.completed_on_time / self.completed if self.completed else None

    @property
    def reopened_share(self) -> float | None:
        return self.reopened_by_citizen / self.completed if self.completed else None

    @property
    def rating_average(self) -> float | None:
        return self.ratings.mean()

    @property
    def rating_count(self) -> int:
        return self.ratings.n

    def rating_distribution(self) -> list[tuple[int, int]]:
        """(score, how many) from 5 down to 1."""
        return [(score, self.ratings.counts.get(score, 0)) for score in range(5, 0, -1)]
