"""The dashboard as tables: one list of tables drawn both as HTML and as XLSX, so that the
download holds exactly what the page shows. Cells are typed (`Share`, `Days`, `Average`, int,
date, text) and each output formats them its own way."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook

from onestop.cases.models import Case
from onestop.core.spreadsheets import safe_cell
from onestop.core.thaidate import format_date, format_month
from onestop.reports.dashboard import Dashboard, Row
from onestop.reports.figures import Figures, Histogram


@dataclass(frozen=True)
class Share:
    value: float | None  # 0..1


@dataclass(frozen=True)
class Days:
    value: float | None  # math.inf: beyond 60 working days


@dataclass(frozen=True)
class Average:
    value: float | None


@dataclass(frozen=True)
class Month:
    value: dt.date  # its first day


type Cell = str | int | dt.date | Share | Days | Average | Month | None


@dataclass
class TableRow:
    cells: list[Cell]
    href: str | None = None  # a link on the first cell


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[TableRow] = field(default_factory=list)
    note: str = ""
    # A chart drawn in the table itself: these columns' counts also as bars, `bar_max` the
    # longest (the numbers stay in the cells: the table is what screen readers and paper get).
    bar_columns: tuple[int, ...] = ()
    bar_max: int = 0


TABLE_KEYS = (
    "summary", "weeks", "months", "departments", "officers", "channels", "categories", "types",
    "overdue",
)  # fmt: skip


def _percentile(histogram: Histogram, p: float) -> Days:
    return Days(histogram.percentile(p))


def _figure_columns() -> list[str]:
    return [
        _("รับคำร้อง"), _("แล้วเสร็จ"), _("ยังดำเนินการอยู่"), _("เกินกำหนดขณะนี้"),
        _("แล้วเสร็จภายในกำหนด"), _("แล้วเสร็จ: มัธยฐาน (วันทำการ)"),
        _("แล้วเสร็จ: 90% ภายใน (วันทำการ)"), _("ผู้ยื่นแจ้งว่ายังไม่ได้รับการแก้ไข"),
        _("ความพึงพอใจเฉลี่ย"), _("จำนวนผู้ให้คะแนน"),
    ]  # fmt: skip


def _figure_cells(f: Figures) -> list[Cell]:
    return [
        f.received, f.completed, f.open_now, f.overdue_now, Share(f.on_time_share),
        _percentile(f.completion, 0.5), _percentile(f.completion, 0.9),
        Share(f.reopened_share), Average(f.rating_average), f.rating_count,
    ]  # fmt: skip


def _breakdown(key: str, title: str, label: str, rows: list[Row]) -> Table:
    return Table(
        key, title, [label, *_figure_columns()],
        [TableRow([row.label, *_figure_cells(row.figures)]) for row in rows],
    )  # fmt: skip


def dashboard_tables(dashboard: Dashboard, *, case_url: Callable[[Case], str]) -> dict[str, Table]:
    """Every table of the dashboard, by key (in `TABLE_KEYS` order)."""
    t = dashboard.total
    summary = Table("summary", _("สรุปผลการดำเนินงาน"), [_("รายการ"), _("ค่า")])
    items: list[tuple[str, Cell]] = [
        (_("กำลังดำเนินการขณะนี้ (ทั้งหมด)"), dashboard.open_now),
        (_("เกินกำหนดขณะนี้ (ทั้งหมด)"), dashboard.overdue_now),
        (_("รับคำร้อง"), t.received),
        (_("ตอบกลับครั้งแรก"), t.first_responded),
        (_("ดำเนินการแล้วเสร็จ"), t.completed),
        (_("ยังดำเนินการอยู่ (ของที่รับในช่วงนี้)"), t.open_now),
        (_("เกินกำหนดขณะนี้ (ของที่รับในช่วงนี้)"), t.overdue_now),
        (_("ส่งต่อหน่วยงานอื่น"), t.forwarded),
        (_("ไม่รับเรื่อง"), t.rejected),
        (_("ผู้ยื่นยกเลิก"), t.cancelled),
        (_("แล้วเสร็จภายในระยะเวลาที่กำหนด"), Share(t.on_time_share)),
        (_("ตอบกลับครั้งแรก: มัธยฐาน (วันทำการ)"), _percentile(t.first_response, 0.5)),
        (_("ตอบกลับครั้งแรก: 90% ภายใน (วันทำการ)"), _percentile(t.first_response, 0.9)),
        (_("แล้วเสร็จ: มัธยฐาน (วันทำการ)"), _percentile(t.completion, 0.5)),
        (_("แล้วเสร็จ: 90% ภายใน (วันทำการ)"), _percentile(t.completion, 0.9)),
        (_("ผู้ยื่นแจ้งว่ายังไม่ได้รับการแก้ไขหลังแจ้งว่าเสร็จ"), Share(t.reopened_share)),
        (_("ผู้ยื่นยืนยันว่าแก้ไขแล้ว"), t.confirmed_solved),
        (_("ความพึงพอใจเฉลี่ย (เต็ม 5)"), Average(t.rating_average)),
        (_("จำนวนผู้ให้คะแนน"), t.rating_count),
    ]
    summary.rows = [TableRow([label, value]) for label, value in items]
    weeks = Table(
        "weeks", _("แนวโน้มรายสัปดาห์"),
        [_("สัปดาห์สิ้นสุดวันที่"), _("รับคำร้อง"), _("แล้วเสร็จ"), _("ค้างดำเนินการ ณ สิ้นสัปดาห์")],
        [TableRow([w.end, w.received, w.completed, w.backlog]) for w in dashboard.weeks],
        note=_("12 สัปดาห์ล่าสุด ไม่ขึ้นกับช่วงเวลาที่เลือก"),
    )  # fmt: skip
    months = Table(
        "months", _("รับคำร้องและแล้วเสร็จ 12 เดือนล่าสุด"),
        [_("เดือน"), _("รับคำร้อง"), _("แล้วเสร็จ")],
        [TableRow([Month(m.month), m.received, m.completed]) for m in dashboard.months],
        note=_("12 เดือนล่าสุด ไม่ขึ้นกับช่วงเวลาที่เลือก"),
        bar_columns=(1, 2),
        bar_max=max([0, *(m.received for m in dashboard.months),
                     *(m.completed for m in dashboard.months)]),
    )  # fmt: skip
    officers = Table(
        "officers", _("รายผู้รับผิดชอบ"),
        [_("ผู้รับผิดชอบ"), _("งานที่ยังดำเนินการอยู่"), _("เกินกำหนดขณะนี้"),
         _("แล้วเสร็จในช่วงนี้"), _("แล้วเสร็จภายในกำหนด")],
        [TableRow([o.name, o.open_now, o.overdue_now, o.completed, Share(o.on_time_share)])
         for o in dashboard.officers],
        note=_("นับคำร้องที่มอบหมายให้ผู้รับผิดชอบโดยตรง; การแล้วเสร็จนับครั้งล่าสุดของแต่ละคำร้อง"),
    )  # fmt: skip
    overdue = Table(
        "overdue", _("คำร้องที่เกินกำหนด"),
        [_("เลขคำร้อง"), _("เรื่อง"), _("ประเภทคำร้อง"), _("กอง/สำนัก"), _("ผู้รับผิดชอบ"),
         _("สถานะ"), _("กำหนดแล้วเสร็จ")],
        [
            TableRow(
                [case.display_number, case.subject, case.request_type.name,
                 case.department.name if case.department else "",
                 (case.assignee.get_full_name() or case.assignee.get_username())
                 if case.assignee else "",
                 case.get_status_display(), case.due_date],
                href=case_url(case),
            )
            for case in dashboard.overdue
        ],
        note=_("เรียงจากที่เกินกำหนดนานที่สุด แสดงไม่เกิน 50 รายการ")
        if dashboard.overdue_more else "",
    )  # fmt: skip
    tables = [
        summary,
        weeks,
        months,
        _breakdown("departments", _("รายกอง/สำนัก"), _("กอง/สำนัก"), dashboard.departments),
        officers,
        _breakdown("channels", _("รายช่องทาง"), _("ช่องทาง"), dashboard.channels),
        _breakdown("categories", _("รายหมวดหมู่"), _("หมวดหมู่"), dashboard.categories),
        _breakdown("types", _("รายประเภทคำร้อง"), _("ประเภทคำร้อง"), dashboard.types),
        overdue,
    ]
    return {table.key: table for table in tables}


# --- Showing a cell ---------------------------------------------------------------------------

NONE = "–"


def _share_text(value: Share) -> str:
    return NONE if value.value is None else f"{100 * value.value:.1f}%"


def _days_text(value: Days) -> str:
    if value.value is None:
        return NONE
    return "> 60" if math.isinf(value.value) else f"{value.value:.1f}".removesuffix(".0")


def _average_text(value: Average) -> str:
    return NONE if value.value is None else f"{value.value:.2f}"


def _typed_text(value: Share | Days | Average) -> str:
    if isinstance(value, Share):
        return _share_text(value)
    if isinstance(value, Days):
        return _days_text(value)
    return _average_text(value)


def cell_text(value: Cell) -> str:
    """A cell as the page shows it."""
    if value is None:
        return NONE
    if isinstance(value, Share | Days | Average):
        return _typed_text(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Month):
        return format_month(value.value)
    if isinstance(value, dt.date):
        return format_date(value, short=True)
    return value


def bar_width(value: Cell, maximum: int) -> int:
    """The width of a count's bar, in percent of the longest (staff see every figure, so a
    small count has its small bar)."""
    if not isinstance(value, int) or maximum <= 0:
        return 0
    return round(100 * value / maximum)


_BAR = (
    '<svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" '
    'focusable="false"><rect class="series-{}" width="{}" height="1"/></svg> '
)


def rows_html(table: Table) -> SafeString:
    """The table's rows as the page draws them (`<tr>`s: a row header, then cells; a chart's
    counts with their bars). In Python, not in the template: a dashboard has some 700 cells,
    and a template loop with a filter per cell cost more than reading the rollups."""
    lines = []
    for row in table.rows:
        cells = []
        for index, value in enumerate(row.cells):
            text = cell_text(value)
            if index == 0:
                label = format_html('<a href="{}">{}</a>', row.href, text) if row.href else text
                cells.append(format_html('<th scope="row">{}</th>', label))
            elif index in table.bar_columns:
                bar = format_html(_BAR, index, bar_width(value, table.bar_max))
                cells.append(format_html('<td class="bar-cell">{}{}</td>', bar, text))
            else:
                cells.append(format_html("<td>{}</td>", text))
        lines.append(format_html("<tr>{}</tr>", mark_safe("".join(cells))))  # noqa: S308
    return mark_safe("\n".join(lines))  # noqa: S308 (every part went through format_html)


_FORMATS: list[tuple[type, str]] = [
    (Share, "0.0%"), (Average, "0.00"), (Month, "yyyy-mm"), (dt.date, "yyyy-mm-dd"),
]  # fmt: skip


def _xlsx_value(value: Cell) -> tuple[Any, str | None]:
    """A cell's value and number format in a spreadsheet: numbers stay numbers, text never
    reads as a formula."""
    if isinstance(value, Days):
        if value.value is not None and math.isinf(value.value):
            return "> 60", None
        return value.value, "0.0"
    if isinstance(value, str):
        return safe_cell(value), None
    for kind, number_format in _FORMATS:
        if isinstance(value, kind):
            return getattr(value, "value", value), number_format
    return value, None


def tables_xlsx(tables: list[Table], *, heading: str) -> bytes:
    """The tables as a workbook, one sheet each: a title row, the header, the rows."""
    workbook = Workbook()
    first = workbook.active
    if first is not None:
        workbook.remove(first)
    for table in tables:
        sheet = workbook.create_sheet(title=table.key)
        sheet.append([safe_cell(heading)])
        sheet.append([safe_cell(table.title)])
        sheet.append([safe_cell(c) for c in table.columns])
        for row in table.rows:
            values = [_xlsx_value(c) for c in row.cells]
            sheet.append([v for v, _format in values])
            for column, (_value, number_format) in enumerate(values, start=1):
                if number_format:
                    sheet.cell(row=sheet.max_row, column=column).number_format = number_format
        if table.note:
            sheet.append([safe_cell(table.note)])
        sheet.column_dimensions["A"].width = 40
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
