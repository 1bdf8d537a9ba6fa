"""Files a citizen might upload, good and hostile, built in memory for upload tests."""

from __future__ import annotations

import base64
import io
import struct
import zlib
from typing import Any

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from pikepdf import Array, Dictionary, Name, String
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_bytes(
    width: int = 320, height: int = 200, *, gps: bool = False, orientation: int = 1
) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((20, 20, 200), (0, 0, width // 2, height // 2))  # a mark to see the rotation
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"  # camera make
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (16.0, 52.0, 30.0), 3: "E", 4: (99.0, 5.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bytes(width: int = 64, height: int = 64, *, alpha: bool = False) -> bytes:
    image = Image.new(
        "RGBA" if alpha else "RGB", (width, height), (0, 128, 0, 128)[: 4 if alpha else 3]
    )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb_bytes(side: int = 20_000) -> bytes:
    """A tiny file whose header claims side x side pixels (a decompression bomb's header)."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def pdf_bytes(extra: bytes = b"") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R " + extra + b" >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def upload(
    name: str, content: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# -- hostile PDFs, built with pikepdf or by hand (for filters pikepdf does not write) ----------
MARKER_JS = b"app.alert('onestop-marker')"


def _saved(pdf: pikepdf.Pdf, **options: Any) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)
    return out.getvalue()


def _one_page_pdf() -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    return pdf


def _javascript(pdf: pikepdf.Pdf) -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=pdf.make_stream(MARKER_JS))


def pdf_open_action_javascript() -> bytes:
    pdf = _one_page_pdf()
    pdf.Root.OpenAction = pdf.make_indirect(_javascript(pdf))
    return _saved(pdf)


def pdf_page_action_launch() -> bytes:
    pdf = _one_page_pdf()
    pdf.pages[0].obj.AA = Dictionary(O=Dictionary(S=Name.Launch, F=String("cmd.exe")))
    return _saved(pdf)


def _annotation(subtype: Name, **entries: Any) -> Dictionary:
    return Dictionary(Type=Name.Annot, Subtype=subtype, Rect=Array([0, 0, 50, 50]), **entries)


def pdf_link_actions() -> bytes:
    """Links whose actions open another file, send the form, import data, or run a script
    after a web link (a /Next chain); one harmless web link."""
    pdf = _one_page_pdf()
    pdf.pages[0].obj.Annots = Array([
        _annotation(Name.Link, A=Dictionary(S=Name.GoToR, F=String("evil.pdf"), D=Array([0]))),
        _annotation(Name.Link, A=Dictionary(S=Name.SubmitForm, F=String("https://evil.test"))),
        _annotation(Name.Link, A=Dictionary(S=Name.ImportData, F=String("evil.fdf"))),
        _annotation(Name.Link, A=Dictionary(S=Name.URI, URI=String("https://oss.example.go.th/"),
                                            Next=_javascript(pdf))),
    ])  # fmt: skip
    return _saved(pdf)


def pdf_names_javascript_and_embedded_file() -> bytes:
    pdf = _one_page_pdf()
    embedded = pdf.make_stream(b"MZ evil program", Type=Name.EmbeddedFile)
    filespec = Dictionary(Type=Name.Filespec, F=String("invoice.exe"), EF=Dictionary(F=embedded))
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("run"), pdf.make_indirect(_javascript(pdf))])),
        EmbeddedFiles=Dictionary(Names=Array([String("invoice.exe"), filespec])),
    )
    pdf.pages[0].obj.Annots = Array([_annotation(Name.FileAttachment, FS=filespec)])
    return _saved(pdf)


def pdf_xfa_form() -> bytes:
    pdf = _one_page_pdf()
    xfa = pdf.make_stream(b"<xdp:xdp><script>" + MARKER_JS + b"</script></xdp:xdp>")
    field = pdf.make_indirect(
        Dictionary(FT=Name.Tx, T=String("name"), AA=Dictionary(K=_javascript(pdf)))
    )
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]), XFA=xfa)
    return _saved(pdf)


def _ascii_hex(data: bytes) -> bytes:
    return data.hex().encode() + b">"


def _ascii85(data: bytes) -> bytes:
    return base64.a85encode(data) + b"~>"


def _run_length(data: bytes) -> bytes:
    chunks = [data[i : i + 128] for i in range(0, len(data), 128)]
    return b"".join(bytes([len(c) - 1]) + c for c in chunks) + b"\x80"


def _lzw(data: bytes) -> bytes:
    """LZW as PDF writes it (9-bit codes are enough for a short input: no table growth)."""
    assert len(data) < 200
    table = {bytes([i]): i for i in range(256)}
    codes, word = [256], b""
    for byte in data:
        candidate = word + bytes([byte])
        if candidate in table:
            word = candidate
            continue
        codes.append(table[word])
        table[candidate] = len(table) + 2  # 256 and 257 are the clear and end codes
        word = bytes([byte])
    codes += [table[word], 257]
    bits = "".join(f"{code:09b}" for code in codes)
    bits += "0" * (-len(bits) % 8)
    return bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits), 8))


HIDING_FILTERS: dict[str, tuple[list[str], Any]] = {
    "ASCIIHex": (["/ASCIIHexDecode"], _ascii_hex),
    "ASCII85": (["/ASCII85Decode"], _ascii85),
    "LZW": (["/LZWDecode"], _lzw),
    "RunLength": (["/RunLengthDecode"], _run_length),
    "chained": (["/ASCII85Decode", "/ASCIIHexDecode", "/FlateDecode"],
                lambda data: _ascii85(_ascii_hex(zlib.compress(data)))),
}  # fmt: skip


def pdf_action_in_object_stream(filter_name: str = "Flate", *, padding: int = 0) -> bytes:
    """A PDF whose /OpenAction (a JavaScript action) lives only inside an object stream encoded
    with `filter_name` (one of HIDING_FILTERS, or "Flate"), after `padding` bytes of another
    object: invisible to anything that does not decode the stream. Written by hand, with a
    cross-reference stream (which compressed objects need)."""
    action = b"<< /S /JavaScript /JS (" + MARKER_JS + b") >>"
    objects = [action]
    if padding:
        objects.insert(0, b"(" + b"x" * padding + b")")
    numbers = list(range(4, 4 + len(objects)))  # the action is the last one
    body = b""
    offsets = []
    for obj in objects:
        offsets.append(len(body))
        body += obj + b"\n"
    header = b" ".join(b"%d %d" % pair for pair in zip(numbers, offsets, strict=True)) + b"\n"
    if filter_name == "Flate":
        filters, encode = ["/FlateDecode"], zlib.compress
    else:
        filters, encode = HIDING_FILTERS[filter_name]
    encoded = encode(header + body)
    stream_number = numbers[-1] + 1
    xref_number = stream_number + 1
    out = bytearray(b"%PDF-1.5\n")
    positions: dict[int, int] = {}

    def add(number: int, text: bytes) -> None:
        positions[number] = len(out)
        out.extend(b"%d 0 obj\n" % number + text + b"\nendobj\n")

    add(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction %d 0 R >>" % numbers[-1])
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    add(stream_number, b"<< /Type /ObjStm /N %d /First %d /Filter [%s] /Length %d >>\nstream\n"
        % (len(objects), len(header), b" ".join(f.encode() for f in filters), len(encoded))
        + encoded + b"\nendstream")  # fmt: skip
    positions[xref_number] = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for number in range(1, xref_number + 1):
        if number in numbers:
            rows.append(struct.pack(">BIH", 2, stream_number, numbers.index(number)))
        else:
            rows.append(struct.pack(">BIH", 1, positions[number], 0))
    table = b"".join(rows)
    out.extend(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % (xref_number, xref_number + 1, len(table)) + table + b"\nendstream\nendobj\n"
        + b"startxref\n%d\n%%%%EOF\n" % positions[xref_number]
    )  # fmt: skip
    return bytes(out)


def pdf_active_content(content: bytes) -> list[str]:
    """What a PDF reader could run or open in `content`: opened with pikepdf and walked (every
    object, decoded streams included), independently of the code under test."""
    dangerous_keys = {"/OpenAction", "/AA", "/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA"}
    dangerous_actions = {
        "/JavaScript", "/Launch", "/GoToR", "/GoToE", "/SubmitForm", "/ImportData",
        "/RichMediaExecute",
    }  # fmt: skip
    found: list[str] = []

    def walk(obj: Any, seen: set[tuple[int, int]]) -> None:
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if obj.objgen in seen:
                return
            seen.add(obj.objgen)
        if isinstance(obj, Array):
            for item in obj:
                walk(item, seen)
        elif isinstance(obj, Dictionary | pikepdf.Stream):
            keys = list(obj.keys())  # a stream's dictionary, too
            found.extend(key for key in keys if key in dangerous_keys)
            if str(obj.get("/S", "")) in dangerous_actions:
                found.append(str(obj.get("/S")))
            if str(obj.get("/Subtype", "")) == "/FileAttachment":
                found.append("/FileAttachment")
            specialized = pikepdf.StreamDecodeLevel.specialized  # RunLength too
            if isinstance(obj, pikepdf.Stream) and MARKER_JS in obj.read_bytes(specialized):
                found.append("script text")
            for key in keys:
                walk(obj.get(key), seen)

    with pikepdf.open(io.BytesIO(content)) as pdf:
        seen: set[tuple[int, int]] = set()
        walk(pdf.trailer, seen)
        for obj in pdf.objects:
            walk(obj, seen)
    return found


def pdf_with_text(text: str = "OneStop harmless form", *, padding: int = 0) -> bytes:
    """A one-page PDF showing `text`; with `padding`, that many more bytes of comment in its
    page (stored uncompressed), for a file of a given size."""
    pdf = _one_page_pdf()
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    page = pdf.pages[0]
    page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
    comment = b"%" + b"x" * padding + b"\n" if padding else b""
    page.obj.Contents = pdf.make_stream(
        comment + b"BT /F1 12 Tf 10 100 Td (" + text.encode() + b") Tj ET"
    )
    return _saved(pdf, compress_streams=not padding)


# -- images carrying text in comment and application segments ---------------------------------
MARKER = b"onestop-secret-marker"


def _jpeg_segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_segments() -> bytes:
    """A JPEG with the marker in a comment (COM), XMP (APP1), an ICC profile (APP2),
    Photoshop data (APP13) and a vendor segment (APP15)."""
    plain = jpeg_bytes()
    segments = (
        _jpeg_segment(0xFE, b"comment " + MARKER)
        + _jpeg_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>" + MARKER + b"</x>")
        + _jpeg_segment(0xE2, b"ICC_PROFILE\x00\x01\x01" + b"\x00" * 128 + MARKER)
        + _jpeg_segment(0xED, b"Photoshop 3.0\x00" + MARKER)
        + _jpeg_segment(0xEF, MARKER)
    )
    return plain[:2] + segments + plain[2:]


def png_with_chunks(*, alpha: bool) -> bytes:
    """A PNG with the marker in tEXt, zTXt (compressed), iTXt and eXIf chunks."""
    plain = png_bytes(alpha=alpha)
    exif = Image.Exif()
    exif[0x010E] = MARKER.decode()  # image description
    chunks = (
        _chunk(b"tEXt", b"Comment\x00" + MARKER)
        + _chunk(b"zTXt", b"Secret\x00\x00" + zlib.compress(MARKER))
        + _chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + MARKER)
        + _chunk(b"eXIf", exif.tobytes())
    )
    end = plain.rindex(b"IEND") - 4  # before the IEND chunk's length
    return plain[:end] + chunks + plain[end:]


def webp_with_metadata(*, alpha: bool) -> bytes:
    """A WebP with the marker in its EXIF, XMP and ICC chunks."""
    exif = Image.Exif()
    exif[0x010E] = MARKER.decode()
    image = Image.new(
        "RGBA" if alpha else "RGB", (40, 40), (10, 120, 200, 200)[: 4 if alpha else 3]
    )
    out = io.BytesIO()
    image.save(
        out, "WEBP", exif=exif.tobytes(), xmp=b"<x:xmpmeta>" + MARKER + b"</x:xmpmeta>",
        icc_profile=b"\x00" * 128 + MARKER,
    )  # fmt: skip
    return out.getvalue()


def png_chunk_types(content: bytes) -> list[bytes]:
    types, position = [], 8
    while position < len(content):
        (length,) = struct.unpack(">I", content[position : position + 4])
        types.append(content[position + 4 : position + 8])
        position += 12 + length
    return types


def webp_chunk_types(content: bytes) -> list[bytes]:
    types, position = [], 12
    while position < len(content):
        (length,) = struct.unpack("<I", content[position + 4 : position + 8])
        types.append(content[position : position + 4])
        position += 8 + length + length % 2
    return types
