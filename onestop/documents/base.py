"""What every printed document shares: an A4 fpdf2 document with the bundled Sarabun font and
Thai shaping, QR codes drawn as vector squares, and the organisation's logo."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import segno
from fpdf import FPDF
from PIL import Image

if TYPE_CHECKING:
    from onestop.organisations.models import Organisation

logger = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent.parent / "core" / "data" / "fonts"
FONT = "Sarabun"
BLACK = (0, 0, 0)
GREY = (90, 90, 90)
RED = (180, 0, 0)


def new_pdf(pdf: FPDF | None = None) -> FPDF:
    """An A4 portrait document in millimetres, Sarabun regular and bold, harfbuzz shaping on
    (Thai vowels and tone marks need it), personal data kept out of the metadata."""
    pdf = pdf or FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "Sarabun-Regular.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "Sarabun-Bold.ttf"))
    pdf.set_text_shaping(True)
    pdf.set_font(FONT, size=14)
    pdf.set_creator("OneStop")
    pdf.set_producer("OneStop")
    pdf.set_lang("th")
    return pdf


def draw_qr(pdf: FPDF, data: str, *, x: float, y: float, size: float) -> segno.QRCode:
    """A QR code of `data` as filled squares (sharp at any print size), `size` mm wide including
    the quiet zone of 4 modules the standard asks for. Returns the segno code drawn."""
    code = segno.make(data, error="m", micro=False)
    border = 4
    modules = len(code.matrix)
    module = size / (modules + 2 * border)
    pdf.set_fill_color(*BLACK)
    for row_index, row in enumerate(code.matrix):
        column = 0
        while column < modules:  # one rectangle per run of dark modules in a row
            if not row[column]:
                column += 1
                continue
            start = column
            while column < modules and row[column]:
                column += 1
            pdf.rect(
                x + (border + start) * module,
                y + (border + row_index) * module,
                (column - start) * module,
                module,
                style="F",
            )
    return code


def logo_bytes(organisation: Organisation) -> bytes | None:
    """The organisation's logo, or None without one or when its file cannot be read (the
    document is still printed, without the logo)."""
    if not organisation.logo:
        return None
    try:
        with organisation.logo.open("rb") as handle:
            data: bytes = handle.read()
    except OSError:
        logger.warning("Logo of organisation %s cannot be read", organisation.pk)
        return None
    return data


def draw_logo(
    pdf: FPDF, data: bytes, *, x: float, y: float, height: float, centre_in: float | None = None
) -> float:
    """Place the logo `height` mm high at `x` (or centred in the `centre_in` mm from `x`);
    returns the width used, 0 when it cannot be drawn (the document goes on without it)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width = height * image.width / image.height
        if centre_in is not None:
            x += (centre_in - width) / 2
        pdf.image(io.BytesIO(data), x=x, y=y, h=height)
    except Exception:  # a broken or unsupported image must not stop the document
        logger.warning("Logo cannot be drawn", exc_info=True)
        return 0.0
    return width
