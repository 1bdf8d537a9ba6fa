"""PDPA retention: each organisation keeps the personal data of closed requests for a set time
(five years by default, never under one); a daily task then removes it and keeps the request
and the statistics. Open requests and recently closed ones are never touched."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import timezone

from onestop.cases.models import Attachment, AttachmentKind, Case, CaseEvent, EventKind
from onestop.cases.selectors import case_list_by_national_id
from onestop.cases.services import By, NewFile, case_move, case_result_photo_add
from onestop.cases.services.privacy import case_anonymise, retention_apply
from onestop.cases.workflow import Actor, Move
from onestop.core.errors import DomainError
from onestop.core.models import AuditLog
from onestop.notifications.models import Message
from onestop.organisations.models import Organisation
from tests.conftest import Staff
from tests.factories import make_case, valid_national_id
from tests.uploadfiles import jpeg_bytes, pdf_bytes

SIX_YEARS_ON = dt.timedelta(days=6 * 365)


def completed_case(org: Organisation, staff: Staff, national_id: str) -> Case:
    photo = NewFile(jpeg_bytes(), "บัตร.jpg", "image/jpeg", "jpg", AttachmentKind.ID_CARD)
    deed = NewFile(pdf_bytes(), "โฉนด.pdf", "application/pdf", "pdf")
    case = make_case(org, national_id=national_id, files=(photo, deed))
    by = By.staff(staff.head)
    case = case_move(case=case, move=Move.RECEIVE, by=by)
    case_result_photo_add(
        case=case, photo=NewFile(jpeg_bytes(), "หลัง.jpg", "image/jpeg", "jpg",
                                 AttachmentKind.RESULT),
        is_public=True, by=by, expected_version=None,
    )  # fmt: skip
    case.refresh_from_db()
    return case_move(case=case, move=Move.COMPLETE, by=by, public_message="ซ่อมแล้ว")


@pytest.fixture
def old_case(org_a: Organisation, staff_a: Staff) -> Case:
    return completed_case(org_a, staff_a, valid_national_id())


def test_personal_data_goes_after_the_retention_period_and_the_request_stays(
    old_case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    national_id = Case.objects.get(pk=old_case.pk).national_id_masked
    files = {a.kind: a.file.name or "" for a in old_case.attachments.all()}
    storage = storages["default"]
    assert all(storage.exists(name) for name in files.values())
    messages_before = Message.objects.filter(case=old_case).count()

    with django_capture_on_commit_callbacks(execute=True):  # the files go after the commit
        assert retention_apply(now=timezone.now() + SIX_YEARS_ON) >= 1

    case = Case.objects.get(pk=old_case.pk)
    assert case.anonymised_at is not None
    assert (case.requester_first_name, case.requester_last_name, case.phone, case.email) == (
        "", "", "", "",
    )  # fmt: skip
    assert (case.national_id_encrypted, case.national_id_hash, case.house_no) == ("", "", "")
    assert national_id and case.national_id_masked == ""
    # The request, its work and its public result photo stay.
    assert case.number == old_case.number and case.subject == old_case.subject
    assert case.status == old_case.status
    assert list(case.attachments.values_list("kind", flat=True)) == [AttachmentKind.RESULT]
    assert not storage.exists(files[AttachmentKind.ID_CARD])
    assert not storage.exists(files[AttachmentKind.DOCUMENT])
    assert storage.exists(files[AttachmentKind.RESULT])
    # One event and one audit entry; its messages (addresses, phones) are gone.
    assert case.events.filter(kind=EventKind.ANONYMISED).count() == 1
    assert AuditLog.objects.filter(object_ref=case.number, details__event="anonymised").exists()
    assert messages_before > 0
    assert Message.objects.filter(case=case).count() == 0


def test_the_location_is_rounded_to_about_a_hundred_metres(old_case: Case) -> None:
    pin = {"latitude": Decimal("16.882345"), "longitude": Decimal("99.123456")}
    Case.objects.filter(pk=old_case.pk).update(**pin)  # a pin on the map, as filed
    retention_apply(now=timezone.now() + SIX_YEARS_ON)
    case = Case.objects.get(pk=old_case.pk)
    assert (case.latitude, case.longitude) == (Decimal("16.882"), Decimal("99.123"))


def test_nothing_happens_before_the_period_ends(old_case: Case) -> None:
    assert retention_apply(now=timezone.now() + dt.timedelta(days=4 * 365)) == 0
    assert Case.objects.get(pk=old_case.pk).anonymised_at is None


def test_an_organisation_may_choose_a_shorter_period_but_not_under_a_year(
    old_case: Case, org_a: Organisation
) -> None:
    org_a.personal_data_retention_days = 400
    org_a.save(update_fields=["personal_data_retention_days"])
    assert retention_apply(now=timezone.now() + dt.timedelta(days=401)) == 1
    org_a.personal_data_retention_days = 100
    with pytest.raises(ValidationError):
        org_a.full_clean()


def test_open_requests_keep_their_data_however_old(org_a: Organisation) -> None:
    case = make_case(org_a)
    assert retention_apply(now=timezone.now() + dt.timedelta(days=20 * 365)) == 0
    assert Case.objects.get(pk=case.pk).anonymised_at is None
    with pytest.raises(DomainError):
        case_anonymise(case=case, by=By.staff(org_a.memberships.first().user))  # type: ignore[union-attr]


def test_a_request_touched_recently_keeps_its_data(old_case: Case, staff_a: Staff) -> None:
    later = timezone.now() + dt.timedelta(days=5 * 365)
    CaseEvent.objects.filter(case=old_case).update(created_at=later)  # a late change
    assert retention_apply(now=timezone.now() + SIX_YEARS_ON) == 0


def test_the_daily_command_is_idempotent_and_the_person_is_no_longer_found(
    old_case: Case, org_a: Organisation, staff_a: Staff
) -> None:
    national_id = valid_national_id()
    case = completed_case(org_a, staff_a, national_id)
    assert case_list_by_national_id(organisation=org_a, national_id=national_id).exists()
    retention_apply(now=timezone.now() + SIX_YEARS_ON)
    assert not case_list_by_national_id(organisation=org_a, national_id=national_id).exists()
    call_command("privacy_retention")  # today: nothing is due
    assert retention_apply(now=timezone.now() + SIX_YEARS_ON) == 0
    assert Attachment.objects.filter(case=case).count() == 1


def test_the_rendered_request_documents_go_with_the_personal_data(
    old_case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    """The kept PDFs print the name and the masked ID and phone: anonymising deletes them,
    and a document downloaded afterwards no longer carries the name."""
    from onestop.cases.rendered import rendered_list  # noqa: PLC0415
    from onestop.documents.http import request_document_bytes  # noqa: PLC0415
    from tests.documents_helpers import pdf_text  # noqa: PLC0415

    name = old_case.requester_first_name
    assert name in pdf_text(request_document_bytes(old_case))
    kept = rendered_list(old_case.pk)
    assert len(kept) == 1

    with django_capture_on_commit_callbacks(execute=True):
        case_anonymise(case=old_case, by=By(Actor.SYSTEM))

    assert rendered_list(old_case.pk) == []
    assert not storages["default"].exists(kept[0])
    after = pdf_text(request_document_bytes(Case.objects.get(pk=old_case.pk)))
    assert name not in after
