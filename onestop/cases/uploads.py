"""Checking a file a citizen (or officer) uploads, before it is kept anywhere.

Use it like this, for every uploaded file, then hand the result to `case_submit` or
`attachment_add`:

    from onestop.cases.uploads import validate_upload
    try:
        new_file = validate_upload(request.FILES["photo"], kind=AttachmentKind.DOCUMENT)
    except ValidationError as error:
        form.add_error("photo", error)   # the message is in Thai and says what to do

What it guarantees about the returned `NewFile`:
- the type is decided by the content (JPEG, PNG, WebP or PDF), never by the name or by the
  browser's content type; anything else (SVG, HTML, programs, archives) is refused;
- images are decoded and encoded again (which drops anything hidden in them), turned upright
  from their EXIF orientation, stripped of all metadata (GPS position, camera, date) and made
  at most `MAX_IMAGE_SIDE` pixels on the longer side; images larger than `MAX_IMAGE_PIXELS`
  are refused from their header, before any decoding (decompression bombs);
- PDFs start with `%PDF-` and contain no JavaScript, launch action or embedded file (also
  looked for inside compressed streams); they are kept byte for byte;
- `original_name` is a display-only name (no path, no control or right-to-left override
  characters): see `sanitise_filename`.

The limits are constants so that forms can tell citizens before they upload.
Not done: HEIC (iPhone photos are sent as JPEG by the browser's file picker in most cases)."""

from __future__ import annotations

import io
import re
import warnings
import zlib

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from onestop.cases.models import AttachmentKind
from onestop.cases.services import NewFile, sanitise_filename

MAX_FILE_BYTES = 10 * 1024 * 1024  # per file, as uploaded
MAX_FILES = 5  # supporting documents per request (the ID-card photo is counted apart)
MAX_IMAGE_SIDE = 2000  # pixels on the longer side of the stored copy
MAX_IMAGE_PIXELS = 50_000_000  # width x height in the header; more is refused without decoding
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
DOCUMENT_TYPES = (*IMAGE_TYPES, "application/pdf")
# For <input type="file" accept="...">: a hint to the phone's picker, never trusted.
ACCEPT_DOCUMENT = ".jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,application/pdf"
ACCEPT_IMAGE = ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp"

_PIL_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
# PDF names that run code or carry other files. `#xx` escapes in names are decoded first.
_PDF_DANGEROUS = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_PDF_INFLATE_PER_STREAM = 4 * 1024 * 1024  # object streams (where actions hide) are small
_PDF_INFLATE_BUDGET = 40 * 1024 * 1024  # in all, so that a zip bomb cannot stall the server


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _error_not_supported(kind: AttachmentKind) -> ValidationError:
    if kind == AttachmentKind.RESULT:
        return _refuse(_("ภาพผลการดำเนินงานต้องเป็นไฟล์รูปภาพ JPG, PNG หรือ WebP"), "unsupported_type")
    if kind == AttachmentKind.ID_CARD:
        return _refuse(
            _("รูปบัตรประชาชนต้องเป็นไฟล์รูปภาพ JPG, PNG หรือ WebP กรุณาถ่ายรูปใหม่แล้วแนบอีกครั้ง"),
            "unsupported_type",
        )
    return _refuse(
        _("ไฟล์นี้ไม่ใช่รูปภาพ (JPG, PNG, WebP) หรือ PDF ที่ระบบรับได้ กรุณาเลือกไฟล์อื่น"),
        "unsupported_type",
    )


