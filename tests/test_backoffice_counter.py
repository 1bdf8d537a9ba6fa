"""Counter entry: staff file a request for a citizen who walked in or phoned, through the same
validation as the online wizard, with the channel recorded."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onestop.cases.models import Case, Channel
from onestop.cases.services import Requester, case_submit
from onestop.cases.workflow import Actor
from onestop.core import crypto
from onestop.core.models import AuditAction, AuditLog
from onestop.notifications.models import Channel as MessageChannel
from onestop.notifications.models import Message, SmsGateway
from onestop.organisations.models import Membership, Organisation
from tests.backoffice_helpers import PDF, PNG, sign_in
from tests.conftest import Staff
from tests.documents_helpers import pdf_text
from tests.factories import request_type, valid_national_id

URL = "/staff/wangchao/new/"


def sms_gateway(organisation: Organisation) -> None:
    """The organisation tells its citizens by SMS (nothing is sent: the outbox is read)."""
    SmsGateway.objects.create(
        organisation=organisation, kind="basic_form", url="http://127.0.0.1:9/", sender="WC",
        api_key_encrypted=crypto.encrypt("k"), api_secret_encrypted=crypto.encrypt("s"),
    )  # fmt: skip


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


def test_a_wrong_national_id_and_a_wrong_phone_are_refused_in_thai(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    response = sign_in(client, staff_a.counter).post(
        URL, _form(org_a, national_id="1234567890123", phone="0212345")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_national_id"' in page
    assert 'href="#id_phone"' in page
    assert "หรือเบอร์บ้าน 9 หลัก" in page
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("02-123-4567", "+6621234567", "02-123-4567"),  # Bangkok
        ("053-123-456", "+6653123456", "053-123-456"),  # Chiang Mai
        ("๐๕๕ ๐๐๐ ๑๒๓", "+6655000123", "055-000-123"),  # Tak, in Thai digits
    ],
)
def test_a_caller_with_only_a_landline_is_accepted(  # noqa: PLR0917 (parametrised)
    org_a: Organisation, staff_a: Staff, client: Client, typed: str, stored: str, shown: str
) -> None:
    response = sign_in(client, staff_a.counter).post(URL, _form(org_a, phone=typed))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.phone == stored
    assert shown in client.get(response["Location"]).content.decode()


def test_a_landline_request_is_tracked_with_its_last_four_digits_and_gets_no_sms(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sms_gateway(org_a)
    sign_in(client, staff_a.counter).post(URL, _form(org_a, phone="053-123-456"))
    case = Case.objects.get()
    assert not Message.objects.filter(case=case, channel=MessageChannel.SMS).exists()
    citizen = Client()
    wrong = citizen.post("/wangchao/track/", {"number": case.display_number, "digits": "5678"})
    assert wrong.status_code != 302
    right = citizen.post("/wangchao/track/", {"number": case.display_number, "digits": "3456"})
    assert right["Location"] == "/wangchao/track/status/"
    status = citizen.get(right["Location"]).content.decode()
    assert case.display_number in status and "ไฟฟ้าดับหน้าตลาด" in status


def test_a_mobile_request_still_gets_its_sms(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sms_gateway(org_a)
    sign_in(client, staff_a.counter).post(URL, _form(org_a))
    case = Case.objects.get()
    assert Message.objects.filter(case=case, channel=MessageChannel.SMS).exists()


def test_a_caller_without_a_national_id_is_filed_with_the_reason_shown_to_staff(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    response = sign_in(client, staff_a.counter).post(
        URL, _form(org_a, national_id="", no_id_reason="phone_call", no_id_note="โทรจากตลาด")
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert not case.has_national_id
    assert case.events.get().data["no_id_reason"] == "phone_call"
    assert case.events.get().data["no_id_note"] == "โทรจากตลาด"
    page = client.get(response["Location"]).content.decode()
    assert "ไม่มีเลขบัตร" in page and "แจ้งทางโทรศัพท์ ไม่สะดวกให้เลขบัตร: โทรจากตลาด" in page
    assert "แสดงเลขเต็ม" not in page  # nothing to reveal
    sign_in(client, staff_a.head)
    head_page = client.get(response["Location"]).content.decode()
    assert "แจ้งทางโทรศัพท์ ไม่สะดวกให้เลขบัตร" in head_page
    document = client.get(f"/staff/wangchao/cases/{case.number}/document.pdf")
    text = pdf_text(document.content)
    assert case.display_number in text
    assert "เลขประจำตัวประชาชน —" in text  # a dash, not an empty or made-up number


def test_without_an_id_a_reason_is_required_and_other_needs_words(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sign_in(client, staff_a.counter)
    response = client.post(URL, _form(org_a, national_id=""))
    assert response.status_code == 400
    assert "หรือเลือกเหตุผลที่ผู้ยื่นไม่มีเลขบัตร" in response.content.decode()
    response = client.post(URL, _form(org_a, national_id="", no_id_reason="other"))
    assert response.status_code == 400
    assert 'href="#id_no_id_note"' in response.content.decode()
    response = client.post(URL, _form(org_a, national_id="", no_id_reason="<script>x"))
    assert response.status_code == 400
    assert "<script>x" not in response.content.decode()
    response = client.post(
        URL, _form(org_a, national_id="", no_id_reason="other", no_id_note="ก" * 501)
    )
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_without_an_id_the_english_message_says_what_to_do(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sign_in(client, staff_a.counter)
    response = client.post(URL, _form(org_a, national_id=""), HTTP_ACCEPT_LANGUAGE="en")
    assert "or choose why the requester has no ID" in response.content.decode()


def test_a_given_id_wins_over_a_reason(org_a: Organisation, staff_a: Staff, client: Client) -> None:
    sign_in(client, staff_a.counter).post(URL, _form(org_a, no_id_reason="declined"))
    case = Case.objects.get()
    assert case.has_national_id and "no_id_reason" not in case.events.get().data


def test_the_citizen_service_still_requires_the_id_and_a_mobile(org_a: Organisation) -> None:
    requester = Requester("นาย", "สมชาย", "ใจดี", "", "0812345678", no_id_reason="declined")
    with pytest.raises(ValidationError):
        case_submit(
            organisation=org_a, request_type=request_type(org_a, "street-light"),
            subject="ก", details="ข", requester=requester,
        )  # fmt: skip
    landline = Requester("นาย", "สมชาย", "ใจดี", valid_national_id(), "021234567")
    with pytest.raises(ValidationError):
        case_submit(
            organisation=org_a, request_type=request_type(org_a, "street-light"),
            subject="ก", details="ข", requester=landline,
        )  # fmt: skip
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


def test_the_counter_files_a_confidential_complaint_and_never_sees_it_again(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sign_in(client, staff_a.counter)
    form = client.get(URL).content.decode()
    assert "แจ้งการทุจริต" in form and "บันทึกแล้วคุณจะไม่เห็นคำร้องนี้" in form
    secret_type = request_type(org_a, "corruption")
    data = _form(org_a, request_type=secret_type.pk, subject="เรียกรับเงินใต้โต๊ะ")
    response = client.post(URL, data)
    assert response.status_code == 200  # the receipt, not the request's page
    case = Case.objects.get()
    receipt = response.content.decode()
    assert case.display_number in receipt and "บันทึกเรื่องลับแล้ว" in receipt
    assert "เรียกรับเงินใต้โต๊ะ" not in receipt and "สมชาย" not in receipt
    assert client.post(URL, data).content.decode().count(case.display_number) >= 1  # retry
    assert Case.objects.count() == 1
    # From now on: not in the inbox, not found by search, its page and files are 404.
    assert case.display_number not in client.get("/staff/wangchao/").content.decode()
    search = client.get("/staff/wangchao/", {"q": case.display_number}).content.decode()
    assert "เรียกรับเงินใต้โต๊ะ" not in search
    assert client.get(f"/staff/wangchao/cases/{case.number}/").status_code == 404
    # A granted member sees it, routed as the type says.
    assert case.department == secret_type.default_department
    sign_in(client, staff_a.executive)
    assert "เรียกรับเงินใต้โต๊ะ" in client.get(f"/staff/wangchao/cases/{case.number}/").content.decode()


def test_a_granted_counter_member_goes_to_the_request_page_as_usual(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    Membership.objects.filter(user=staff_a.counter).update(can_see_confidential=True)
    sign_in(client, staff_a.counter)
    response = client.post(URL, _form(org_a, request_type=request_type(org_a, "corruption").pk))
    assert response.status_code == 302


def test_another_organisations_request_type_cannot_be_used(
    org_a: Organisation, org_b: Organisation, staff_a: Staff, client: Client
) -> None:
    theirs = request_type(org_b, "street-light").pk
    response = sign_in(client, staff_a.counter).post(URL, _form(org_a, request_type=theirs))
    assert response.status_code == 400
    assert not Case.objects.exists()
