"""Counter entry: staff file a request for a citizen who walked in or phoned, through the same
validation as the online wizard, with the channel recorded."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onestop.cases.models import Case, Channel
from onestop.cases.workflow import Actor
from onestop.core.models import AuditAction, AuditLog
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import PDF, PNG, sign_in
from tests.conftest import Staff
from tests.factories import request_type, valid_national_id

URL = "/staff/wangchao/new/"


def _form(org: Organisation, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": "counter",
        "request_type": request_type(org, "street-light").pk,
        "subject": "ไฟฟ้าดับหน้าตลาด",
        "details": "ไฟดับสามต้นติดกัน",
        "title": "นาย",
        "first_name": "สมชาย",
        "last_name": "ใจดี",
        "national_id": valid_national_id(),
        "phone": "081-234-5678",
        "email": "",
        "house_no": "",
        "village_no": "3",
        "village": "",
        "soi": "",
        "road": "ถนนพหลโยธิน",
        "subdistrict": "เชียงทอง",
        "landmark": "",
        "submission_key": "key-1",
    }
    data.update(overrides)
    return data


def test_the_counter_files_a_walk_in_request_with_the_channel_recorded(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    response = sign_in(client, staff_a.counter).post(
        URL, _form(org_a, document=SimpleUploadedFile("คำร้อง.pdf", PDF))
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/staff/wangchao/cases/{case.number}/"
    assert case.channel == Channel.COUNTER
    assert case.requester_first_name == "สมชาย"
    assert case.phone == "+66812345678"
    assert case.province == org_a.province
    assert case.attachments.get().content_type == "application/pdf"
    first = case.events.get()
    assert (first.actor_kind, first.actor) == (Actor.STAFF, staff_a.counter)
    assert AuditLog.objects.filter(action=AuditAction.CASE_CREATE, object_ref=case.number).exists()
    page = client.get(response["Location"]).content.decode()
    assert "พิมพ์เอกสารคำร้อง" in page


def test_a_phone_request_is_recorded_as_such(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sign_in(client, staff_a.counter).post(URL, _form(org_a, channel="phone"))
    assert Case.objects.get().channel == Channel.PHONE


def test_a_double_click_files_one_request(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sign_in(client, staff_a.counter)
    data = _form(org_a)
    client.post(URL, data)
    client.post(URL, data)
    assert Case.objects.count() == 1


def test_a_wrong_national_id_and_a_landline_are_refused_in_thai(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    response = sign_in(client, staff_a.counter).post(
        URL, _form(org_a, national_id="1234567890123", phone="021234567")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_national_id"' in page
    assert 'href="#id_phone"' in page
    assert not Case.objects.exists()


def test_missing_fields_are_listed_at_the_top(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    response = sign_in(client, staff_a.counter).post(URL, {"submission_key": "k"})
    assert response.status_code == 400
    for field in ["request_type", "subject", "first_name", "national_id", "phone"]:
        assert f'href="#id_{field}"' in response.content.decode()


def test_the_id_card_photo_is_required_where_the_type_asks_for_it(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sign_in(client, staff_a.counter)
    data = _form(org_a, request_type=request_type(org_a, "patient-equipment").pk)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert 'href="#id_id_card"' in response.content.decode()
    with_card = client.post(
        URL, {**data, "id_card": SimpleUploadedFile("card.png", PNG, "image/png")}
    )
    assert with_card.status_code == 302


def test_a_file_that_is_not_what_it_claims_and_an_oversized_file_are_refused(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sign_in(client, staff_a.counter)
    fake = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(URL, _form(org_a, document=fake))
    assert response.status_code == 400
    assert "ไฟล์นี้ไม่ใช่รูปภาพ (JPG, PNG, WebP) หรือ PDF" in response.content.decode()
    huge = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")
    response = client.post(URL, _form(org_a, document=huge, submission_key="key-2"))
    assert "ไฟล์ใหญ่เกิน 10 MB" in response.content.decode()
    assert not Case.objects.exists()


def test_confidential_types_are_not_offered_without_the_grant(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sign_in(client, staff_a.counter)
    assert "แจ้งการทุจริต" not in client.get(URL).content.decode()
    secret_type = request_type(org_a, "corruption").pk
    assert client.post(URL, _form(org_a, request_type=secret_type)).status_code == 400
    assert not Case.objects.exists()


def test_another_organisations_request_type_cannot_be_used(
    org_a: Organisation, org_b: Organisation, staff_a: Staff, client: Client
) -> None:
    theirs = request_type(org_b, "street-light").pk
    response = sign_in(client, staff_a.counter).post(URL, _form(org_a, request_type=theirs))
    assert response.status_code == 400
    assert not Case.objects.exists()
