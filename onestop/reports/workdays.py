"""Working days taken: the count that every duration on the performance pages uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from onestop.core.workdays import holidays_between


def working_days_between(
    start: dt.date, end: dt.date, *, holidays: Collection[dt.date] | None = None
) -> int:
    """Working days after `start` up to and including `end` (Monday to Friday, less holidays):
    filed and finished the same day is 0; filed on Friday, finished on Monday is 1. With
    `end` on or before `start`, 0. `holidays=None` reads the Holiday table."""
    if end <= start:
        return 0
    closed = holidays_between(start, end) if holidays is None else holidays
    # Whole weeks first, then the remaining days one by one.
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=offset)).weekday() < 5:
            count += 1
    closed_working = sum(1 for d in closed if start < d <= end and d.weekday() < 5)
    return count - closed_working
