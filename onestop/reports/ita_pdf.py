"""The ITA reports as a Thai PDF (A4 landscape: the tables are wide) and as XLSX, from the
figures of `ita.ita_report`. The PDF uses the request document's stack (`documents.base`:
Sarabun, harfbuzz shaping; `documents.thai_text`: line breaking). No personal data can be in
either: the report holds only counts and category/type/channel names."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from onestop.core.thaidate import format_date
from onestop.documents.base import FONT, GREY, draw_logo, logo_bytes, new_pdf
from onestop.documents.thai_text import wrap_thai, write_lines, write_paragraph
from onestop.reports.ita import ItaReport, Line, cell_text, columns, notes

MARGIN = 12.0
LABEL_WIDTH = 62.0
TABLE_SIZE = 11
HEADER_LINE = 4.6
ROW_LINE = 5.6
PAD = 1.5  # mm between a cell's text and its border


class _Report(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, size=9)
        self.set_text_color(*GREY)
        width = self.w - 2 * MARGIN
        self.cell(width * 0.8, 5, self.footer_text)
        self.cell(width * 0.2, 5, _("หน้า %(page)s/%(pages)s") % {"page": self.page_no(),
                  "pages": "{nb}"}, align="R")  # fmt: skip
        self.set_text_color(0, 0, 0)


def ita_pdf(report: ItaReport) -> bytes:
    """The report as PDF bytes, in Thai (it is the organisation's official report)."""
    with translation.override("th"):
        pdf = _Report(orientation="landscape", unit="mm", format="A4")
        new_pdf(pdf)
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(True, margin=16)
        title = f"{report.title} {report.period.label}"
        pdf.set_title(title)
        pdf.set_author(report.organisation.name)
        pdf.footer_text = f"{report.organisation.name} · {title}"
        pdf.add_page()
        _heading(pdf, report)
        _section(pdf, _("1. สรุปผลการดำเนินการ"))
        _table(pdf, _("รายการ"), [], report.total)
        _section(pdf, _("2. จำแนกตามช่องทางการรับเรื่อง"))
        _table(pdf, _("ช่องทาง"), report.by_channel, report.total)
        _section(pdf, _("3. จำแนกตาม%(what)s") % {"what": report.group_heading})
        _table(pdf, report.group_heading, report.by_group, report.total)
        _section(pdf, _("4. ตารางสรุปรายเดือน"))
        _table(pdf, _("เดือน"), report.by_month, report.total)
        _section(pdf, _("หมายเหตุ"))
        pdf.set_font(FONT, size=11)
        for note in notes():
            write_paragraph(pdf, f"• {note}", x=MARGIN + 2, line_height=5.4)
        return bytes(pdf.output())


def _heading(pdf: FPDF, report: ItaReport) -> None:
    width = pdf.w - 2 * MARGIN
    logo = logo_bytes(report.organisation)
    if logo is not None:
        draw_logo(pdf, logo, x=MARGIN, y=MARGIN, height=20, centre_in=width)
        pdf.set_y(MARGIN + 22)
    pdf.set_font(FONT, "B", size=17)
    write_paragraph(pdf, report.title, x=MARGIN, width=width, line_height=8, align="C")
    pdf.set_font(FONT, "B", size=15)
    write_paragraph(pdf, report.organisation.name, x=MARGIN, width=width, line_height=7,
                    align="C")  # fmt: skip
    pdf.set_font(FONT, size=13)
    period = f"{report.period.label} ({report.period.dates})"
    write_paragraph(pdf, period, x=MARGIN, width=width, line_height=6.5, align="C")
    pdf.set_font(FONT, size=11)
    pdf.set_text_color(*GREY)
    as_of = _("ข้อมูล ณ วันที่ %(date)s") % {"date": format_date(report.as_of)}
    pdf.cell(width, 6, as_of, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)


def _section(pdf: FPDF, title: str) -> None:
    if pdf.get_y() + 30 > pdf.h - 16:  # a heading never ends a page alone
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FONT, "B", size=13)
    pdf.set_x(MARGIN)
    pdf.cell(0, 7, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _table(pdf: FPDF, label: str, lines: list[Line], total: Line) -> None:
    """A header row, one row per line and the total in bold; rows never split over pages."""
    cols = columns()
    number_width = (pdf.w - 2 * MARGIN - LABEL_WIDTH) / len(cols)
    widths = [LABEL_WIDTH] + [number_width] * len(cols)
    pdf.set_font(FONT, "B", size=TABLE_SIZE)
    _row(pdf, [label, *(heading for _attr, heading in cols)], widths, HEADER_LINE, "C", fill=True)
    for line in lines:
        pdf.set_font(FONT, size=TABLE_SIZE)
        _row(pdf, [line.label, *(cell_text(line, a) for a, _h in cols)], widths, ROW_LINE, "R")
    pdf.set_font(FONT, "B", size=TABLE_SIZE)
    _row(pdf, [total.label, *(cell_text(total, a) for a, _h in cols)], widths, ROW_LINE, "R")


def _row(
    pdf: FPDF, texts: list[str], widths: list[float], line: float, align: str, *,
    fill: bool = False,
) -> None:  # fmt: skip
    pairs = list(zip(texts, widths, strict=True))
    wrapped = [wrap_thai(pdf, text, width - 2 * PAD) for text, width in pairs]
    height = max(len(w) for w in wrapped) * line + 2
    if pdf.get_y() + height > pdf.h - 16:
        pdf.add_page()
    top, x = pdf.get_y(), MARGIN
    pdf.set_draw_color(*GREY)
    if fill:
        pdf.set_fill_color(235, 235, 235)
    for index, (lines, width) in enumerate(zip(wrapped, widths, strict=True)):
        pdf.rect(x, top, width, height, style="DF" if fill else "D")
        pdf.set_xy(x + PAD, top + 1)
        write_lines(pdf, lines, x=x + PAD, width=width - 2 * PAD, line_height=line,
                    align="L" if index == 0 else align)  # fmt: skip
        x += width
    pdf.set_xy(MARGIN, top + height)


# --- XLSX -----------------------------------------------------------------------------------


def ita_xlsx(report: ItaReport) -> bytes:
    """The same tables as a workbook: one sheet per table, numbers as numbers."""
    with translation.override("th"):
        book = Workbook()
        cols = columns()
        sheets = [
            (_("สรุป"), _("รายการ"), []),
            (_("ช่องทาง"), _("ช่องทาง"), report.by_channel),
            (report.group_heading, report.group_heading, report.by_group),
            (_("รายเดือน"), _("เดือน"), report.by_month),
        ]
        bold = Font(bold=True)
        for index, (name, label, lines) in enumerate(sheets):
            sheet = book.active if index == 0 else book.create_sheet()
            assert sheet is not None
            sheet.title = name.replace("/", " ")[:31]
            sheet.append([report.title])
            sheet.append([report.organisation.name])
            sheet.append([f"{report.period.label} ({report.period.dates})"])
            sheet.append([_("ข้อมูล ณ วันที่ %(date)s") % {"date": format_date(report.as_of)}])
            sheet.append([])
            sheet.append([label, *(heading for _attr, heading in cols)])
            for line in [*lines, report.total]:
                sheet.append([line.label, *(getattr(line, attr) for attr, _h in cols)])
            for cell in sheet[1] + sheet[6] + sheet[sheet.max_row]:
                cell.font = bold
            for cell in sheet[6]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.column_dimensions["A"].width = 48
            for letter in "BCDEFGHI":
                sheet.column_dimensions[letter].width = 16
        book.properties.title = report.title
        book.properties.creator = "OneStop"
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
