"""Checking a file a citizen (or officer) uploads, before it is kept anywhere.

Forms use it like this, for each file field (one file or several), then hand the result to
`case_submit` or `attachment_add`:

    from onestop.cases import uploads

    def clean_documents(self) -> tuple[NewFile, ...]:
        # at most MAX_FILES; each refusal names its file, in Thai, and says what to do
        files = self.cleaned_data["documents"]
        return uploads.validate_uploads(files, kind=AttachmentKind.DOCUMENT)

`validate_upload` checks one file (what `validate_uploads` runs for each).

What it guarantees about the returned `NewFile`:
- the type is decided by the content (JPEG, PNG, WebP or PDF), never by the name or by the
  browser's content type; anything else (SVG, HTML, programs, archives) is refused;
- images are decoded and a fresh image is encoded from their pixels alone (which drops anything
  hidden in them: EXIF with the GPS position, XMP, ICC profiles (colours converted to sRGB
  first), JPEG comments and APPn segments, PNG text and eXIf chunks, WebP EXIF and XMP), turned
  upright from their EXIF orientation and made at most `MAX_IMAGE_SIDE` pixels on the longer
  side; images larger than `MAX_IMAGE_PIXELS` are refused from their header, before any
  decoding (decompression bombs);
- PDFs are rewritten by `pdfclean` in a child process with memory and time limits: actions
  other than links, scripts, embedded files, attachment annotations and XFA are removed,
  wherever and however encoded, and a fresh file is saved (never the uploaded bytes);
  password-protected or unreadable PDFs are refused;
- `original_name` is a display-only name (no path, no control or right-to-left override
  characters): see `sanitise_filename`.

The limits are constants so that forms can tell citizens before they upload.
Not done: HEIC (iPhone photos are sent as JPEG by the browser's file picker in most cases)."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from onestop.cases import pdfclean
from onestop.cases.models import AttachmentKind
from onestop.cases.services import NewFile, sanitise_filename

logger = logging.getLogger(__name__)

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
_PDFCLEAN = Path(pdfclean.__file__)
_PDF_SECONDS = 30  # wall-clock limit for rewriting one PDF (the child also has a CPU limit)


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
       metadata, shrink, encode again. PDFs: rewrite without active content (`pdfclean`)."""
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
        return NewFile(_sanitise_pdf(content), _with_extension(name, "pdf"), content_type,
                       "pdf", kind)  # fmt: skip
    data, content_type = _reencode_image(content, content_type, kind)
    return NewFile(data, _with_extension(name, _EXTENSIONS[content_type]), content_type,
                   _EXTENSIONS[content_type], kind)  # fmt: skip


