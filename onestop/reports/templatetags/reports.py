"""Showing figures on public pages: small cells hidden ("< 5"), shares, working days, bars."""

from __future__ import annotations

import datetime as dt
import math

from django import template

from onestop.cases.models import Case
from onestop.core.thaidate import format_month
from onestop.reports.figures import SMALL, Histogram
from onestop.reports.selectors import Standing, target_standing

register = template.Library()

HIDDEN = "< 5"
NONE = "–"


def _number(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}"


@register.filter
def count_cell(n: int) -> str:
    """A count of requests: 1 to 4 is shown as "< 5" so that nobody can be singled out."""
    return HIDDEN if 0 < n < SMALL else _number(n)


@register.simple_tag
def share_cell(part: int, whole: int) -> str:
    """`part` of `whole` as a percentage; "< 5" when it stands for fewer than 5 requests."""
    if whole == 0:
        return NONE
    if whole < SMALL:
        return HIDDEN
    return f"{100 * part / whole:.0f}%"


@register.simple_tag
def days_cell(histogram: Histogram, p: float) -> str:
    """The `p` percentile of working days, "> 60" beyond the histogram, "< 5" when few."""
    n = histogram.n
    if n == 0:
        return NONE
    if n < SMALL:
        return HIDDEN
    value = histogram.percentile(p)
    if value is None:
        return NONE
    if math.isinf(value):
        return "> 60"
    return _number(round(value, 1))


@register.simple_tag
def average_cell(histogram: Histogram) -> str:
    n = histogram.n
    if n == 0:
        return NONE
    if n < SMALL:
        return HIDDEN
    mean = histogram.mean()
    return NONE if mean is None else f"{mean:.2f}"


@register.simple_tag
def bar_percent(value: int, maximum: int) -> int:
    """The width of a bar, 0 for a hidden (small) figure."""
    if value < SMALL or maximum <= 0:
        return 0
    return round(100 * value / maximum)


@register.filter
def be_month(value: dt.date) -> str:
    """`ต.ค. 2568` (Thai, Buddhist Era) or `Oct 2025` (English)."""
    return format_month(value)


@register.simple_tag
def standing_of(case: Case) -> Standing | None:
    """Where a request stands against its type's target (for the tracking status page)."""
    return target_standing(case=case)
