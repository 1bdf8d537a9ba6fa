"""Thai line breaking: lines end between words, never inside one, and never overflow their box."""

from __future__ import annotations

import random
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from fpdf import FPDF

from onestop.documents.base import new_pdf
from onestop.documents.thai_text import printable, words, wrap_thai, write_paragraph

SENTENCES = [
    "ไฟส่องสว่างหน้าบ้านดับมาสามคืนแล้ว ช่วงกลางคืนมืดมาก เด็กและผู้สูงอายุเดินลำบาก",
    "ถนนในหมู่บ้านชำรุดเป็นหลุมเป็นบ่อ น้ำท่วมขังทุกครั้งที่ฝนตก ขอให้ซ่อมโดยด่วน",
    "ขอความอนุเคราะห์ตัดกิ่งไม้ที่ยื่นเข้ามาในเขตสายไฟฟ้าแรงสูงบริเวณหน้าวัดเชียงทอง",
    "กลิ่นเหม็นจากฟาร์มสุกรรบกวนผู้อยู่อาศัยในชุมชนตั้งแต่เดือนตุลาคมที่ผ่านมา",
    "น้ำประปาไม่ไหลสองวันแล้ว ปู่ย่าตายายต้องไปตักน้ำจากบ่อที่อยู่ไกลออกไปหนึ่งกิโลเมตร",
]


@pytest.fixture(scope="module")
def pdf() -> FPDF:
    document = new_pdf()
    document.add_page()
    document.set_font_size(14)
    return document


def _break_offsets(lines: list[str]) -> list[int]:
    """Where each line after the first starts, counted in characters without spaces."""
    offsets, total = [], 0
    for line in lines[:-1]:
        total += len(line.replace(" ", ""))
        offsets.append(total)
    return offsets


def _word_offsets(text: str) -> set[int]:
    offsets, total = {0}, 0
    for word in words(text):
        if not word.isspace():
            total += len(word)
            offsets.add(total)
    return offsets


@pytest.mark.parametrize("width", [40, 63, 90, 150])
def test_lines_end_only_between_words(pdf: FPDF, width: float) -> None:
    for sentence in SENTENCES:
        assert max(pdf.get_string_width(w) for w in words(sentence)) < width  # all can fit
        lines = wrap_thai(pdf, sentence, width)

        assert "".join(lines).replace(" ", "") == sentence.replace(" ", "")  # nothing lost
        assert set(_break_offsets(lines)) <= _word_offsets(sentence), lines


@pytest.mark.parametrize("width", [8, 15, 25, 40, 63, 90])
def test_no_line_is_wider_than_the_box(pdf: FPDF, width: float) -> None:
    rng = random.Random(width)
    for _ in range(10):
        text = " ".join(rng.sample(SENTENCES, 3)).replace(" ", rng.choice(["", " "]), 2)
        for line in wrap_thai(pdf, text, width):
            assert pdf.get_string_width(line) <= width + 1e-6, line


def test_known_words_are_never_cut(pdf: FPDF) -> None:
    text = "ผู้สูงอายุ " * 12 + "กรุงเทพมหานคร" * 3

    lines = wrap_thai(pdf, text, 45)

    assert len(lines) > 3
    for line in lines[:-1]:
        assert line.endswith(("ผู้สูงอายุ", "กรุงเทพมหานคร")), line


def test_place_names_stay_whole(pdf: FPDF) -> None:
    address = "บ้านเลขที่ 12/3 หมู่ที่ 4 ถนนพหลโยธิน ตำบลเชียงทอง อำเภอวังเจ้า จังหวัดตาก 63180"

    for width in range(30, 120, 3):
        for line in wrap_thai(pdf, address, width):
            assert not line.endswith(("วัง", "เชียง", "ตำบล", "อำเภอ", "จังหวัด")), (width, line)
            assert not line.startswith(("เจ้า", "ทอง")), (width, line)


def test_no_line_starts_with_a_mark_repeat_sign_or_closing_bracket(pdf: FPDF) -> None:
    text = "ปัญหาต่างๆ (ด่วนมาก) มีมากมายหลายอย่าง ฯลฯ ขยะ, น้ำเสีย, เสียงดัง! " * 6

    for width in range(20, 90, 7):
        for line in wrap_thai(pdf, text, width):
            assert unicodedata.category(line[0]) not in {"Mn", "Mc"}, line
            assert line[0] not in "ๆ),!", line
            assert not line.endswith("("), line


def test_numbers_phone_numbers_and_english_words_are_kept_whole(pdf: FPDF) -> None:
    text = "โทรติดต่อ 081-234-5678 หรือ LINE ID somchai_2569 เรื่อง OneStop ครับ " * 5

    lines = wrap_thai(pdf, text, 40)

    joined = "\n".join(lines)
    for token in ("081-234-5678", "somchai_2569", "OneStop"):
        assert joined.count(token) == 5


