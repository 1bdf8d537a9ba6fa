"""Thai line breaking for fpdf2.

Thai is written without spaces between words, so fpdf2's own wrapping (which breaks at spaces)
cuts Thai words in half. Here a line may end only between words, as found by PyThaiNLP's
dictionary tokenizer `newmm` (its dictionary ships in the package: nothing is downloaded).

Rules, in order:
1. A run of non-Thai characters without spaces (a number, an English word, a phone number, a
   URL) is one word.
2. Characters that may not start a line (`ๆ`, `ฯ`, closing brackets and punctuation) stick to
   the word before; opening brackets and quotes stick to the word after.
3. A word wider than the whole line is cut: a URL after `/`, `?`, `&`, `=`, `.`, `-`; Thai
   between character clusters (TCC), so a vowel or tone mark never leaves its consonant; and
   as a last resort between characters.
The dictionary is PyThaiNLP's plus the names of Thailand's provinces, districts and subdistricts
(from the bundled address data), so that a place name such as "วังเจ้า" stays whole, and with
its prefix ("อำเภอวังเจ้า"). Lines are
measured with the PDF's current font and shaping, so they never exceed the width."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import TTFFont
from pythainlp.corpus.common import thai_words
from pythainlp.tokenize import tcc, word_tokenize
from pythainlp.util import Trie

ADDRESSES = Path(__file__).resolve().parent.parent / "core" / "data" / "thai_addresses.json"

_THAI = re.compile(r"[\u0E00-\u0E7F]")
_SPACE = re.compile(r"(\s+)")
_NO_LINE_START = frozenset("ๆฯ)]}>»”’.,:;!?%、")
_NO_LINE_END = frozenset("([{<«“‘")
# "ตำบล", "อำเภอ"... stay with the place name that follows: "อำเภอ|วังเจ้า" is not cut.
_PLACE_PREFIXES = frozenset(["จังหวัด", "อำเภอ", "ตำบล", "เขต", "แขวง", "กิ่งอำเภอ"])
_URL_BREAK = re.compile(r"(?<=[/?&=#.\-_])")


def _is_thai(text: str) -> bool:
    return bool(_THAI.search(text))


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    data = json.loads(ADDRESSES.read_text(encoding="utf-8"))
    names = {row[1] for row in data["provinces"]}
    names |= {row[2] for row in data["districts"]} | {row[2] for row in data["subdistricts"]}
    return frozenset(names)


class WordSet(Trie):
    """A dictionary for `newmm` as a set of words instead of PyThaiNLP's node-per-letter trie:
    the same answers (`prefixes`, `in`) in about 10 MB instead of about 60 MB a process
    (bench/memory.py). A prefix is looked up by its length; the short stems (up to `STEM`
    letters) of every word let a position without any word stop at once."""

    STEM = 4

    def __init__(self, words: Iterable[str]) -> None:
        super().__init__([])
        self.words = frozenset(word for word in words if word)
        self.stems = frozenset(
            word[:size] for word in self.words for size in range(1, min(len(word), self.STEM) + 1)
        )
        self.longest = max((len(word) for word in self.words), default=0)

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        found: list[str] = []
        end = min(len(text), start + self.longest)
        for stop in range(start + 1, end + 1):
            piece = text[start:stop]
            if stop - start <= self.STEM and piece not in self.stems:
                break
            if piece in self.words:
                found.append(piece)
        return found

    def __contains__(self, key: object) -> bool:
        return key in self.words

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)


@lru_cache(maxsize=1)
def _dictionary() -> WordSet:
    """PyThaiNLP's word list and Thailand's place names, built once a process (under 1 s)."""
    return WordSet(set(thai_words()) | _place_names())


def _joins(previous: str, token: str) -> bool:
    """Whether no line may break between `previous` and `token` (rules 1 and 2)."""
    return (
        (not _is_thai(token) and not _is_thai(previous))  # "081" "-" "234" → "081-234"
        or token[0] in _NO_LINE_START
        or previous[-1] in _NO_LINE_END
        or (previous in _PLACE_PREFIXES and token in _place_names())
    )


@lru_cache(maxsize=4096)
def _words_of_chunk(chunk: str) -> tuple[str, ...]:
    """The words of a run of text without whitespace (rules 1 and 2)."""
    if not _is_thai(chunk):
        return (chunk,)
    words: list[str] = []
    for token in word_tokenize(
        chunk, engine="newmm", custom_dict=_dictionary(), keep_whitespace=False
    ):
        if words and _joins(words[-1], token):
            words[-1] += token
        else:
            words.append(token)
    return tuple(words)


def words(text: str) -> list[str]:
    """`text` (one paragraph) as words and whitespace runs, in order; joined they give `text`."""
    result: list[str] = []
    for piece in _SPACE.split(text):
        if not piece:
            continue
        if piece.isspace():
            result.append(piece)
        else:
            result.extend(_words_of_chunk(piece))
    return result


def _with_marks(pieces: list[str]) -> list[str]:
    """`pieces` with any piece that starts with a combining mark joined to the one before."""
    joined: list[str] = []
    for piece in pieces:
        if joined and unicodedata.category(piece[0]) in {"Mn", "Mc", "Me"}:
            joined[-1] += piece
        elif piece:
            joined.append(piece)
    return joined


def _cut_points(word: str) -> list[str]:
    """The preferred pieces of a word too wide for a line (rule 3): Thai character clusters, or
    the parts of a URL or path."""
    if _is_thai(word):
        return _with_marks(tcc.segment(word))
    return _with_marks(_URL_BREAK.split(word))


def _width(pdf: FPDF, text: str) -> float:
    """`pdf.get_string_width(text)` for our plain left-to-right text, about 20 times faster
    (straight to harfbuzz, past fpdf2's bidi and markdown parsing)."""
    font = pdf.current_font
    if isinstance(font, TTFFont) and pdf.font_stretching == 100 and not pdf.char_spacing:
        return float(font.get_text_width(text, pdf.font_size_pt, pdf.text_shaping)[1]) / pdf.k
    return pdf.get_string_width(text)


def _fits(pdf: FPDF, text: str, width: float) -> bool:
    return _width(pdf, text) <= width


def printable(pdf: FPDF, text: str) -> str:
    """`text` as it can be printed with the current font: NFC; tabs as spaces; without control
    and format characters (a right-to-left override would print `exe.png` for `gnp.exe`), and
    without characters the font has no glyph for (emoji, CJK), which would print as nothing
    and fill the log with warnings."""
    font = pdf.current_font
    cmap = font.cmap if isinstance(font, TTFFont) else None
    kept = []
    for ch in unicodedata.normalize("NFC", text).replace("\t", " "):
        if ch == "\n":
            kept.append(ch)
        elif unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"}:
            continue
        elif cmap is None or ord(ch) in cmap or ch.isspace():
            kept.append(" " if ch.isspace() else ch)
    return "".join(kept)


def _wrap_paragraph(pdf: FPDF, paragraph: str, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for token in words(paragraph):
        if token.isspace():
            if current:  # a space never starts a line; at the end of one it is dropped
                current += " "
            continue
        if _fits(pdf, current + token, width):
            current += token
            continue
        if _fits(pdf, token, width):
            if current.strip():
                lines.append(current.rstrip())
            current = token
            continue
        # Wider than a whole line: fill the rest of this line, then go on cutting at the
        # preferred points, and between characters where a piece is still too wide.
        for piece in _cut_points(token):
            parts = [piece] if _fits(pdf, piece, width) else _with_marks(list(piece))
            for part in parts:
                if current.strip() and not _fits(pdf, current + part, width):
                    lines.append(current.rstrip())
                    current = ""
                current += part
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def wrap_thai(pdf: FPDF, text: str, width: float) -> list[str]:
    """`text` as lines no wider than `width` (user units) in the PDF's current font, broken at
    word boundaries. Line breaks in `text` are kept; an empty paragraph gives an empty line."""
    text = printable(pdf, text.replace("\r\n", "\n").replace("\r", "\n"))
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(pdf, paragraph.strip(), width))
    return lines


def write_lines(
    pdf: FPDF,
    lines: list[str],
    *,
    x: float,
    width: float,
    line_height: float,
    align: str = "L",
) -> None:
    """Write lines already wrapped to `width`, one cell each, continuing on a new page when the
    page is full (fpdf2's automatic page break keeps `x`)."""
    margin, pdf.c_margin = pdf.c_margin, 0  # the measured width is exactly the cell's
    try:
        for line in lines:
            pdf.set_x(x)
            pdf.cell(width, line_height, line, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)
    finally:
        pdf.c_margin = margin


def write_paragraph(
    pdf: FPDF,
    text: str,
    *,
    width: float | None = None,
    line_height: float | None = None,
    x: float | None = None,
    align: str = "L",
) -> int:
    """Write `text` wrapped at Thai word boundaries from the current position (or `x`) in a box
    `width` wide (default: to the right margin). Returns the number of lines written."""
    left = pdf.get_x() if x is None else x
    box = width if width is not None else pdf.w - pdf.r_margin - left
    height = line_height if line_height is not None else pdf.font_size * 1.5
    lines = wrap_thai(pdf, text, box)
    write_lines(pdf, lines, x=left, width=box, line_height=height, align=align)
    return len(lines)


@lru_cache(maxsize=1024)
def shorten(text: str, limit: int) -> str:
    """`text` on one line, at most `limit` characters, cut only between words, with "…" when
    something was left out. Thai is cut at a space (its phrase break) when one falls in the
    second half of the limit, else between the words PyThaiNLP finds; a first word longer than
    the limit is left whole rather than cut in half."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    kept = ""
    at_space = ""
    for word in words(flat):
        if len(kept) + len(word) > limit - 1:
            break
        kept += word
        if word.isspace():
            at_space = kept
    if len(at_space) * 2 >= limit:
        kept = at_space
    kept = kept.rstrip(" ,;:-–(")
    return (kept or words(flat)[0]) + "…"
