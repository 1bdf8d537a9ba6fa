"""Thai working days: Monday to Friday, less the public holidays in the Holiday table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from onestop.core.models import Holiday


def holidays_between(start: dt.date, end: dt.date) -> set[dt.date]:
    return set(
        Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def add_working_days(
    start: dt.date, days: int, *, holidays: Iterable[dt.date] | None = None
) -> dt.date:
    """The date `days` working days after `start` (a request filed on a Friday evening with a
    3-day target is due the following Wednesday). `holidays=None` reads the Holiday table."""
    if days <= 0:
        return start
    if holidays is None:
        # Generous window: 2 calendar weeks per working week plus a month of holidays.
        holidays = holidays_between(start, start + dt.timedelta(days=days * 2 + 31))
    closed = set(holidays)
    current, left = start, days
    while left:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in closed:
            left -= 1
    return current
