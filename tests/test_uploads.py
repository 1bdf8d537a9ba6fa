"""Upload validation: the type comes from the content, images are rebuilt without metadata,
and hostile files are refused with a Thai message that says what to do."""

from __future__ import annotations

import io
import time
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from onestop.cases.models import AttachmentKind
from onestop.cases.uploads import MAX_FILE_BYTES, MAX_IMAGE_SIDE, validate_upload
from tests.uploadfiles import (
    ELF,
    EXECUTABLE,
    GPS_IFD,
    HTML,
    MARKER,
    SVG,
    jpeg_bytes,
    jpeg_with_segments,
    pdf_bytes,
    png_bomb_bytes,
    png_bytes,
    png_chunk_types,
    png_with_chunks,
    upload,
    webp_chunk_types,
    webp_with_metadata,
)

DOCUMENT = AttachmentKind.DOCUMENT


def refusal(name: str, content: bytes, kind: AttachmentKind = DOCUMENT) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(name, content), kind=kind)
    return error.value


def test_a_photo_is_kept_as_a_jpeg_named_by_its_content() -> None:
    new_file = validate_upload(upload("ไฟดับ.png", jpeg_bytes()), kind=DOCUMENT)
    assert new_file.content_type == "image/jpeg"
    assert new_file.extension == "jpg"
    assert new_file.original_name == "ไฟดับ.jpg"
    assert Image.open(io.BytesIO(new_file.content)).format == "JPEG"


def test_the_stored_copy_of_a_photo_has_no_gps_position_or_other_exif() -> None:
    original = jpeg_bytes(gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test file has GPS
    new_file = validate_upload(upload("บ้าน.jpg", original), kind=DOCUMENT)
    stored = Image.open(io.BytesIO(new_file.content))
    assert dict(stored.getexif()) == {}
    assert b"PhoneMaker" not in new_file.content


def test_a_sideways_photo_is_turned_upright_before_its_exif_is_dropped() -> None:
    new_file = validate_upload(upload("a.jpg", jpeg_bytes(300, 100, orientation=6)), kind=DOCUMENT)
    assert Image.open(io.BytesIO(new_file.content)).size == (100, 300)


def test_a_large_photo_is_made_smaller() -> None:
    new_file = validate_upload(upload("big.jpg", jpeg_bytes(4000, 3000)), kind=DOCUMENT)
    assert max(Image.open(io.BytesIO(new_file.content)).size) == MAX_IMAGE_SIDE


def test_a_transparent_png_stays_a_png_and_a_webp_stays_a_webp() -> None:
    assert validate_upload(upload("a.png", png_bytes(alpha=True)), kind=DOCUMENT).extension == "png"
    out = io.BytesIO()
    Image.new("RGB", (50, 50)).save(out, "WEBP")
    assert validate_upload(upload("a.webp", out.getvalue()), kind=DOCUMENT).extension == "webp"


@pytest.mark.parametrize("content", [EXECUTABLE, ELF], ids=["windows", "linux"])
def test_it_refuses_a_program_renamed_jpg(content: bytes) -> None:
    error = refusal("รูปบ้าน.jpg", content)
    assert error.code == "unsupported_type"
    assert "ไม่ใช่รูปภาพ" in error.messages[0]


def test_it_refuses_an_html_page_renamed_pdf() -> None:
    assert refusal("เอกสาร.pdf", HTML).code == "unsupported_type"


def test_it_refuses_an_svg_image() -> None:
    assert refusal("logo.svg", SVG).code == "unsupported_type"


def test_it_refuses_a_20000_by_20000_png_bomb_quickly() -> None:
    started = time.monotonic()
    error = refusal("bomb.png", png_bomb_bytes(20_000))
    assert error.code == "too_many_pixels"
    assert time.monotonic() - started < 1.0


def test_it_refuses_a_bomb_just_over_the_limit_that_pillow_would_only_warn_about() -> None:
    assert refusal("bomb.png", png_bomb_bytes(10_000)).code == "too_many_pixels"  # 100 MP


def test_it_refuses_a_file_over_the_limit_without_reading_it() -> None:
    error = refusal("huge.jpg", b"\xff\xd8\xff" + b"\x00" * MAX_FILE_BYTES)
    assert error.code == "too_big"
    assert "10 MB" in error.messages[0]


def test_it_refuses_an_empty_file() -> None:
    assert refusal("empty.jpg", b"").code == "empty"


def test_it_refuses_a_jpeg_header_followed_by_garbage() -> None:
    assert refusal("broken.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 50).code == "broken_image"


def test_the_id_card_must_be_a_photo_not_a_pdf() -> None:
    error = refusal("บัตร.pdf", pdf_bytes(), kind=AttachmentKind.ID_CARD)
    assert "รูปบัตรประชาชน" in error.messages[0]


def test_a_filename_with_a_path_and_a_right_to_left_override_is_made_harmless() -> None:
    new_file = validate_upload(
        upload("../../etc/\u202egpj.exe\u202c.jpg", jpeg_bytes()), kind=DOCUMENT
    )
    assert "/" not in new_file.original_name
    assert ".." not in new_file.original_name
    assert "\u202e" not in new_file.original_name and "\u202c" not in new_file.original_name
    assert new_file.original_name.endswith(".jpg")


def _stored_copy(name: str, content: bytes) -> bytes:
    new_file = validate_upload(upload(name, content), kind=DOCUMENT)
    assert Image.open(io.BytesIO(new_file.content)).size  # still a picture
    return new_file.content


def test_a_jpeg_loses_its_comment_xmp_icc_and_other_application_segments() -> None:
    original = jpeg_with_segments()
    assert original.count(MARKER) == 5 and Image.open(io.BytesIO(original)).size == (320, 200)
    stored = _stored_copy("บ้าน.jpg", original)
    assert MARKER not in stored
    assert b"\xff\xfe" not in stored.split(b"\xff\xda")[0]  # no COM before the image data


@pytest.mark.parametrize("alpha", [False, True], ids=["stored-as-jpeg", "stored-as-png"])
def test_a_png_loses_its_text_and_exif_chunks(alpha: bool) -> None:
    original = png_with_chunks(alpha=alpha)
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf"} <= set(png_chunk_types(original))
    stored = _stored_copy("ภาพหน้าจอ.png", original)
    assert MARKER not in stored and zlib.compress(MARKER) not in stored
    if alpha:
        assert set(png_chunk_types(stored)) <= {b"IHDR", b"IDAT", b"IEND"}


@pytest.mark.parametrize("alpha", [False, True], ids=["opaque", "transparent"])
def test_a_webp_loses_its_exif_xmp_and_icc_chunks(alpha: bool) -> None:
    original = webp_with_metadata(alpha=alpha)
    assert original.count(MARKER) == 3
    stored = _stored_copy("รูป.webp", original)
    assert stored[:4] == b"RIFF" and stored[8:12] == b"WEBP"
    assert MARKER not in stored
    assert {b"EXIF", b"XMP ", b"ICCP"} <= set(webp_chunk_types(original))
    assert not {b"EXIF", b"XMP ", b"ICCP"} & set(webp_chunk_types(stored))
