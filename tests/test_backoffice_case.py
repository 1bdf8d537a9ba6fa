"""The case page: what the citizen sent (personal data masked unless asked for, and logged),
files by role, and the actions from receipt to closure, refused in the wrong state and when
someone else changed the request meanwhile."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any
from unittest import mock

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.utils import timezone

from onestop.backoffice.models import ReplyTemplate
from onestop.cases.models import Case, EventKind
from onestop.cases.selectors import case_national_id
from onestop.cases.services import case_transition
from onestop.cases.workflow import Actor, Status
from onestop.core.audit import mask_text
from onestop.core.models import AuditAction, AuditLog
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import PDF, PNG, id_card_file, pdf_file, sign_in
from tests.conftest import Staff
from tests.documents_helpers import pdf_text
from tests.factories import make_case, valid_national_id


def _url(case: Case, tail: str = "") -> str:
    return f"/staff/{case.organisation.slug}/cases/{case.number}/{tail}"


def _act(client: Client, case: Case, action: str, **fields: Any) -> Any:
    case.refresh_from_db()
    data = {f"{action}-version": fields.pop("version", case.version)}
    data.update({f"{action}-{key}": value for key, value in fields.items()})
    return client.post(_url(case, f"act/{action}/"), data)


def test_the_case_page_shows_what_the_citizen_sent_with_the_id_masked_and_logs_the_view(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    national_id = valid_national_id()
    case = make_case(org_a, national_id=national_id, subject="ไฟดับหน้าโรงเรียน")
    page = sign_in(client, staff_a.counter).get(_url(case)).content.decode()
    assert "ไฟดับหน้าโรงเรียน" in page
    assert "นางมาลี ศรีสุข" in page
    assert case.national_id_masked in page
    assert national_id not in page
    entry = AuditLog.objects.get(action=AuditAction.CASE_VIEW)
    assert entry.actor == staff_a.counter
    assert entry.organisation == org_a
    assert entry.object_ref == case.number
    assert entry.ip_address == "127.0.0.1"


def test_the_full_national_id_is_shown_only_when_asked_and_the_view_is_logged(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    national_id = valid_national_id()
    case = make_case(org_a, national_id=national_id)
    response = sign_in(client, staff_a.counter).post(_url(case, "national-id/"))
    assert national_id in response.content.decode()
    entry = AuditLog.objects.get(action=AuditAction.NATIONAL_ID_VIEW)
    assert entry.actor == staff_a.counter
    assert national_id not in str(entry.details)


def test_the_executive_reads_the_case_but_not_the_full_id_nor_the_id_card(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a, type_key="patient-equipment", files=(id_card_file(), pdf_file()))
    id_card = case.attachments.get(kind="id_card")
    sign_in(client, staff_a.executive)
    page = client.get(_url(case)).content.decode()
    assert "แผนที่.pdf" in page
    assert "บัตร.png" not in page
    assert "แสดงเลขเต็ม" not in page
    assert client.get(_url(case, f"files/{id_card.pk}/")).status_code == 404
    assert client.post(_url(case, "national-id/")).status_code == 404


def test_images_open_inline_pdfs_download_and_each_opening_is_logged(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a, type_key="patient-equipment", files=(id_card_file(), pdf_file()))
    sign_in(client, staff_a.counter)
    id_card = case.attachments.get(kind="id_card")
    client.post(_url(case, f"files/{id_card.pk}/show/"))  # asked for first (logged: 1)
    image = client.get(_url(case, f"files/{id_card.pk}/"))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image["Content-Disposition"].startswith("inline")
    pdf = client.get(_url(case, f"files/{case.attachments.get(kind='document').pk}/"))
    assert pdf["Content-Disposition"].startswith("attachment")
    assert pdf["Content-Type"] == "application/octet-stream"
    assert AuditLog.objects.filter(action=AuditAction.FILE_DOWNLOAD).count() == 3


def test_another_requests_file_cannot_be_opened_through_this_request(
    org_a: Organisation, org_b: Organisation, staff_a: Staff, client: Client
) -> None:
    mine = make_case(org_a)
    theirs = make_case(org_b, files=(pdf_file(),))
    other_here = make_case(org_a, files=(pdf_file(),))
    sign_in(client, staff_a.counter)
    for attachment in (theirs.attachments.get(), other_here.attachments.get()):
        assert client.get(_url(mine, f"files/{attachment.pk}/")).status_code == 404


def test_printing_the_request_document_is_logged(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    response = sign_in(client, staff_a.counter).get(_url(case, "document.pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert case.display_number in pdf_text(response.content)
    assert AuditLog.objects.filter(action=AuditAction.DOCUMENT_PRINT).count() == 1


def test_the_life_of_a_request_from_receipt_to_closure(org_a: Organisation, staff_a: Staff) -> None:
    case = make_case(org_a, type_key="general")
    engineering = org_a.departments.get(key="engineering")
    counter, officer, head = (
        sign_in(Client(), staff_a.counter), sign_in(Client(), staff_a.officer),
        sign_in(Client(), staff_a.head),
    )  # fmt: skip

    assert _act(counter, case, "receive").status_code == 302
    assert _act(counter, case, "assign", department=engineering.pk,
                assignee=staff_a.officer.pk).status_code == 302  # fmt: skip
    assert _act(officer, case, "note", public_message="ช่างจะเข้าไปตรวจสอบพรุ่งนี้",
                internal_note="ใช้รถกระเช้า").status_code == 302  # fmt: skip
    assert _act(head, case, "complete", public_message="เปลี่ยนหลอดไฟแล้ว").status_code == 302

    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert case.department == engineering
    assert case.assignee == staff_a.officer
    page = head.get(_url(case)).content.decode()
    for text in ["ช่างจะเข้าไปตรวจสอบพรุ่งนี้", "ใช้รถกระเช้า", "เปลี่ยนหลอดไฟแล้ว"]:
        assert text in page
    kinds = list(case.events.values_list("kind", "to_status"))
    assert kinds == [
        (EventKind.STATUS, Status.SUBMITTED), (EventKind.STATUS, Status.RECEIVED),
        (EventKind.ASSIGNMENT, ""), (EventKind.STATUS, Status.IN_PROGRESS),
        (EventKind.STATUS, Status.COMPLETED),
    ]  # fmt: skip
    assert AuditLog.objects.filter(action=AuditAction.CASE_CHANGE).count() == 4


def test_a_second_progress_note_is_added_to_the_timeline(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    sign_in(client, staff_a.head)
    _act(client, case, "receive")
    _act(client, case, "note", public_message="เริ่มดำเนินการ")
    assert _act(client, case, "note", internal_note="รออะไหล่").status_code == 302
    assert case.events.filter(kind=EventKind.NOTE, internal_note="รออะไหล่").exists()


def test_forwarding_tells_the_citizen_the_agency_and_the_letter_number(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    sign_in(client, staff_a.counter)
    response = _act(client, case, "forward", agency="การไฟฟ้าส่วนภูมิภาคอำเภอวังเจ้า",
                    letter_number="ตก 52301/123")  # fmt: skip
    assert response.status_code == 302
    event = case.events.get(to_status=Status.FORWARDED)
    assert "การไฟฟ้าส่วนภูมิภาคอำเภอวังเจ้า" in event.public_message
    assert "ตก 52301/123" in event.public_message


def test_actions_are_refused_in_the_wrong_state(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    sign_in(client, staff_a.head)
    response = _act(client, case, "complete", public_message="เสร็จแล้ว")
    assert response.status_code == 409
    assert "ดำเนินการนี้ไม่ได้ในสถานะ" in response.content.decode()
    _act(client, case, "receive")
    assert _act(client, case, "receive").status_code == 409
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_not_accepting_needs_a_reason(org_a: Organisation, staff_a: Staff, client: Client) -> None:
    case = make_case(org_a)
    response = _act(sign_in(client, staff_a.counter), case, "reject", public_message="  ")
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page
    assert 'href="#id_reject-public_message"' in page
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_a_closed_request_can_be_reopened_with_a_reason(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    sign_in(client, staff_a.counter)
    _act(client, case, "reject", public_message="ไม่อยู่ในอำนาจหน้าที่")
    assert _act(client, case, "reopen", public_message="ตรวจสอบใหม่แล้วอยู่ในเขต").status_code == 302
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_a_second_editor_working_from_a_stale_page_is_told(
    org_a: Organisation, staff_a: Staff
) -> None:
    case = make_case(org_a)
    first, second = sign_in(Client(), staff_a.counter), sign_in(Client(), staff_a.head)
    seen_version = case.version  # both opened the page now
    assert _act(first, case, "receive", version=seen_version).status_code == 302
    response = _act(second, case, "reject", version=seen_version, public_message="ซ้ำ")
    assert response.status_code == 409
    assert "มีผู้อื่นแก้ไขคำร้องนี้ไปแล้ว" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    # A stale assignment is refused as well.
    stale = _act(second, case, "assign", version=seen_version,
                 department=org_a.departments.get(key="engineering").pk)  # fmt: skip
    assert stale.status_code == 409


def test_department_roles_act_only_within_their_powers(org_a: Organisation, staff_a: Staff) -> None:
    case = make_case(org_a, type_key="street-light")  # กองช่าง
    officer, head = sign_in(Client(), staff_a.officer), sign_in(Client(), staff_a.head)
    assert _act(officer, case, "receive").status_code == 403
    assert _act(head, case, "receive").status_code == 302
    office = org_a.departments.get(key="office")
    assert _act(head, case, "assign", department=office.pk).status_code == 400
    case.refresh_from_db()
    assert case.department is not None and case.department.key == "engineering"


def test_whether_officers_complete_their_own_work_is_the_organisations_choice(
    org_a: Organisation,
    staff_a: Staff,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Default: an officer completes and the department's head is told by e-mail. An
    organisation that wants the head to close every request switches it off."""
    officer = sign_in(Client(), staff_a.officer)
    org_a.officers_may_complete = False
    org_a.save(update_fields=["officers_may_complete"])
    held = make_case(org_a, type_key="street-light")  # กองช่าง, the officer's department
    case_transition(case=held, to=Status.RECEIVED, actor_kind=Actor.STAFF, actor=staff_a.counter)
    assert _act(officer, held, "complete", public_message="เสร็จ").status_code == 403
    assert "ดำเนินการแล้วเสร็จ</summary>" not in officer.get(_url(held)).content.decode()

    org_a.officers_may_complete = True
    org_a.save(update_fields=["officers_may_complete"])
    with django_capture_on_commit_callbacks(execute=True):
        assert _act(officer, held, "complete", public_message="ซ่อมไฟแล้ว").status_code == 302
    held.refresh_from_db()
    assert held.status == Status.COMPLETED
    told = [m for m in mailoutbox if staff_a.head.email in m.to and "เสร็จโดย" in m.subject]
    assert len(told) == 1 and held.display_number in told[0].subject  # (also: the new request)


