"""Rewrite a PDF without anything that runs, opens or carries other files.

Run as a child process by `onestop.cases.uploads` (bytes in on stdin, the fresh file out on
stdout), never imported by the web process: qpdf parses hostile input, so a crash, a
decompression bomb or an endless file stops only this child, within its memory and CPU limits.
It imports nothing of Django or of OneStop.

1. Open with pikepdf (qpdf); a password-protected or unreadable file is refused (exit code).
2. Walk every object, also those inside object streams and behind any chain of filters
   (ASCIIHex, ASCII85, LZW, RunLength, Flate: qpdf decodes them all), and remove: document,
   page, annotation and form-field actions other than links (/OpenAction, /AA, /A and /Next
   of a JavaScript, Launch, GoToR, SubmitForm, ImportData, RichMedia... action), the
   /JavaScript and /EmbeddedFiles name trees, embedded file streams, file-attachment and
   multimedia annotations, and XFA forms.
3. Save a fresh file: every generic-filtered stream decoded and compressed again, no object
   streams, no encryption. Then open the result and walk it again: anything left is refused."""

from __future__ import annotations

import io
import resource
import sys

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

EXIT_PASSWORD = 3
EXIT_BROKEN = 4
EXIT_ACTIVE = 5

MEMORY_LIMIT = 1024 * 1024 * 1024  # bytes of address space for this child
CPU_SECONDS = 20

# Actions that only move within the document or open a web link (shown by the viewer first).
SAFE_ACTIONS = frozenset({"/GoTo", "/URI", "/Named"})
# Keys that hold scripts, automatic actions or other files, wherever they are.
DROPPED_KEYS = frozenset(
    {"/OpenAction", "/AA", "/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RF", "/XFA",
     "/RichMediaContent", "/RichMediaSettings", "/Collection"}
)  # fmt: skip
DROPPED_ANNOTATIONS = frozenset(
    {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
)
ACTION_TYPES = frozenset(
    {"/JavaScript", "/Launch", "/GoToR", "/GoToE", "/SubmitForm", "/ImportData", "/ResetForm",
     "/RichMediaExecute", "/Rendition", "/Sound", "/Movie", "/Hide", "/SetOCGState",
     "/GoTo3DView", "/Thread", "/Trans", "/GoToDp"}
)  # fmt: skip


def _is_container(value: object) -> bool:
    return isinstance(value, Dictionary | Array | Stream)


def _is_active_action(value: object) -> bool:
    if not isinstance(value, Dictionary | Stream):
        return False
    kind = value.get("/S")
    return isinstance(kind, Name) and str(kind) not in SAFE_ACTIONS


def _clean(obj: object, found: list[str]) -> None:
    """Remove active content from `obj` and its direct (not indirect) children; record what
    was removed in `found`. Indirect children are visited from `pdf.objects`."""
    if isinstance(obj, Array):
        _clean_array(obj, found)
    elif isinstance(obj, Dictionary | Stream):
        _clean_dictionary(obj, found)


def _clean_array(array: Array, found: list[str]) -> None:
    for index in reversed(range(len(array))):
        item = array[index]
        if isinstance(item, Dictionary) and str(item.get("/Subtype", "")) in DROPPED_ANNOTATIONS:
            found.append(str(item.get("/Subtype")))
            del array[index]  # an /Annots entry: the attachment or player is gone
        elif isinstance(item, Dictionary | Array | Stream) and not item.is_indirect:
            _clean(item, found)


def _clean_dictionary(obj: Dictionary | Stream, found: list[str]) -> None:
    kind = obj.get("/S")
    if isinstance(kind, Name) and str(kind) in ACTION_TYPES:  # an action dictionary itself
        found.append(str(kind))
        for key in list(obj.keys()):
            if key not in {"/Length", "/Filter", "/DecodeParms"}:
                del obj[key]
        return
    if str(obj.get("/Subtype", "")) in DROPPED_ANNOTATIONS:
        found.append(str(obj.get("/Subtype")))
        for key in ("/FS", "/RichMediaContent", "/Movie", "/Sound", "/3DD"):
            if key in obj:
                del obj[key]
    for key in list(obj.keys()):
        value = obj.get(key)
        if key in DROPPED_KEYS or (key in {"/A", "/Next"} and _is_active_action(value)):
            found.append(key)
            del obj[key]
        elif key == "/Next" and _is_container(value):
            found.append(key)  # action chains: links need none
            del obj[key]
        elif isinstance(value, Dictionary | Array | Stream) and not value.is_indirect:
            _clean(value, found)


def active_content(pdf: pikepdf.Pdf) -> list[str]:
    """Remove every piece of active content from `pdf`; return what was found."""
    found: list[str] = []
    _clean(pdf.trailer, found)
    for obj in pdf.objects:
        if _is_container(obj):
            _clean(obj, found)
    return found


def sanitise(content: bytes) -> bytes:
    """The fresh copy of `content`. Raises pikepdf.PasswordError, pikepdf.PdfError, or
    ValueError if active content survived the rewrite."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        active_content(pdf)
        out = io.BytesIO()
        pdf.save(
            out,
            compress_streams=True,
            stream_decode_level=pikepdf.StreamDecodeLevel.specialized,
            recompress_flate=True,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            encryption=False,
            deterministic_id=True,
        )
    with pikepdf.open(io.BytesIO(out.getvalue())) as check:
        if left := active_content(check):
            raise ValueError(f"active content left after the rewrite: {left}")
    return out.getvalue()


def _limit_resources() -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    except (ValueError, OSError):  # no such limits on this system (macOS: AS)
        pass


def main() -> int:
    _limit_resources()
    content = sys.stdin.buffer.read()
    try:
        cleaned = sanitise(content)
    except pikepdf.PasswordError:
        return EXIT_PASSWORD
    except ValueError as error:
        sys.stderr.write(f"{error}\n")
        return EXIT_ACTIVE
    except (pikepdf.PdfError, RuntimeError, MemoryError) as error:
        sys.stderr.write(f"{type(error).__name__}: {error}\n")
        return EXIT_BROKEN
    sys.stdout.buffer.write(cleaned)
    return 0


if __name__ == "__main__":
    sys.exit(main())
