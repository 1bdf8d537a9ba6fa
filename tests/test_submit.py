"""Filing a request: validated first, saved whole or not at all, never twice."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from onestop.cases.models import Attachment, AttachmentKind, Case, CaseEvent
from onestop.cases.services import NewFile, Place, Requester, case_submit, sanitise_filename
from onestop.cases.workflow import Status
from onestop.core.errors import DomainError
from onestop.organisations.models import Organisation
from tests.factories import make_case, request_type, valid_national_id

JPEG = NewFile(b"\xff\xd8\xff\xe0 fake but already-checked", "บัตร.jpg", "image/jpeg", "jpg",
               AttachmentKind.ID_CARD)  # fmt: skip


def _submit(organisation: Organisation, **overrides: object) -> Case:
    fields: dict[str, object] = {
        "organisation": organisation,
        "request_type": request_type(organisation, "general"),
        "subject": "ขอยืมเต็นท์",
        "details": "ขอยืมเต็นท์สองหลังสำหรับงานบุญ",
        "requester": Requester("นาย", "สมชาย", "ใจดี", valid_national_id(), "0812345678"),
    }
    fields.update(overrides)
    return case_submit(**fields)  # type: ignore[arg-type]


def test_a_submitted_request_starts_its_timeline_and_goes_to_the_types_department(
    org_a: Organisation,
) -> None:
    case = _submit(org_a)
    assert case.status == Status.SUBMITTED
    assert case.department == request_type(org_a, "general").default_department
    assert case.due_date is not None and case.due_date > case.submitted_at.date()
    event = CaseEvent.objects.get(case=case)
    assert event.to_status == Status.SUBMITTED and event.from_status == ""


def test_the_same_submission_key_returns_the_first_request(org_a: Organisation) -> None:
    first = _submit(org_a, submission_key="wizard-123")
    again = _submit(org_a, submission_key="wizard-123")
    assert again.pk == first.pk
    assert Case.objects.count() == 1


def test_a_type_that_requires_a_place_refuses_a_request_without_one(org_a: Organisation) -> None:
    with pytest.raises(DomainError) as error:
        _submit(org_a, request_type=request_type(org_a, "street-light"), place=Place())
    assert error.value.code == "location_required"
    assert Case.objects.count() == 0


def test_a_type_that_requires_the_id_card_refuses_a_request_without_it(org_a: Organisation) -> None:
    cctv = request_type(org_a, "cctv")
    place = Place(landmark="หน้าตลาด")
    with pytest.raises(DomainError):
        _submit(org_a, request_type=cctv, place=place)
    case = _submit(org_a, request_type=cctv, place=place, files=(JPEG,))
    attachment = Attachment.objects.get(case=case)
    assert attachment.kind == AttachmentKind.ID_CARD


def test_an_invalid_id_or_landline_is_refused_before_anything_is_saved(org_a: Organisation) -> None:
    with pytest.raises(ValidationError):
        _submit(org_a, requester=Requester("นาย", "ก", "ข", "1234567890123", "0812345678"))
    with pytest.raises(ValidationError):
        _submit(org_a, requester=Requester("นาย", "ก", "ข", valid_national_id(), "021234567"))
    assert Case.objects.count() == 0


def test_files_are_stored_under_a_generated_name_with_size_and_hash(org_a: Organisation) -> None:
    upload = NewFile(b"%PDF-1.4 test", "../../etc/passwd\u202egpj.pdf", "application/pdf", "pdf")
    case = _submit(org_a, files=(upload,))
    attachment = case.attachments.get()
    assert attachment.file.name is not None
    assert "passwd" not in attachment.file.name and ".." not in attachment.file.name
    assert attachment.file.name.endswith(".pdf")
    assert "\u202e" not in attachment.original_name and "/" not in attachment.original_name
    assert attachment.size == len(upload.content)
    assert len(attachment.sha256) == 64
    assert default_storage.open(attachment.file.name).read() == upload.content


def test_a_failure_while_saving_files_leaves_no_half_saved_request(
    org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_save(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Attachment, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        _submit(org_a, files=(JPEG,))
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../secret.txt", "secret.txt"),
        ("C:\\Users\\me\\รูปถนน.jpg", "รูปถนน.jpg"),
        ("photo\u202egnp.exe", "photognp.exe"),
        ("<script>.jpg", "_script_.jpg"),
        ("", "file"),
    ],
)
def test_original_names_are_cleaned_for_display(name: str, expected: str) -> None:
    assert sanitise_filename(name) == expected


def test_a_counter_request_records_its_channel(org_a: Organisation) -> None:
    case = make_case(org_a, channel="counter")  # type: ignore[arg-type]
    assert case.channel == "counter"