def test_the_executive_reads_without_action_buttons(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    page = sign_in(client, staff_a.executive).get(_url(case)).content.decode()
    assert "คุณอ่านคำร้องนี้ได้อย่างเดียว" in page
    assert _act(client, case, "receive").status_code == 403


def test_an_unknown_action_is_not_found(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    assert sign_in(client, staff_a.counter).post(_url(case, "act/delete/")).status_code == 404


# The audit trail ---------------------------------------------------------------------------


def test_the_audit_trail_cannot_be_edited_or_deleted(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    sign_in(client, staff_a.counter).get(_url(case))
    entry = AuditLog.objects.get()
    entry.action = AuditAction.EXPORT
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).update(action="export")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    request = RequestFactory().get("/")
    model_admin = admin.site._registry[AuditLog]
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert not model_admin.has_add_permission(request)


def test_national_ids_and_phone_numbers_are_masked_in_the_log() -> None:
    national_id = valid_national_id()
    text = mask_text(f"ผู้ยื่น {national_id} โทร 081-234-5678 หรือ +66812345678")
    assert national_id not in text
    assert "081-234-5678" not in text and "+66812345678" not in text
    assert "5678" in text


def test_the_organisation_administrator_reads_and_filters_the_audit_trail(
    org_a: Organisation, staff_a: Staff
) -> None:
    case = make_case(org_a)
    counter = sign_in(Client(), staff_a.counter)
    counter.get(_url(case))
    counter.post(_url(case, "national-id/"))
    admin_client = sign_in(Client(), staff_a.admin)
    page = admin_client.get("/staff/wangchao/audit/").content.decode()
    assert "a-counter" in page
    assert "ดูเลขบัตรประชาชนเต็ม" in page
    filtered = admin_client.get(
        "/staff/wangchao/audit/", {"action": "national_id_view", "ref": case.display_number}
    )
    assert [e.action for e, _sentence in filtered.context["rows"]] == ["national_id_view"]
    assert case_national_id(case) not in filtered.content.decode()


def test_staff_of_another_organisation_get_404_and_a_denied_entry(
    org_a: Organisation, staff_a: Staff, staff_b: Staff, client: Client
) -> None:
    case = make_case(org_a)
    assert sign_in(client, staff_b.executive).get(_url(case)).status_code == 404
    denied = AuditLog.objects.get(action=AuditAction.DENIED)
    assert denied.organisation == org_a
    assert denied.actor == staff_b.executive
    assert not AuditLog.objects.filter(action=AuditAction.CASE_VIEW).exists()


# Duplicates and the first-response target -----------------------------------------------------


def test_a_duplicate_is_closed_pointing_to_the_original_without_telling_its_number(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    original = make_case(org_a, subject="ไฟดับทั้งซอย")
    duplicate = make_case(org_a, subject="ไฟดับในซอยเดียวกัน")
    sign_in(client, staff_a.counter)
    response = _act(client, duplicate, "duplicate", original=original.display_number)
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == Status.REJECTED
    assert duplicate.duplicate_of == original
    event = duplicate.events.get(to_status=Status.REJECTED)
    assert original.number not in event.public_message
    assert original.display_number not in event.public_message
    assert original.display_number in event.internal_note
    assert duplicate.display_number in client.get(_url(original)).content.decode()


def test_a_request_cannot_duplicate_itself_an_unknown_or_an_invisible_request(
    org_a: Organisation, org_b: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    secret = make_case(org_a, type_key="corruption")
    theirs = make_case(org_b)
    sign_in(client, staff_a.counter)
    for number in [case.number, "69-00000-00000-0", secret.number, theirs.number, "<b>"]:
        assert _act(client, case, "duplicate", original=number).status_code == 400, number
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
    assert case.duplicate_of is None


def test_every_new_request_gets_a_first_response_date_within_its_target(
    org_a: Organisation,
) -> None:
    case = make_case(org_a, type_key="general")  # 15 working days
    quick = make_case(org_a, type_key="garbage-bin")  # 7 working days
    assert case.first_response_due is not None and case.due_date is not None
    assert case.first_response_due <= case.due_date
    assert quick.first_response_due == quick.due_date


def test_an_unanswered_request_past_its_first_response_date_is_overdue_until_received(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    Case.objects.filter(pk=case.pk).update(
        first_response_due=timezone.localdate() - dt.timedelta(days=1)
    )
    sign_in(client, staff_a.counter)
    inbox = client.get("/staff/wangchao/", {"tab": "overdue"})
    assert [c.number for c in inbox.context["page"].cases] == [case.number]
    assert "ยังไม่ตอบกลับ เกินกำหนด" in client.get(_url(case)).content.decode()
    _act(client, case, "receive")
    inbox = client.get("/staff/wangchao/", {"tab": "overdue"})
    assert list(inbox.context["page"].cases) == []


# Result photos ---------------------------------------------------------------------------------


def test_the_officer_attaches_an_after_photo_shown_to_the_citizen_and_can_hide_it(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a, type_key="street-light")
    sign_in(client, staff_a.head)
    _act(client, case, "receive")
    sign_in(client, staff_a.officer)
    case.refresh_from_db()
    response = client.post(
        _url(case, "act/result_photo/"),
        {"result_photo-version": case.version, "result_photo-is_public": "on",
         "result_photo-photo": SimpleUploadedFile("หลัง.png", PNG, "image/png")},
    )  # fmt: skip
    assert response.status_code == 302
    photo = case.attachments.get(kind="result")
    assert photo.is_public
    assert case.events.filter(kind=EventKind.ATTACHMENT).exists()
    client.post(_url(case, f"files/{photo.pk}/public/"), {"public": "0"})
    photo.refresh_from_db()
    assert not photo.is_public


def test_a_result_photo_must_be_an_image(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a, type_key="street-light")
    sign_in(client, staff_a.head)
    _act(client, case, "receive")
    case.refresh_from_db()
    response = client.post(
        _url(case, "act/result_photo/"),
        {"result_photo-version": case.version,
         "result_photo-photo": SimpleUploadedFile("x.png", PDF, "image/png")},
    )  # fmt: skip
    assert response.status_code == 400
    assert not case.attachments.exists()


# Reply templates -------------------------------------------------------------------------------


def test_a_reply_template_starts_the_message_for_its_type_and_status(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a, type_key="street-light")
    sign_in(client, staff_a.counter)
    response = client.post("/staff/wangchao/templates/", {
        "title": "เปลี่ยนหลอดแล้ว", "request_type": case.request_type_id, "status": "completed",
        "body": "เจ้าหน้าที่เปลี่ยนหลอดไฟเรียบร้อยแล้ว ขอบคุณที่แจ้ง",
    })  # fmt: skip
    assert response.status_code == 302
    ReplyTemplate.objects.create(organisation=org_a, title="ทั่วไป", body="รับเรื่องแล้ว",
                                 status="received")  # fmt: skip
    template = ReplyTemplate.objects.get(title="เปลี่ยนหลอดแล้ว")
    head = sign_in(Client(), staff_a.head)
    _act(head, case, "receive")
    page = head.get(_url(case), {"for": "complete", "template": str(template.pk)}).content.decode()
    assert "เจ้าหน้าที่เปลี่ยนหลอดไฟเรียบร้อยแล้ว ขอบคุณที่แจ้ง</textarea>" in page
    assert "เปลี่ยนหลอดแล้ว</option>" in page


def test_another_organisations_template_cannot_be_used_or_deleted(
    org_a: Organisation, org_b: Organisation, staff_a: Staff, client: Client
) -> None:
    theirs = ReplyTemplate.objects.create(organisation=org_b, title="ของเขา", body="ลับ")
    case = make_case(org_a)
    sign_in(client, staff_a.counter)
    assert client.get(_url(case), {"for": "reject", "template": str(theirs.pk)}).status_code == 404
    assert client.post("/staff/wangchao/templates/", {"delete": theirs.pk}).status_code == 404
    assert ReplyTemplate.objects.filter(pk=theirs.pk).exists()


def test_a_template_needs_a_title_and_a_body(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    response = sign_in(client, staff_a.counter).post("/staff/wangchao/templates/", {"title": ""})
    assert response.status_code == 400
    assert 'href="#id_body"' in response.content.decode()
    assert not ReplyTemplate.objects.exists()


# Bad input on actions --------------------------------------------------------------------------


def test_a_double_click_on_an_action_does_it_once(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    sign_in(client, staff_a.counter)
    _act(client, case, "receive")
    case.refresh_from_db()
    data = {"note-version": case.version, "note-public_message": "กำลังตรวจสอบ"}
    assert client.post(_url(case, "act/note/"), data).status_code == 302
    assert client.post(_url(case, "act/note/"), data).status_code == 409
    assert case.events.filter(public_message="กำลังตรวจสอบ").count() == 1


@pytest.mark.parametrize("version", ["", "abc", "0", "-1", "99999999999999999999"])
def test_a_missing_or_forged_version_is_refused(
    version: str, org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    response = sign_in(client, staff_a.counter).post(
        _url(case, "act/receive/"), {"receive-version": version}
    )
    assert response.status_code in {400, 409}
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_an_oversized_or_hostile_message_is_refused_or_shown_as_text(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a)
    sign_in(client, staff_a.counter)
    too_long = _act(client, case, "reject", public_message="ก" * 4001)
    assert too_long.status_code == 400
    _act(client, case, "reject", public_message="<script>alert('x')</script> ไม่อยู่ในเขต")
    page = client.get(_url(case)).content.decode()
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;" in page


def test_the_id_card_photo_is_shown_only_on_request_and_the_asking_is_logged(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a, type_key="patient-equipment", files=(id_card_file(), pdf_file()))
    id_card = case.attachments.get(kind="id_card")
    file_url = _url(case, f"files/{id_card.pk}/")
    sign_in(client, staff_a.counter)
    page = client.get(_url(case)).content.decode()
    assert "แผนที่.pdf" in page
    assert f'"{file_url}"' not in page and "บัตร.png" not in page  # neither shown nor linked
    assert "แสดงรูปบัตรประชาชน" in page
    assert client.get(file_url).status_code == 404  # not served without asking
    assert client.get(_url(case, f"files/{id_card.pk}/show/")).status_code == 405
    assert not AuditLog.objects.filter(details__kind="id_card").exists()

    shown = client.post(_url(case, f"files/{id_card.pk}/show/"))
    assert shown.status_code == 200
    assert f'src="{file_url}"' in shown.content.decode()
    entry = AuditLog.objects.get(details__shown_on_request=True)
    assert (entry.actor, entry.action, entry.object_ref) == (
        staff_a.counter, AuditAction.FILE_DOWNLOAD, case.number,
    )  # fmt: skip
    assert entry.details["attachment"] == id_card.pk
    image = client.get(file_url)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    # Another session (another desk, the same account) has not asked: nothing for it.
    assert sign_in(Client(), staff_a.counter).get(file_url).status_code == 404
    # Back on the page later: hidden again.
    assert f'"{file_url}"' not in client.get(_url(case)).content.decode()


def test_the_id_card_stops_being_served_after_ten_minutes(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a, type_key="patient-equipment", files=(id_card_file(),))
    id_card = case.attachments.get(kind="id_card")
    sign_in(client, staff_a.counter).post(_url(case, f"files/{id_card.pk}/show/"))
    with mock.patch("time.time", return_value=time.time() + 11 * 60):
        assert client.get(_url(case, f"files/{id_card.pk}/")).status_code == 404


def test_show_is_refused_for_other_files_other_requests_and_other_organisations(
    org_a: Organisation, org_b: Organisation, staff_a: Staff, client: Client
) -> None:
    case = make_case(org_a, type_key="patient-equipment", files=(id_card_file(), pdf_file()))
    theirs = make_case(org_b, type_key="patient-equipment", files=(id_card_file(),))
    other_here = make_case(org_a, type_key="patient-equipment", files=(id_card_file(),))
    sign_in(client, staff_a.counter)
    document = case.attachments.get(kind="document")
    assert client.post(_url(case, f"files/{document.pk}/show/")).status_code == 404
    for attachment in (theirs.attachments.get(), other_here.attachments.get()):
        assert client.post(_url(case, f"files/{attachment.pk}/show/")).status_code == 404
        assert client.get(_url(case, f"files/{attachment.pk}/")).status_code == 404
    theirs_url = f"/staff/other/cases/{theirs.number}/files/{theirs.attachments.get().pk}/show/"
    assert client.post(theirs_url).status_code == 404
    assert client.post(_url(case, "files/99999999/show/")).status_code == 404
    sign_in(client, staff_a.executive)  # reads the request, does not handle identity
    id_card = case.attachments.get(kind="id_card")
    assert client.post(_url(case, f"files/{id_card.pk}/show/")).status_code == 404
    assert not AuditLog.objects.filter(details__kind="id_card").exists()
