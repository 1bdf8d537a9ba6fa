"""The request document (เอกสารคำร้อง): the A4 form a citizen prints, signs and brings, and
that the office files. Laid out like the paper forms Thai local governments use.

Personal data on it is what the citizen already knows and the office needs: the name in full,
the national ID and the phone masked. The email is left out. Nothing personal goes into the PDF
metadata (title, subject, author, keywords), which leaks when files are shared."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from onestop.cases.models import Attachment, AttachmentKind, Case
from onestop.core.addresses import format_address
from onestop.core.links import tracking_url
from onestop.core.masking import mask_phone
from onestop.core.thaidate import format_date, format_datetime
from onestop.documents.base import (
    BLACK,
    FONT,
    GREY,
    RED,
    draw_logo,
    draw_qr,
    logo_bytes,
    new_pdf,
)
from onestop.documents.thai_text import printable, wrap_thai, write_lines, write_paragraph

LEFT = 20.0
RIGHT = 20.0
TOP = 15.0
BOTTOM = 20.0
LABEL_WIDTH = 48.0
BODY_SIZE = 13
LINE_HEIGHT = 6.2
QR_SIZE = 28.0
SIGNATURE_HEIGHT = 40.0


class _RequestDocument(FPDF):
    """Footer with the number and the page count; the confidentiality mark on every page."""

    number = ""
    confidential = False

    def header(self) -> None:
        if self.confidential:
            self._confidential_mark(7)
            self.set_xy(LEFT, TOP)

    def footer(self) -> None:
        if self.confidential:
            self._confidential_mark(self.h - 12)
        self.set_y(-14)
        self.set_font(FONT, size=10)
        self.set_text_color(*GREY)
        self.set_x(LEFT)
        width = self.w - LEFT - RIGHT
        self.cell(width / 2, 6, _("เลขที่คำร้อง %(number)s") % {"number": self.number})
        self.cell(
            width / 2, 6, _("หน้า %(page)s/%(pages)s") % {"page": self.page_no(), "pages": "{nb}"},
            align="R",
        )  # fmt: skip
        self.set_text_color(*BLACK)

    def _confidential_mark(self, y: float) -> None:
        self.set_y(y)
        self.set_font(FONT, "B", size=14)
        self.set_text_color(*RED)
        self.cell(0, 6, _("ลับ"), align="C")
        self.set_text_color(*BLACK)


def request_document_pdf(case: Case, *, language: str = "th") -> bytes:
    """The request document of `case` as PDF bytes (A4, one page or more for long details).

    Thai by default whatever the reader's language: it is the office's form. The caller has
    already checked that the reader may see this request."""
    with translation.override(language):
        pdf = _RequestDocument(orientation="portrait", unit="mm", format="A4")
        pdf.number = case.display_number
        pdf.confidential = case.request_type.is_confidential
        new_pdf(pdf)
        pdf.set_margins(LEFT, TOP, RIGHT)
        pdf.set_auto_page_break(True, margin=BOTTOM)
        pdf.set_title(_("แบบคำร้อง/ร้องเรียน เลขที่ %(number)s") % {"number": case.display_number})
        pdf.set_author(case.organisation.name)
        pdf.set_creation_date(case.submitted_at)
        pdf.add_page()
        _header(pdf, case)
        _requester(pdf, case)
        _details(pdf, case)
        _place(pdf, case)
        _attachments(pdf, case)
        _signatures(pdf, case)
        return bytes(pdf.output())


def _header(pdf: FPDF, case: Case) -> None:
    """1. Logo, organisation name and address on the left; the tracking QR on the right.
    2. The title, the number and the date of filing."""
    organisation = case.organisation
    content_width = pdf.w - LEFT - RIGHT
    right_width = 52.0
    right_x = pdf.w - RIGHT - right_width

    # The tracking QR with its address printed under it.
    url = tracking_url(organisation.slug, case.number)
    draw_qr(pdf, url, x=right_x + (right_width - QR_SIZE) / 2, y=TOP, size=QR_SIZE)
    pdf.set_xy(right_x, TOP + QR_SIZE)
    pdf.set_font(FONT, "B", size=10)
    pdf.cell(right_width, 4.5, _("สแกนเพื่อติดตามผล"), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=8)
    write_paragraph(pdf, url, width=right_width, line_height=3.6, align="C")
    right_bottom = pdf.get_y()

    # The organisation.
    text_x = LEFT
    logo = logo_bytes(organisation)
    if logo is not None:
        text_x += draw_logo(pdf, logo, x=LEFT, y=TOP, height=24) + 4
    text_width = right_x - 4 - text_x
    pdf.set_xy(text_x, TOP + 2)
    pdf.set_font(FONT, "B", size=18)
    write_paragraph(pdf, organisation.name, width=text_width, line_height=8)
    pdf.set_font(FONT, size=12)
    for line in (organisation.address, _contact_line(organisation.phone, organisation.email)):
        if line:
            write_paragraph(pdf, line, width=text_width, line_height=5.5, x=text_x)
    left_bottom = max(pdf.get_y(), TOP + 24 if logo else 0)

    pdf.set_xy(LEFT, max(left_bottom, right_bottom) + 4)
    pdf.set_font(FONT, "B", size=22)
    pdf.cell(content_width, 11, _("แบบคำร้อง/ร้องเรียน"), align="C", new_x=XPos.LMARGIN,
             new_y=YPos.NEXT)  # fmt: skip
    pdf.ln(2)

    pdf.set_font(FONT, "B", size=15)
    pdf.cell(content_width / 2, 8, _("เลขที่คำร้อง %(number)s") % {"number": case.display_number})
    pdf.set_font(FONT, size=14)
    pdf.cell(content_width / 2, 8, _("วันที่ %(date)s") % {"date": format_date(case.submitted_at)},
             align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    pdf.set_font(FONT, size=12)
    pdf.set_text_color(*GREY)
    filed = _("ยื่นทาง%(channel)s เมื่อ %(when)s") % {
        "channel": case.get_channel_display(),
        "when": format_datetime(case.submitted_at),
    }
    pdf.cell(content_width, 6, filed, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*BLACK)
    _rule(pdf)

    request_type = case.request_type
    _field(pdf, _("เรื่อง"), case.subject, bold=True)
    _field(pdf, _("ประเภทคำร้อง"), f"{request_type.category.name} › {request_type.name}")
    if case.department_id is not None and case.department is not None:
        _field(pdf, _("หน่วยงานที่รับผิดชอบ"), case.department.name)
    if case.due_date is not None:
        _field(pdf, _("กำหนดแล้วเสร็จ"), format_date(case.due_date))


def _requester(pdf: FPDF, case: Case) -> None:
    _section(pdf, _("1. ข้อมูลผู้ยื่นคำร้อง"))
    _field(pdf, _("ชื่อ-นามสกุล"), case.requester_name)
    # Filed at the counter without the ID (the reason is on the request's first event): a dash.
    _field(pdf, _("เลขประจำตัวประชาชน"), case.national_id_masked or "—")
    _field(pdf, _("โทรศัพท์"), mask_phone(case.phone))


def _details(pdf: FPDF, case: Case) -> None:
    _section(pdf, _("2. รายละเอียดคำร้อง"))
    pdf.set_font(FONT, size=BODY_SIZE)
    write_paragraph(
        pdf, case.details, x=LEFT + 4, width=pdf.w - LEFT - RIGHT - 4, line_height=LINE_HEIGHT
    )


def _place(pdf: FPDF, case: Case) -> None:
    _section(pdf, _("3. สถานที่ดำเนินการ"))
    address = format_address(case)
    has_pin = case.latitude is not None and case.longitude is not None
    if not (address or case.landmark or has_pin):
        _field(pdf, _("สถานที่"), _("ไม่ระบุสถานที่"))
        return
    if address:
        _field(pdf, _("ที่ตั้ง"), address)
    if case.landmark:
        _field(pdf, _("จุดสังเกต"), case.landmark)
    if has_pin:
        _field(pdf, _("พิกัด"), f"{case.latitude}, {case.longitude}")


def _attachments(pdf: FPDF, case: Case) -> None:
    _section(pdf, _("4. เอกสารประกอบ"))
    # Staff's result photos are not part of the request as filed.
    files: list[Attachment] = [a for a in case.attachments.all() if a.kind != AttachmentKind.RESULT]
    pdf.set_font(FONT, size=BODY_SIZE)
    if not files:
        pdf.set_x(LEFT + 4)
        pdf.cell(0, LINE_HEIGHT, _("ไม่มีเอกสารแนบ"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    for index, attachment in enumerate(files, start=1):
        line = f"{index}. {attachment.original_name} ({attachment.get_kind_display()})"
        write_paragraph(
            pdf, line, x=LEFT + 4, width=pdf.w - LEFT - RIGHT - 4, line_height=LINE_HEIGHT
        )


def _signatures(pdf: FPDF, case: Case) -> None:
    """The citizen's signature on the left, the receiving officer's box on the right, kept
    together (with the statement above them) on one page."""
    pdf.ln(2)
    if pdf.get_y() + LINE_HEIGHT + 3 + SIGNATURE_HEIGHT > pdf.h - BOTTOM:
        pdf.add_page()
    pdf.set_font(FONT, size=BODY_SIZE)
    write_paragraph(
        pdf, _("ข้าพเจ้าขอรับรองว่าข้อความข้างต้นเป็นความจริงทุกประการ"),
        x=LEFT + 4, width=pdf.w - LEFT - RIGHT - 4, line_height=LINE_HEIGHT,
    )  # fmt: skip
    pdf.ln(3)
    top = pdf.get_y()
    half = (pdf.w - LEFT - RIGHT) / 2

    citizen = [
        _("ลงชื่อ %(dots)s ผู้ยื่นคำร้อง") % {"dots": "." * 36},
        f"( {printable(pdf, case.requester_name)} )",
        _("วันที่ %(dots)s") % {"dots": "." * 30},
    ]
    pdf.set_xy(LEFT, top + 6)
    for line in citizen:
        pdf.set_x(LEFT)
        pdf.cell(half, 8, line, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)

    box_x = LEFT + half + 4
    box_width = half - 4
    pdf.set_draw_color(*GREY)
    pdf.rect(box_x, top, box_width, SIGNATURE_HEIGHT)
    pdf.set_xy(box_x, top + 1)
    pdf.set_font(FONT, "B", size=12)
    pdf.cell(box_width, 6, _("สำหรับเจ้าหน้าที่"), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=12)
    officer = [
        _("รับเรื่องเมื่อวันที่ %(dots)s") % {"dots": "." * 28},
        _("ลงชื่อ %(dots)s ผู้รับคำร้อง") % {"dots": "." * 30},
        "( " + "." * 40 + " )",
        _("ตำแหน่ง %(dots)s") % {"dots": "." * 40},
    ]
    for line in officer:
        pdf.set_x(box_x)
        pdf.cell(box_width, 8, line, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_y(top + SIGNATURE_HEIGHT)


def _section(pdf: FPDF, title: str) -> None:
    if pdf.get_y() + 24 > pdf.h - BOTTOM:  # a heading never ends a page alone
        pdf.add_page()
    pdf.ln(1.5)
    pdf.set_font(FONT, "B", size=14)
    pdf.set_x(LEFT)
    pdf.cell(0, 7, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _field(pdf: FPDF, label: str, value: str, *, bold: bool = False) -> None:
    """A label in the left column and its value wrapped in the right one; the label never
    stays alone at the bottom of a page."""
    value_x = LEFT + 4 + LABEL_WIDTH
    value_width = pdf.w - RIGHT - value_x
    style = "B" if bold else ""
    pdf.set_font(FONT, style, size=BODY_SIZE)
    lines = wrap_thai(pdf, value, value_width)
    if pdf.get_y() + LINE_HEIGHT * min(len(lines), 2) > pdf.h - BOTTOM:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_font(FONT, "B", size=BODY_SIZE)
    pdf.set_xy(LEFT + 4, top)
    pdf.cell(LABEL_WIDTH, LINE_HEIGHT, label)
    pdf.set_font(FONT, style, size=BODY_SIZE)
    write_lines(pdf, lines, x=value_x, width=value_width, line_height=LINE_HEIGHT)


def _rule(pdf: FPDF) -> None:
    pdf.ln(1)
    pdf.set_draw_color(*GREY)
    pdf.line(LEFT, pdf.get_y(), pdf.w - RIGHT, pdf.get_y())
    pdf.ln(2)


def _contact_line(phone: str, email: str) -> str:
    parts = []
    if phone:
        parts.append(_("โทร %(phone)s") % {"phone": phone})
    if email:
        parts.append(email)
    return "  ".join(parts)