def sniff_content_type(head: bytes) -> str | None:
    """The type of a file from its first bytes, or None for a type we do not accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def validate_upload(uploaded_file: File[bytes], *, kind: AttachmentKind) -> NewFile:
    """Check `uploaded_file` and return a `NewFile` safe to store, or raise ValidationError.

    1. Refuse an empty file or one over `MAX_FILE_BYTES` (without reading it all).
    2. Decide the type from the first bytes; refuse anything but JPEG/PNG/WebP/PDF (and PDF for
       a photo: the ID card, staff's result photos).
    3. Images: refuse a huge pixel count from the header, then decode, turn upright, drop
       metadata, shrink, encode again. PDFs: check the header and look for active content."""
    name = sanitise_filename(getattr(uploaded_file, "name", None) or "file")
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise _too_big()
    uploaded_file.seek(0)
    content = uploaded_file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise _too_big()
    if not content:
        raise _refuse(_("ไฟล์นี้ว่างเปล่า กรุณาเลือกไฟล์อื่น"), "empty")

    content_type = sniff_content_type(content[:16])
    photo_only = kind in {AttachmentKind.ID_CARD, AttachmentKind.RESULT}
    if content_type is None or (photo_only and content_type not in IMAGE_TYPES):
        raise _error_not_supported(kind)
    if content_type == "application/pdf":
        _check_pdf(content)
        return NewFile(content, name, content_type, "pdf", kind)
    data, content_type = _reencode_image(content, content_type, kind)
    return NewFile(data, _with_extension(name, _EXTENSIONS[content_type]), content_type,
                   _EXTENSIONS[content_type], kind)  # fmt: skip


def _too_big() -> ValidationError:
    return _refuse(
        _("ไฟล์ใหญ่เกิน %(limit)s MB กรุณาย่อรูปหรือเลือกไฟล์ที่เล็กลง")
        % {"limit": MAX_FILE_BYTES // (1024 * 1024)},
        "too_big",
    )


def _with_extension(name: str, extension: str) -> str:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}.{extension}"


def _reencode_image(content: bytes, content_type: str, kind: AttachmentKind) -> tuple[bytes, str]:
    broken = _refuse(_("เปิดรูปภาพนี้ไม่ได้ ไฟล์อาจเสียหาย กรุณาถ่ายรูปหรือเลือกไฟล์ใหม่"), "broken_image")
    bomb = _refuse(
        _("รูปภาพนี้มีขนาดพิกเซลใหญ่เกินไป กรุณาย่อรูปก่อนแนบ (ไม่เกิน %(mp)s ล้านพิกเซล)")
        % {"mp": MAX_IMAGE_PIXELS // 1_000_000},
        "too_many_pixels",
    )
    try:
        # Pillow reads only the header here; its own bomb warning becomes an error.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise bomb from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise broken from None
    with image:
        if _PIL_FORMATS.get(image.format or "") != content_type:
            raise _error_not_supported(kind)
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise bomb
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise broken from None
        try:
            upright.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
            return _encode(upright, content_type)
        except (OSError, ValueError):  # an unusual pixel mode we cannot convert
            raise broken from None


def _encode(image: Image.Image, content_type: str) -> tuple[bytes, str]:
    """Encode a fresh copy with no metadata: no EXIF, no ICC-less surprises, no text chunks."""
    out = io.BytesIO()
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    if content_type == "image/jpeg" or (content_type == "image/png" and not has_alpha):
        # Photos (and PNG screenshots without transparency) are stored as JPEG: far smaller.
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
        return out.getvalue(), "image/jpeg"
    if content_type == "image/webp":
        image.convert("RGBA" if has_alpha else "RGB").save(out, "WEBP", quality=80)
        return out.getvalue(), "image/webp"
    image.convert("RGBA").save(out, "PNG", optimize=True)
    return out.getvalue(), "image/png"


def _check_pdf(content: bytes) -> None:
    """Refuse a PDF with JavaScript, a launch action or embedded files, also inside Flate
    streams (the first 4 MB of each, 40 MB in all). Not a full PDF parser: it catches the
    usual active content; the files are never opened by the server or shown inline."""
    active = _refuse(
        _("ไฟล์ PDF นี้มีสคริปต์หรือไฟล์ซ่อนอยู่ ระบบรับไม่ได้ กรุณาพิมพ์เป็น PDF ใหม่หรือแนบเป็นรูปภาพ"),
        "pdf_active_content",
    )
    if _has_dangerous_name(content):
        raise active
    budget = _PDF_INFLATE_BUDGET
    for match in _PDF_STREAM.finditer(content):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match.group(1), _PDF_INFLATE_PER_STREAM)
        except zlib.error:
            continue  # not a Flate stream (a JPEG image, say)
        if _has_dangerous_name(inflated):
            raise active
        budget -= len(inflated)
        if budget <= 0:
            break


def _has_dangerous_name(data: bytes) -> bool:
    decoded = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    return _PDF_DANGEROUS.search(decoded) is not None
