"""The QR poster an organisation prints and puts up at its counter, notice boards and village
halls: "scan the QR code" is the first thing the citizen's manual asks.

The PNG (for LINE groups, Facebook pages, websites) is the PDF page rendered by PDFium
(pypdfium2, a self-contained wheel): one layout for both, and the Thai is shaped once, by
harfbuzz in fpdf2. Drawing the PNG with Pillow instead would need libraqm and libfribidi on
the server for Thai tone marks and vowels to sit right, and fails silently without them."""

from __future__ import annotations

import io

import pypdfium2
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos

from onestop.core.links import eservice_url, tracking_url
from onestop.documents.base import FONT, GREY, draw_logo, draw_qr, logo_bytes, new_pdf
from onestop.documents.thai_text import write_paragraph
from onestop.organisations.models import Organisation

MARGIN = 18.0
QR_SIZE = 125.0
PNG_DPI = 150


def poster_pdf(organisation: Organisation, *, language: str = "th") -> bytes:
    """An A4 poster: the organisation's name, the QR code of its e-service page with the
    address under it, and three steps in plain Thai."""
    with translation.override(language):
        pdf = new_pdf()
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(False)
        pdf.set_title(_("โปสเตอร์ QR Code บริการออนไลน์ %(name)s") % {"name": organisation.name})
        pdf.set_author(organisation.name)
        pdf.add_page()
        width = pdf.w - 2 * MARGIN
        y = MARGIN

        logo = logo_bytes(organisation)
        if logo is not None:
            logo_height = 26.0
            if draw_logo(pdf, logo, x=MARGIN, y=y, height=logo_height, centre_in=width):
                y += logo_height + 4
        pdf.set_xy(MARGIN, y)
        pdf.set_font(FONT, "B", size=34)
        write_paragraph(pdf, organisation.name, width=width, line_height=15, align="C")
        pdf.set_font(FONT, size=20)
        for line in (
            _("ศูนย์บริการจุดเดียวเบ็ดเสร็จ (One Stop Service)"),
            _("ยื่นคำร้อง/ร้องเรียนออนไลน์ได้ตลอด 24 ชั่วโมง"),
        ):
            write_paragraph(pdf, line, x=MARGIN, width=width, line_height=9, align="C")

        url = eservice_url(organisation.slug)
        qr_y = pdf.get_y() + 4
        draw_qr(pdf, url, x=(pdf.w - QR_SIZE) / 2, y=qr_y, size=QR_SIZE)
        pdf.set_xy(MARGIN, qr_y + QR_SIZE)
        pdf.set_font(FONT, size=13)
        pdf.set_text_color(*GREY)
        write_paragraph(pdf, url, x=MARGIN, width=width, line_height=6, align="C")
        pdf.set_text_color(0, 0, 0)

        pdf.ln(6)
        steps = [
            _("1. สแกน QR Code ด้วยกล้องโทรศัพท์มือถือ"),
            _("2. เลือกเรื่องที่ต้องการแจ้ง แล้วกรอกข้อมูลให้ครบ"),
            _("3. จดเลขคำร้องไว้ ใช้ติดตามผลการดำเนินงาน"),
        ]
        step_x = MARGIN + 12
        pdf.set_font(FONT, "B", size=21)
        for step in steps:
            write_paragraph(pdf, step, x=step_x, width=width - 12, line_height=11)
        pdf.set_font(FONT, size=15)
        pdf.ln(3)
        write_paragraph(
            pdf, _("ตรวจสอบผลดำเนินการ: %(url)s") % {"url": tracking_url(organisation.slug)},
            x=step_x, width=width - 12, line_height=7,
        )  # fmt: skip

        if organisation.phone:
            pdf.set_xy(MARGIN, pdf.h - MARGIN - 8)
            pdf.set_font(FONT, size=14)
            contact = _("สอบถาม โทร %(phone)s") % {"phone": organisation.phone}
            pdf.cell(width, 8, contact, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return bytes(pdf.output())


def poster_png(organisation: Organisation, *, language: str = "th", dpi: int = PNG_DPI) -> bytes:
    """The poster as a PNG image (A4 at `dpi`: 1240 × 1754 pixels at 150 dpi)."""
    document = pypdfium2.PdfDocument(poster_pdf(organisation, language=language))
    try:
        bitmap = document[0].render(scale=dpi / 72)
        image = bitmap.to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