def test_a_word_longer_than_the_line_still_wraps(pdf: FPDF) -> None:
    long_thai = "กรุงเทพมหานครอมรรัตนโกสินทร์มหินทรายุทธยามหาดิลกภพนพรัตน์ราชธานีบุรีรมย์"
    url = "https://onestop.example.go.th/wangchao/track/?number=6904217883156&lang=th"

    thai_lines = wrap_thai(pdf, long_thai, 30)
    url_lines = wrap_thai(pdf, url, 30)

    assert len(thai_lines) > 2 and "".join(thai_lines) == long_thai
    assert len(url_lines) > 2 and "".join(url_lines) == url
    assert all(pdf.get_string_width(line) <= 30 for line in thai_lines + url_lines)
    for line in thai_lines:  # cut between clusters: a vowel or tone mark stays with its letter
        assert unicodedata.category(line[0]) not in {"Mn", "Mc"}
        assert line[-1] not in "เแโใไ"  # a leading vowel never ends a line
    assert url_lines[0].endswith("/")  # cut at a slash where it can be


def test_a_line_of_unbreakable_latin_is_cut_between_characters(pdf: FPDF) -> None:
    lines = wrap_thai(pdf, "A" * 200, 30)

    assert "".join(lines) == "A" * 200
    assert all(0 < pdf.get_string_width(line) <= 30 for line in lines)


def test_line_breaks_and_empty_lines_in_the_text_are_kept(pdf: FPDF) -> None:
    assert wrap_thai(pdf, "บรรทัดแรก\r\n\nบรรทัดที่สาม\n", 100) == [
        "บรรทัดแรก", "", "บรรทัดที่สาม", "",
    ]  # fmt: skip
    assert wrap_thai(pdf, "", 100) == [""]
    assert wrap_thai(pdf, "   ", 100) == [""]


def test_spaces_never_start_or_end_a_line(pdf: FPDF) -> None:
    text = "คำ   หนึ่ง  คำ   สอง   " * 20

    for line in wrap_thai(pdf, text, 35):
        assert line == line.strip()


def test_write_paragraph_continues_on_a_new_page() -> None:
    document = new_pdf()
    document.set_auto_page_break(True, margin=20)
    document.add_page()

    written = write_paragraph(document, "\n".join(SENTENCES * 12), width=100, line_height=8)

    assert written >= len(SENTENCES) * 12
    assert document.page_no() >= 2


def test_the_tokenizer_works_offline_without_downloading_anything(tmp_path: Path) -> None:
    """newmm's dictionary ships inside PyThaiNLP: no network, no data directory needed."""
    code = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from onestop.documents.thai_text import words\n"
        "print('|'.join(words('อำเภอวังเจ้าน้ำท่วม')))\n"
    )
    env = {"HOME": str(tmp_path), "PYTHAINLP_DATA": str(tmp_path / "data"), "PATH": "/usr/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, env=env, timeout=60,
        cwd=Path(__file__).resolve().parent.parent, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "อำเภอวังเจ้า|น้ำท่วม"
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_control_format_and_glyphless_characters_are_dropped(pdf: FPDF) -> None:
    assert printable(pdf, "ก\x00ข\x1bค\u202eง\u200bจ😀ฉ漢ช\tซ\u00a0ฌ") == "กขคงจฉช ซ ฌ"
    assert printable(pdf, "เ\u0e01\u0e48") == "เก่"  # Thai marks are kept
    assert wrap_thai(pdf, "ข้อความ\u202e\u202dกลับด้าน", 100) == ["ข้อความกลับด้าน"]


def test_the_compact_dictionary_cuts_words_exactly_as_pythainlps_trie() -> None:
    """The word set (10 MB a process instead of 60) gives newmm the same answers as the trie it
    replaces, on requests' words, place names and mixed text."""
    from pythainlp.corpus.common import thai_words  # noqa: PLC0415
    from pythainlp.tokenize import word_tokenize  # noqa: PLC0415
    from pythainlp.util import dict_trie  # noqa: PLC0415

    from onestop.documents.thai_text import _dictionary, _place_names  # noqa: PLC0415

    trie = dict_trie(set(thai_words()) | _place_names())
    texts = [
        "ไฟฟ้าส่องสว่างดับหลายจุดบริเวณหน้าโรงเรียนบ้านหนองบัว ตำบลวังเจ้า อำเภอวังเจ้า จังหวัดตาก",
        "ขอรับการสนับสนุนน้ำอุปโภคบริโภค เนื่องจากบ่อบาดาลแห้ง 3 หลังคาเรือน",
        "ถนนชำรุดเป็นหลุมบ่อ รถจักรยานยนต์ล้มเมื่อวานนี้ (โทร. 081-234-5678)",
        "กรุงเทพมหานครอมรรัตนโกสินทร์มหินทรายุทธยาฯ",
        *sorted(_place_names())[:300],
    ]
    for text in texts:
        assert word_tokenize(text, engine="newmm", custom_dict=_dictionary()) == word_tokenize(
            text, engine="newmm", custom_dict=trie
        ), text
    assert "ไฟฟ้า" in _dictionary() and "ไฟฟ้าx" not in _dictionary()
