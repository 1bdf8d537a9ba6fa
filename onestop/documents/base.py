"""What every printed document shares: an A4 fpdf2 document with the bundled Sarabun font and
Thai shaping, QR codes drawn as vector squares, and the organisation's logo."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import segno
from fpdf import FPDF
from fpdf.fonts import TTFFont
from PIL import Image

if TYPE_CHECKING:
    from onestop.organisations.models import Organisation

logger = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent.parent / "core" / "data" / "fonts"
FONT = "Sarabun"
BLACK = (0, 0, 0)
GREY = (90, 90, 90)
RED = (180, 0, 0)


class ThaiTextFont(TTFFont):
    """fpdf2's TrueType font with a better map from shaped glyphs back to text, so that Thai
    can be searched and copied from the PDF.

    The shaper may draw one character as two glyphs (`ำ` is drawn as `ํ` + `า`) or two as one
    (`ํ` and a tone mark as one glyph). fpdf2 gives all the characters of such a cluster to its
    first glyph and none to the others, so a reader sees `ตำ บล` for `ตำบล`. Here the
    characters are shared out in order: each glyph after the first gets one, and the first
    gets the rest; with fewer characters than glyphs, the last glyphs get them. `ตำบล` and
    `น้ำ` then come back exactly (`pdftotext -raw`); what is drawn does not change."""

    __slots__ = ()

    def shape_text(
        self, text: str, font_size_pt: float, text_shaping_params: dict[str, Any] | None
    ) -> Sequence[dict[str, Any]]:
        if not text:
            return []
        infos, positions = self.perform_harfbuzz_shaping(text, font_size_pt, text_shaping_params)
        starts = sorted({int(info.cluster) for info in infos})
        characters: dict[int, list[int]] = {}
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(text)
            characters[start] = [ord(ch) for ch in text[0 if index == 0 else start : end]]
        glyphs: dict[int, list[int]] = {}
        for sequence, info in enumerate(infos):
            glyphs.setdefault(int(info.cluster), []).append(sequence)
        codes: dict[int, tuple[int, ...]] = {}
        for cluster, sequences in glyphs.items():
            chars, count = characters.get(cluster, []), len(sequences)
            if len(chars) >= count:
                parts = [chars[: len(chars) - count + 1]] + [
                    [c] for c in chars[len(chars) - count + 1 :]
                ]
            else:
                parts = [[] for _ in range(count - len(chars))] + [[c] for c in chars]
            codes.update(
                (sequence, tuple(part)) for sequence, part in zip(sequences, parts, strict=True)
            )

        x_offsets = _reading_order_offsets(
            [p.x_advance for p in positions], [p.x_offset for p in positions]
        )
        shaped = []
        for sequence, info in enumerate(infos):
            name = self.ttfont.getGlyphName(info.codepoint)
            width = round(self.scale * self.ttfont["hmtx"].metrics[name][0])
            glyph = self.subset.get_glyph(
                glyph=info.codepoint, unicode=codes[sequence], glyph_name=name, glyph_width=width
            )
            if glyph is None:
                continue
            position, x_offset = positions[sequence], x_offsets[sequence]
            shaped.append(
                {
                    "mapped_char": self.subset.pick_glyph(glyph),
                    "x_advance": position.x_advance,
                    "y_advance": position.y_advance,
                    "x_offset": x_offset,
                    "y_offset": position.y_offset,
                    "force_positioning": bool(
                        width != position.x_advance
                        or x_offset
                        or position.y_offset
                        or position.y_advance
                    ),
                }
            )
        return shaped


_NUDGE = 12  # font units (1/1000 em): 0.06 mm at 14 pt, not visible


def _reading_order_offsets(advances: list[int], offsets: list[int]) -> list[int]:
    """Horizontal mark offsets nudged by at most `_NUDGE` units so that, left to right, glyphs
    stand in reading order: text extractors that sort by position (`pdftotext` without `-raw`,
    copy-paste in some viewers) then read `ย่า` and `ที่นี่`, not `ยา่` and `ท่ีน่ี`.

    A mark (no advance) a hair right of its base would come after the next letter; a second
    mark a hair left of the first would come before it. Larger offsets are real placement
    (a tone mark moved clear of another mark) and stay as they are."""
    result = list(offsets)
    for index, advance in enumerate(advances):
        if advance:
            continue
        if 0 < result[index] <= _NUDGE:  # not past the next letter, which starts here
            result[index] = 0
        if index and not advances[index - 1]:  # not left of the mark before it
            gap = result[index - 1] - result[index]
            if 0 < gap <= _NUDGE:
                result[index] = result[index - 1]
    return result


def new_pdf(pdf: FPDF | None = None) -> FPDF:
    """An A4 portrait document in millimetres, Sarabun regular and bold, harfbuzz shaping on
    (Thai vowels and tone marks need it), personal data kept out of the metadata."""
    pdf = pdf or FPDF(orientation="portrait", unit="mm", format="A4")
    for style, file in (("", "Sarabun-Regular.ttf"), ("B", "Sarabun-Bold.ttf")):
        pdf.add_font(FONT, style, str(FONT_DIR / file))
        font = pdf.fonts[f"{FONT.lower()}{style}"]
        if type(font) is TTFFont:  # same memory layout: only shape_text differs
            font.__class__ = ThaiTextFont
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
