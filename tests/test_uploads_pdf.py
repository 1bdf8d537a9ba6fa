"""PDF uploads are rewritten: what staff download is a fresh file with no script, automatic
action, embedded file or XFA form, wherever and however the upload hid them; a harmless
document keeps its text and pages."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial

import pikepdf
import pytest
from django.core.exceptions import ValidationError

from onestop.cases.models import AttachmentKind
from onestop.cases.uploads import validate_upload
from onestop.documents.pdf import request_document_pdf
from onestop.organisations.models import Organisation
from tests.documents_helpers import comparable, pdf_text
from tests.factories import make_case
from tests.uploadfiles import (
    HIDING_FILTERS,
    MARKER_JS,
    pdf_action_in_object_stream,
    pdf_active_content,
    pdf_bytes,
    pdf_link_actions,
    pdf_names_javascript_and_embedded_file,
    pdf_open_action_javascript,
    pdf_page_action_launch,
    pdf_with_text,
    pdf_xfa_form,
    upload,
)

pytestmark = pytest.mark.django_db

DOCUMENT = AttachmentKind.DOCUMENT


def _escaped_launch() -> bytes:
    # `/L#61unch` is `/Launch` to a reader; the longer name also breaks the cross-reference
    # offsets, so the reader (and qpdf) must recover the file first.
    return pdf_page_action_launch().replace(b"/Launch", b"/L#61unch")


HOSTILE: dict[str, Callable[[], bytes]] = {
    "open-action-javascript": pdf_open_action_javascript,
    "page-action-launch": pdf_page_action_launch,
    "launch-name-escaped": _escaped_launch,
    "link-gotor-submitform-importdata-next-chain": pdf_link_actions,
    "names-javascript-embedded-file-attachment-annotation": pdf_names_javascript_and_embedded_file,
    "xfa-form-field-script": pdf_xfa_form,
    "object-stream-flate": pdf_action_in_object_stream,
    "object-stream-flate-after-5-mb": lambda: pdf_action_in_object_stream(padding=5_000_000),
    **{
        f"object-stream-{name}": partial(pdf_action_in_object_stream, name)
        for name in HIDING_FILTERS
    },
}


def _stored(organisation: Organisation, content: bytes) -> bytes:
    """Upload `content` as a citizen's document, file a request with it, read the stored copy."""
    new_file = validate_upload(upload("คำร้อง.pdf", content, "application/pdf"), kind=DOCUMENT)
    case = make_case(organisation, files=(new_file,))
    with case.attachments.get().file.open("rb") as handle:
        stored: bytes = handle.read()
    return stored


@pytest.mark.parametrize("build", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_pdf_is_stored_without_any_action_left(
    org_a: Organisation, build: Callable[[], bytes]
) -> None:
    original = build()
    assert pdf_active_content(original)  # the test file really carries something
    stored = _stored(org_a, original)
    assert pdf_active_content(stored) == []
    assert MARKER_JS not in stored
    assert stored != original
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert len(pdf.pages) == 1


def test_a_harmless_pdf_keeps_its_text_and_its_web_link(org_a: Organisation) -> None:
    stored = _stored(org_a, pdf_with_text("OneStop harmless form"))
    assert "OneStop harmless form" in pdf_text(stored)
    with pikepdf.open(io.BytesIO(pdf_link_actions())) as original:
        assert len(original.pages[0].Annots) == 4
    with pikepdf.open(io.BytesIO(_stored(org_a, pdf_link_actions()))) as pdf:
        links = [annotation.A for annotation in pdf.pages[0].Annots if "/A" in annotation]
        assert [str(link.URI) for link in links if link.S == "/URI"] == [
            "https://oss.example.go.th/"
        ]


def test_a_thai_document_keeps_every_page_and_its_thai_text(org_a: Organisation) -> None:
    document = request_document_pdf(make_case(org_a, details="ถนนหน้าวัดมีหลุมลึก " * 200))
    stored = _stored(org_a, document)
    with pikepdf.open(io.BytesIO(document)) as before, pikepdf.open(io.BytesIO(stored)) as after:
        assert len(after.pages) == len(before.pages) > 1
    assert comparable(pdf_text(stored)) == comparable(pdf_text(document))


def _refusal(content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("a.pdf", content, "application/pdf"), kind=DOCUMENT)
    return error.value


def test_a_password_protected_pdf_is_refused_with_what_to_do() -> None:
    pdf = pikepdf.open(io.BytesIO(pdf_with_text()))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    error = _refusal(out.getvalue())
    assert error.code == "pdf_password"
    assert "รหัสผ่าน" in error.messages[0]


def test_a_pdf_that_cannot_be_read_is_refused() -> None:
    error = _refusal(pdf_bytes())  # no cross-reference table and no page: nothing to rebuild
    assert error.code == "pdf_broken"
    assert "PDF" in error.messages[0]