def validate_uploads(
    uploaded: File[bytes] | Sequence[File[bytes]] | None,
    *,
    kind: AttachmentKind,
    already: int = 0,
    limit: int = MAX_FILES,
) -> tuple[NewFile, ...]:
    """The one check of a form field's files (citizens' wizard and tracking pages, staff forms):
    none, one or several uploads, each through `validate_upload`. Returns the `NewFile`s, or
    raises one ValidationError listing every refused file by its name.

    1. Refuse more than `limit` files together with the `already` attached.
    2. Check each file; collect the refusals as "file “name”: what to do"."""
    if uploaded is None:
        files: list[File[bytes]] = []
    elif isinstance(uploaded, File):
        files = [uploaded]
    else:
        files = list(uploaded)
    if already + len(files) > limit:
        message = (
            _("แนบเอกสารได้ไม่เกิน %(limit)s ไฟล์ (แนบไว้แล้ว %(already)s ไฟล์) กรุณาเลือกเฉพาะไฟล์ที่จำเป็น")
            if already
            else _("แนบเอกสารได้ไม่เกิน %(limit)s ไฟล์ กรุณาเลือกเฉพาะไฟล์ที่จำเป็น")
        )
        raise _refuse(message % {"limit": limit, "already": already}, "too_many")
    checked, errors = [], []
    for item in files:
        try:
            checked.append(validate_upload(item, kind=kind))
        except ValidationError as error:
            name = sanitise_filename(getattr(item, "name", None) or "")
            errors.append(
                _refuse(
                    _("ไฟล์ “%(name)s”: %(problem)s")
                    % {"name": name, "problem": " ".join(error.messages)},
                    error.code or "invalid",
                )
            )
    if errors:
        raise ValidationError(errors)
    return tuple(checked)


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
    """Encode a fresh image made of the pixels only: nothing of the original's segments and
    chunks (EXIF, XMP, ICC profile, JPEG comments and APPn, PNG text and eXIf, WebP EXIF/XMP)
    can follow, whatever Pillow would otherwise carry over from `image.info`."""
    out = io.BytesIO()
    image = _in_srgb(image)
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    if content_type == "image/jpeg" or (content_type == "image/png" and not has_alpha):
        # Photos (and PNG screenshots without transparency) are stored as JPEG: far smaller.
        _pixels_only(image, "RGB").save(out, "JPEG", quality=85, optimize=True)
        return out.getvalue(), "image/jpeg"
    if content_type == "image/webp":
        _pixels_only(image, "RGBA" if has_alpha else "RGB").save(out, "WEBP", quality=80)
        return out.getvalue(), "image/webp"
    _pixels_only(image, "RGBA").save(out, "PNG", optimize=True)
    return out.getvalue(), "image/png"


def _pixels_only(image: Image.Image, mode: str) -> Image.Image:
    converted = image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _in_srgb(image: Image.Image) -> Image.Image:
    """Colours as the embedded ICC profile meant them, before the profile is dropped; a
    profile that cannot be read (or carries something else) is ignored."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in {"RGB", "RGBA"}:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def _sanitise_pdf(content: bytes) -> bytes:
    """The PDF rewritten by `pdfclean` in a child process (see there): no actions but links,
    no scripts, embedded files or XFA, every generic filter decoded, no object streams. A file
    it cannot open, or too big or too slow to rewrite, is refused."""
    try:
        result = subprocess.run(  # noqa: S603 (our own interpreter and module, no shell)
            [sys.executable, "-I", str(_PDFCLEAN)],
            input=content, capture_output=True, timeout=_PDF_SECONDS, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        logger.warning("uploads: rewriting a PDF took over %s s", _PDF_SECONDS)
        raise _pdf_broken() from None
    if result.returncode == 0 and result.stdout.startswith(b"%PDF-"):
        return result.stdout
    if result.returncode == pdfclean.EXIT_PASSWORD:
        raise _refuse(
            _("ไฟล์ PDF นี้ตั้งรหัสผ่านไว้ ระบบเปิดไม่ได้ กรุณาบันทึกเป็น PDF ใหม่โดยไม่ใส่รหัสผ่าน หรือแนบเป็นรูปภาพ"),
            "pdf_password",
        )
    if result.returncode == pdfclean.EXIT_ACTIVE:
        raise _refuse(
            _("ไฟล์ PDF นี้มีสคริปต์หรือไฟล์ซ่อนอยู่ ระบบรับไม่ได้ กรุณาพิมพ์เป็น PDF ใหม่หรือแนบเป็นรูปภาพ"),
            "pdf_active_content",
        )
    logger.warning(
        "uploads: a PDF was refused (exit %s): %s",
        result.returncode, result.stderr[-500:].decode(errors="replace"),
    )  # fmt: skip
    raise _pdf_broken()


def _pdf_broken() -> ValidationError:
    return _refuse(
        _("เปิดไฟล์ PDF นี้ไม่ได้ ไฟล์อาจเสียหายหรือซับซ้อนเกินไป กรุณาบันทึกเป็น PDF ใหม่หรือแนบเป็นรูปภาพ"),
        "pdf_broken",
    )
