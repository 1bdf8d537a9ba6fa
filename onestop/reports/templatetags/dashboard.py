"""Showing the staff dashboard's typed cells (exact figures: staff see no "< 5")."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from onestop.reports.dashboard_tables import Average, Cell, Share, Table, cell_text, rows_html
from onestop.reports.platform import Interval

register = template.Library()


@register.filter
def cell(value: Cell) -> str:
    return cell_text(value)


@register.simple_tag
def table_rows(table: Table) -> SafeString:
    return rows_html(table)


@register.filter
def percent(value: float | None) -> str:
    return cell_text(Share(value))


@register.filter
def interval(value: Interval | None) -> str:
    """`72.1–91.3%`: a 95 % confidence interval."""
    if value is None:
        return "–"
    return f"{100 * value.low:.1f}–{100 * value.high:.1f}%"


@register.filter
def average(value: float | None) -> str:
    return cell_text(Average(value))
